"""Real units converted once: layout numbers stay in mm and pt until they reach XML (twips,
half-points, eighths of a point, EMU, VML lengths), and are read back the same way."""

from __future__ import annotations

TWIPS_PER_PT = 20
MM_PER_INCH = 25.4


def mm_to_twips(mm: float) -> int:
    """Millimetres to twentieths of a point (page sizes, margins, indents, widths)."""
    return round(mm / MM_PER_INCH * 72 * TWIPS_PER_PT)


def twips_to_mm(twips: float) -> float:
    return twips / TWIPS_PER_PT / 72 * MM_PER_INCH


def pt_to_half_points(pt: float) -> int:
    """Font sizes are written in half-points (w:sz)."""
    return round(pt * 2)


def pt_to_twips(pt: float) -> int:
    """Paragraph spacing is written in twips (w:spacing before/after)."""
    return round(pt * TWIPS_PER_PT)


def pt_to_eighths(pt: float) -> int:
    """Border widths are written in eighths of a point (w:sz on borders)."""
    return round(pt * 8)


def line_spacing_value(lines: float) -> int:
    """'auto' line spacing in 240ths of a line."""
    return round(lines * 240)


EMU_PER_MM = 36000  # DrawingML lengths (English Metric Units)


def emu_to_mm(emu: float) -> float:
    return emu / EMU_PER_MM


def mm_to_emu(mm: float) -> int:
    return round(mm * EMU_PER_MM)


def half_points_to_pt(half_points: float) -> float:
    return half_points / 2


_VML_UNITS_MM = {"pt": MM_PER_INCH / 72, "in": MM_PER_INCH, "mm": 1.0, "cm": 10.0, "px": MM_PER_INCH / 96,
                 "": MM_PER_INCH / 72}


def vml_to_mm(value: str) -> float | None:
    """A VML length ('12pt', '1.5in', '40mm'; plain numbers are points) in millimetres."""
    import re

    match = re.fullmatch(r"\s*(-?[\d.]+)\s*([a-z]*)\s*", value)
    if not match or match[2] not in _VML_UNITS_MM:
        return None
    try:
        return float(match[1]) * _VML_UNITS_MM[match[2]]
    except ValueError:
        return None
