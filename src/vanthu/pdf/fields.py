"""Empty signature fields where the decree puts signatures, found in the rendered PDF itself.

For each signer, the field lies between the last title line (ô 7a/7b) and the name (ô 7b),
centred on the name and wide enough for the signature image with the seal over its left
third (ô 7c, ô 8). The lines are found by their text on the PDF's pages, not guessed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign.fields import SigFieldSpec, append_signature_field

from ..check.document import CheckedDocument
from ..i18n import _
from ..render.docx_zip import atomic_write

MM = 72 / 25.4
FIELD_WIDTH_MM = 70.0  # a 40 mm signature and a 36–42 mm seal overlapping its left third
APPENDIX_FIELD_MM = (60.0, 15.0)  # agency signature on a separate appendix: top right, text only


@dataclass(frozen=True)
class SignerBlock:
    title: str  # the last line above the signature (e.g. 'PHÓ GIÁM ĐỐC')
    name: str


@dataclass(frozen=True)
class FieldPlace:
    name: str
    page: int  # 0-based
    box: tuple[float, float, float, float]  # PDF points, origin bottom left


def signer_blocks(docx: Path) -> list[SignerBlock]:
    """The signers of a .docx, read with the checker's element finder (one definition)."""
    document = CheckedDocument(docx)
    cells: dict[tuple, list[str]] = {}
    for p in document.signer_lines:
        cells.setdefault(p.cell, []).append(" ".join(p.text.split()))
    blocks = []
    for lines in cells.values():
        if len(lines) >= 2:
            blocks.append(SignerBlock(lines[-2], lines[-1]))
    # the right-hand signer first: in a joint document the lead agency signs on the right
    return list(reversed(blocks))


def _lines(page) -> list[dict]:
    return [{**line, "text": " ".join(line["text"].split())} for line in page.extract_text_lines()]


def find_places(pdf_path: Path, blocks: list[SignerBlock]) -> list[FieldPlace]:
    places = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, block in enumerate(blocks, start=1):
            for index in range(len(pdf.pages) - 1, -1, -1):
                page = pdf.pages[index]
                lines = _lines(page)
                names = [ln for ln in lines if ln["text"] == block.name or ln["text"].endswith(f" {block.name}")]
                if not names:
                    continue
                name = names[-1]
                titles = [ln for ln in lines if block.title in ln["text"] and ln["bottom"] <= name["top"]]
                if not titles:
                    continue
                title = titles[-1]
                centre = (name["x0"] + name["x1"]) / 2 if name["text"] == block.name else \
                    (title["x0"] + title["x1"]) / 2
                half = FIELD_WIDTH_MM * MM / 2
                left, right = max(centre - half, 0), min(centre + half, float(page.width))
                top, bottom = float(page.height) - title["bottom"] - 2, float(page.height) - name["top"] + 2
                places.append(FieldPlace(f"Signature{number}", index, (left, bottom, right, top)))
                break
            else:
                raise ValueError(_("the signer '{name}' was not found in the PDF").format(name=block.name))
    return places


def appendix_place(pdf_path: Path, name: str = "AgencySignature") -> FieldPlace:
    """Top right of page 1 (the agency's signature on an appendix in a file of its own)."""
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        width, height = APPENDIX_FIELD_MM[0] * MM, APPENDIX_FIELD_MM[1] * MM
        right, top = float(page.width) - 15 * MM, float(page.height) - 5 * MM
    return FieldPlace(name, 0, (right - width, top - height, right, top))


def add_fields(pdf_path: Path, places: list[FieldPlace]) -> None:
    """Add empty signature fields (an incremental update: a PDF/A claim is kept)."""
    with pdf_path.open("rb") as handle:
        writer = IncrementalPdfFileWriter(handle, strict=False)
        for place in places:
            append_signature_field(writer, SigFieldSpec(place.name, on_page=place.page, box=place.box))
        buffer = io.BytesIO()
        writer.write(buffer)
    atomic_write(pdf_path, buffer.getvalue())
