"""Real units converted once: layout numbers stay in mm and pt until they reach XML."""

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
