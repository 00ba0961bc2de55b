"""Empty signature fields where the decree puts signatures, found in the rendered PDF itself.

For each signer, the field lies between the last title line (ô 7a/7b) and the name (ô 7b),
centred on the name and wide enough for the signature image with the seal over its left
third (ô 7c, ô 8). The lines are found by their text on the PDF's pages, not guessed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from ..docview import DocumentView
from ..i18n import _
from ..nd30 import layout
from ..ooxml.package import atomic_write
from .pdfium_documents import open_pdf

MM = 72 / 25.4
FIELD_WIDTH_MM = layout.SIGNATURE_FIELD_WIDTH_MM
APPENDIX_FIELD_MM = layout.APPENDIX_SIGNATURE_FIELD_MM


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
    document = DocumentView(docx)
    cells: dict[tuple, list[str]] = {}
    for p in document.signer_lines:
        cells.setdefault(p.cell, []).append(" ".join(p.text.split()))
    blocks = []
    for lines in cells.values():
        if len(lines) >= 2:
            blocks.append(SignerBlock(lines[-2], lines[-1]))
    # the right-hand signer first: in a joint document the lead agency signs on the right
    return list(reversed(blocks))


def _union(textpage, index: int, count: int) -> tuple[float, float, float, float]:
    boxes = [textpage.get_charbox(index + k) for k in range(count)]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _occurrences(textpage, text: str) -> list[tuple[float, float, float, float]]:
    searcher = textpage.search(text, match_case=True, match_whole_word=False)
    found = []
    while (hit := searcher.get_next()) is not None:
        found.append(_union(textpage, *hit))
    return found


def find_places(pdf_path: Path, blocks: list[SignerBlock]) -> list[FieldPlace]:
    """Fields from the positions of the signers' lines on the PDF's pages (last page first)."""
    places = []
    with open_pdf(pdf_path) as pdf:
        for number, block in enumerate(blocks, start=1):
            for index in range(len(pdf) - 1, -1, -1):
                page = pdf[index]
                textpage = page.get_textpage()
                names = _occurrences(textpage, block.name)
                if not names:
                    continue
                name = names[-1]  # (left, bottom, right, top), origin bottom left
                titles = [t for t in _occurrences(textpage, block.title) if t[1] >= name[3]]
                if not titles:
                    continue
                title = min(titles, key=lambda t: t[1])  # the title line nearest above the name
                centre = (name[0] + name[2]) / 2
                width, _height = page.get_size()
                half = FIELD_WIDTH_MM * MM / 2
                places.append(FieldPlace(f"Signature{number}", index,
                                         (max(centre - half, 0), name[3] + 2, min(centre + half, width), title[1] - 2)))
                break
            else:
                raise ValueError(_("the signer '{name}' was not found in the PDF").format(name=block.name))
    return places


def appendix_place(pdf: Path | bytes, name: str = "AgencySignature") -> FieldPlace:
    """Top right of page 1 (the agency's signature on an appendix in a file of its own, or a copy's);
    pdf: a file, or a PDF's bytes."""
    with open_pdf(pdf) as document:
        page_width, page_height = document[0].get_size()
    width, height = APPENDIX_FIELD_MM[0] * MM, APPENDIX_FIELD_MM[1] * MM
    right = page_width - layout.MARGINS_MM["right"] * MM
    top = page_height - layout.APPENDIX_SIGNATURE_TOP_MM * MM
    return FieldPlace(name, 0, (right - width, top - height, right, top))


# Print (4) and Locked (128), as pyHanko writes an empty field; its appearance an empty form, which
# PDF/A asks of every visible widget.
FIELD_FLAGS = 132


def add_fields(pdf_path: Path, places: list[FieldPlace]) -> None:
    """Add empty signature fields, written as pyHanko writes them (a widget merged with its field,
    an empty appearance, SigFlags 1). The converter's PDF is rewritten by pikepdf, which keeps its
    XMP metadata and output intent (the PDF/A claim); nothing is signed yet, so no signature's bytes
    can change. pikepdf does it without loading pyHanko's signing stack (a fifth of a second of
    imports on a one-document --pdf)."""
    import pikepdf

    data = pdf_path.read_bytes()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        form = pdf.Root.get("/AcroForm")
        if form is None:
            form = pdf.Root.AcroForm = pdf.make_indirect(pikepdf.Dictionary(Fields=pikepdf.Array()))
        fields = form.get("/Fields")
        if fields is None:
            fields = form.Fields = pikepdf.Array()
        for place in places:
            page = pdf.pages[place.page]
            left, bottom, right, top = place.box
            width, height = abs(right - left), abs(top - bottom)
            appearance = pikepdf.Stream(pdf, b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form,
                                        BBox=[0, 0, width, height], Resources=pikepdf.Dictionary())
            widget = pdf.make_indirect(pikepdf.Dictionary(
                Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, FT=pikepdf.Name.Sig,
                T=pikepdf.String(place.name), F=FIELD_FLAGS, Rect=[left, bottom, right, top], P=page.obj,
                AP=pikepdf.Dictionary(N=appearance)))
            annots = page.obj.get("/Annots")
            if annots is None:
                page.obj.Annots = pikepdf.Array([widget])
            else:
                annots.append(widget)
            fields.append(widget)
        form.SigFlags = 1
        buffer = io.BytesIO()
        pdf.save(buffer, deterministic_id=True)
    atomic_write(pdf_path, buffer.getvalue())
