"""A copy (bản sao: sao y, trích sao, sao lục) of a signed PDF, as Phụ lục I Phần II places it:

- the copy form (Mẫu 3.1) right after the end of the copied document, on the same sheet under a
  full-width rule when it fits there, else on a page of its own;
- for an electronic copy, the copying agency's signature at the top right of page 1, no image,
  its text the kind of copy, the copying agency and the signing time (10 pt, black).

The original's signatures cannot stay valid in a document that has grown a form: their look is
kept (flattened into the pages) and the copy is certified by the copying agency's signature.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers

from ..errors import VanthuError
from ..i18n import _
from ..nd30 import layout
from ..ooxml.package import atomic_write
from ..render.copy_form import COPY_KINDS, CopyForm, copy_form_docx
from .agency import signing_time_text, stamp_font, text_stamp_style
from .pdfium_documents import open_pdf
from .sign import pades_sign

MM = 72 / 25.4
GAP_MM = 6.0  # between the copied document's last line and the form's rule: clear of both
COPY_FIELD = "CopySignature"


class CopyError(VanthuError):
    """The copy could not be made."""


@dataclass
class CopyOutcome:
    target: Path
    same_page: bool  # the form fits under the document's end on its last page
    pages: int
    signed: bool
    notes: list[str]


def _text_lines(pdf, index: int) -> list[tuple[float, float]]:
    """(top, bottom) of each text run on a page, in points from the top."""
    page = pdf[index]
    height = page.get_height()
    text = page.get_textpage()
    out = []
    for i in range(text.count_rects()):
        _left, bottom, _right, top = text.get_rect(i)
        out.append((height - top, height - bottom))
    return sorted(out)


def _form_height(form_pdf: Path) -> tuple[float, float]:
    """Where the form's rule starts and how tall the form is, in points from the top."""
    with open_pdf(form_pdf) as document:
        lines = _text_lines(document, 0)
    top = layout.MARGINS_MM["top"] * MM
    bottom = max((b for _t, b in lines), default=top)
    return top, bottom - top


def _free_band(source: bytes, needed: float) -> float | None:
    """Where on the last page a band of `needed` points begins, after the document's last line
    (and above a contact footer, if the page has one); None when there is no room."""
    with open_pdf(source) as document:
        index = len(document) - 1
        height = document[index].get_height()
        lines = _text_lines(document, index)
    limit = height - layout.MARGINS_MM["bottom"] * MM
    if not lines:
        return layout.MARGINS_MM["top"] * MM
    bottoms = [b for _t, b in lines]
    for i, (_top, bottom) in enumerate(lines):
        if bottom < max(bottoms[: i + 1]):
            continue  # a run beside an earlier, taller one
        following = [t for t, _b in lines[i + 1:] if t > bottom - 1]
        next_top = min(following) if following else limit
        start = bottom + GAP_MM * MM
        if min(next_top, limit) - start >= needed and i >= len(lines) // 2:
            return start
    return None


def _flatten_signatures(data: bytes) -> bytes:
    """The original's signature appearances drawn into its pages, its form fields removed."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.flatten_annotations("all")
        if "/AcroForm" in pdf.Root:
            del pdf.Root["/AcroForm"]
        for page in pdf.pages:
            annots = page.obj.get("/Annots")
            if annots is not None:
                kept = [a for a in annots if a.get("/Subtype") != "/Widget"]
                page.obj["/Annots"] = pikepdf.Array(kept)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _convert(docx: bytes, work: Path, timeout: float) -> Path:
    from .pipeline import make_pdfs

    source = work / "ban-sao.docx"
    source.write_bytes(docx)
    for outcome in make_pdfs([source], work / "pdf", jobs=1, timeout=timeout, signature_fields=False):
        if outcome.output is None:
            raise CopyError(_("the copy form could not be converted: {detail}").format(
                detail="; ".join(outcome.problems)))
        return outcome.output
    raise CopyError(_("the copy form could not be converted"))


def make_copy(source: Path, target: Path, form: CopyForm, *, signer: signers.Signer | None = None,
              tsa: str | None = None, timeout: float = 60.0) -> CopyOutcome:
    try:
        original = _flatten_signatures(source.read_bytes())
    except pikepdf.PdfError as exc:
        raise CopyError(_("{path} is not a readable PDF ({detail})").format(path=source, detail=exc)) from None
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix=".ban-sao-", dir=target.resolve().parent) as work:
        form_pdf = _convert(copy_form_docx(form), Path(work), timeout)
        form_top, form_height = _form_height(form_pdf)
        start = _free_band(original, form_height + 2 * MM)
        with pikepdf.open(io.BytesIO(original)) as pdf, pikepdf.open(form_pdf) as form_doc:
            form_page = form_doc.pages[0]
            if start is not None:
                last = pdf.pages[-1]
                shift = start - form_top  # move the form down so its rule lands under the last line
                width, height = float(last.mediabox[2]), float(last.mediabox[3])
                last.add_overlay(form_page, pikepdf.Rectangle(0, -shift, width, height - shift))
            else:
                pdf.pages.append(form_page)
            pages = len(pdf.pages)
            buffer = io.BytesIO()
            pdf.save(buffer, deterministic_id=True)
        data = buffer.getvalue()
    if signer is not None:
        data, note = _sign_copy(data, form, signer, tsa)
        if note:
            notes.append(note)
    atomic_write(target, data)
    return CopyOutcome(target, start is not None, pages, signer is not None, notes)


def _sign_copy(data: bytes, form: CopyForm, signer: signers.Signer, tsa: str | None) -> tuple[bytes, str | None]:
    """The copying agency's signature for an electronic copy (ô 14): top right of page 1, no image."""
    from .fields import appendix_place

    place = appendix_place(data, COPY_FIELD)
    label, _abbr = COPY_KINDS[form.kind]
    font, note = stamp_font()
    style = text_stamp_style(f"{label}\n{form.agency}\n{signing_time_text()}", font)
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    spec = fields.SigFieldSpec(COPY_FIELD, on_page=place.page, box=place.box)
    return pades_sign(writer, signer, COPY_FIELD, style=style, new_field=spec, tsa=tsa, reason=label), note
