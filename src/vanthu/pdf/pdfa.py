"""What a PDF claims and holds: the PDF/A claim (XMP pdfaid), embedded fonts, the font used."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..nd30 import layout

if TYPE_CHECKING:
    import pikepdf


def pdfa_claim(path: Path) -> str | None:
    """'2B' for a file whose XMP claims PDF/A-2b; None when it claims nothing."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        meta = pdf.open_metadata()
        part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    return f"{part}{conformance}" if part else None


def _fonts(pdf: pikepdf.Pdf):
    seen = set()
    for page in pdf.pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            yield font


def _embedded(font: pikepdf.Dictionary) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by the font's own content streams
    if "/DescendantFonts" in font:
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def font_report(path: Path) -> tuple[list[str], list[str]]:
    """(names of the fonts used, names of those not embedded)."""
    import pikepdf

    with pikepdf.open(path) as pdf:
        fonts = list(_fonts(pdf))
        names = sorted({str(f.get("/BaseFont", "?")).lstrip("/").split("+")[-1] for f in fonts})
        missing = sorted({str(f.get("/BaseFont", "?")).lstrip("/") for f in fonts if not _embedded(f)})
    return names, missing


@lru_cache(maxsize=1)
def font_substitute() -> str | None:
    """The font that renders Times New Roman here, when it is not Times New Roman itself."""
    if shutil.which("fc-match") is None:
        return None
    found = subprocess.run(["fc-match", "-f", "%{family[0]}", layout.FONT_NAME], capture_output=True, text=True,
                           check=False).stdout.strip()
    return None if found == layout.FONT_NAME else (found or None)
