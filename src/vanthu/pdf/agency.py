"""The agency's digital signature (chữ ký số của cơ quan, Phụ lục I Mục II.8, III.1.d), applied by
the văn thư after the competent person has signed, as an incremental update that leaves the
first signature valid:

- on the main document, the seal image at its real size over about the left third of the
  signer's signature image (ô 8);
- on an appendix in a file of its own, at the top right of its first page, no image: the
  document's số and ký hiệu and the signing time (Vietnam time, ISO 8601), Times New Roman
  10 pt, upright, black.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.layout import AxisAlignment, InnerScaling, SimpleBoxLayoutRule
from pyhanko.sign import fields, signers
from pyhanko.stamp import TextStampStyle

from ..errors import ConfigurationError, VanthuError
from ..i18n import _
from ..nd30 import layout
from ..nd30.dates import VIETNAM
from ..ooxml.package import atomic_write
from .sign import pades_sign

MM = 72 / 25.4
APPENDIX_FIELD = "AgencySignature"  # the empty field `vanthu pdf --appendix-files` puts on an appendix
SEAL_FIELD = "AgencySeal"
SEAL_OVER_SIGNATURE = 1 / 3  # the seal covers about the left third of the signature image
STAMP_TEXT_PT = 10  # an int: pyHanko lays text out in exact fractions
# An appendix's own line: "(Kèm theo Thông báo số 05/TB-SCT ngày …)".
_KEM_THEO_NUMBER = re.compile(r"số\s+(\d*\s*/\s*[\w./-]+)", re.IGNORECASE)


class AgencySignError(VanthuError):
    """This PDF cannot take the agency's signature (the file fails; the others go on)."""


@dataclass(frozen=True)
class AgencyOptions:
    seal: Path | None = None  # the seal image: red, transparent PNG, at its real size (its dpi)
    seal_mm: float | None = None  # the seal's width when the image does not say its size
    so_ky_hieu: str | None = None  # an appendix's document number, when its text does not say it
    tsa: str | None = None


@dataclass
class AgencyOutcome:
    field: str
    kind: str  # 'main' or 'appendix'
    box: tuple[float, float, float, float]  # where it is drawn, PDF points (left, bottom, right, top)
    page: int
    notes: list[str] = field(default_factory=list)


def _signed_widgets(pdf: pikepdf.Pdf) -> list[tuple[int, tuple[float, float, float, float]]]:
    """Page and rectangle of every filled signature's widget, in the order of the pages."""
    out = []
    for index, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            value = annot.get("/V") if annot.get("/FT") == "/Sig" else None
            if value is None and annot.get("/Parent") is not None and annot.Parent.get("/FT") == "/Sig":
                value = annot.Parent.get("/V")
            if value is not None:
                left, bottom, right, top = (float(v) for v in annot.Rect)
                out.append((index, (min(left, right), min(bottom, top), max(left, right), max(bottom, top))))
    return out


def _empty_field_names(data: bytes) -> list[str]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return [name for name, _value, _ref in fields.enumerate_sig_fields(reader, filled_status=False)]


def seal_size_mm(seal: Path, width_mm: float | None) -> tuple[float, float]:
    """The seal's printed size: the width asked for, else the image's own (pixels and dpi)."""
    from PIL import Image

    with Image.open(seal) as image:
        pixels = image.size
        dpi = image.info.get("dpi")
        if image.mode not in ("RGBA", "LA", "PA") and "transparency" not in image.info:
            raise ConfigurationError(_("the seal image {path} has no transparency: the signature under it would be "
                                       "hidden (save it as a PNG with a transparent background)").format(path=seal))
    if width_mm is None:
        if not dpi or not dpi[0] or float(dpi[0]) < 30:
            raise ConfigurationError(_("the seal image {path} does not say its size (no dpi): give --seal-mm, "
                                       "the seal's width in millimetres").format(path=seal))
        width_mm = pixels[0] / float(dpi[0]) * 25.4
    return width_mm, width_mm * pixels[1] / pixels[0]


def seal_box(signature: tuple[float, float, float, float], size_mm: tuple[float, float]
             ) -> tuple[float, float, float, float]:
    """Where the seal goes: its right edge a third of the way into the signature, level with it."""
    left, bottom, right, top = signature
    width, height = size_mm[0] * MM, size_mm[1] * MM
    seal_right = left + (right - left) * SEAL_OVER_SIGNATURE
    middle = (bottom + top) / 2
    seal_left = max(seal_right - width, 0.0)
    return seal_left, middle - height / 2, seal_left + width, middle + height / 2


def stamp_font() -> tuple[Path, str | None]:
    """Times New Roman's file, or the metric-compatible font that stands in for it (and a note)."""
    if shutil.which("fc-match") is None:
        raise ConfigurationError(_("fontconfig's fc-match is not installed: no font for the agency stamp"))
    found = subprocess.run(["fc-match", "-f", "%{family[0]}|%{file}", layout.FONT_NAME], capture_output=True,
                           text=True, check=False).stdout.strip()
    family, _sep, path = found.partition("|")
    if not path or not Path(path).is_file():
        raise ConfigurationError(_("no font for the agency stamp: install fonts-liberation2"))
    note = None if family == layout.FONT_NAME else _(
        "Times New Roman is not installed: {font} (the same widths) draws the agency stamp's text").format(font=family)
    return _at_1000_units(Path(path)), note


def _at_1000_units(font: Path) -> Path:
    """The font redrawn on a 1000-unit em, cached. pyHanko 0.38 writes a font's advance widths in
    its own units where PDF wants thousandths of an em, so a 2048-unit font (Times New Roman,
    Liberation Serif) would be set twice too wide."""
    import hashlib
    import logging
    import os

    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    logging.getLogger("fontTools").setLevel(logging.ERROR)  # "FFTM NOT subset" on every stamp
    data = font.read_bytes()
    with TTFont(io.BytesIO(data)) as probe:
        if probe["head"].unitsPerEm == 1000:
            return font
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vanthu" / "fonts"
    target = cache / f"{font.stem}-{hashlib.sha256(data).hexdigest()[:12]}-1000.ttf"
    if not target.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        with TTFont(io.BytesIO(data)) as scaled:
            scale_upem(scaled, 1000)
            buffer = io.BytesIO()
            scaled.save(buffer)
        atomic_write(target, buffer.getvalue())
    return target


def text_stamp_style(text: str, font: Path) -> TextStampStyle:
    """A signature's appearance as text only: exactly STAMP_TEXT_PT (never scaled to the field),
    against the field's top right corner, in `font` (stamp_font)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.text import TextBoxStyle

    return TextStampStyle(stamp_text=text.replace("%", "%%"), border_width=0,
                          text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(str(font)),
                                                      font_size=STAMP_TEXT_PT, border_width=0),
                          inner_content_layout=SimpleBoxLayoutRule(
                              AxisAlignment.ALIGN_MAX, AxisAlignment.ALIGN_MAX,
                              inner_content_scaling=InnerScaling.NO_SCALING))


def appendix_number(data: bytes) -> str | None:
    """The document's số/ký hiệu as an appendix quotes it: "(Kèm theo … số 05/TB-SCT …)"."""
    from .pdfium_documents import open_pdf

    with open_pdf(data) as document:
        text = document[0].get_textpage().get_text_range()
    match = _KEM_THEO_NUMBER.search(" ".join(text.split()))
    return re.sub(r"\s+", "", match[1]) if match else None


def signing_time_text(now: dt.datetime | None = None) -> str:
    """The signing time as the decree asks: date, hours, minutes, seconds, Vietnam's offset (ISO 8601)."""
    return (now or dt.datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0).isoformat()


def sign_agency(source: Path, target: Path, signer: signers.Signer, options: AgencyOptions) -> AgencyOutcome:
    data = source.read_bytes()
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            widgets = _signed_widgets(pdf)
            pages = [(float(p.mediabox[2]), float(p.mediabox[3])) for p in pdf.pages]
            appendix_box = _field_box(pdf, APPENDIX_FIELD)
    except pikepdf.PdfError as exc:
        raise AgencySignError(_("{path} is not a readable PDF ({detail})").format(path=source, detail=exc)) from None
    empty = _empty_field_names(data)
    notes: list[str] = []
    if APPENDIX_FIELD in empty:  # an appendix in a file of its own: the agency signs it alone
        number = options.so_ky_hieu or appendix_number(data)
        if not number:
            raise AgencySignError(_("{path}: the appendix does not say the document's number ('Kèm theo … số …'): "
                                    "give --so-ky-hieu").format(path=source.name))
        font, note = stamp_font()
        if note:
            notes.append(note)
        style = text_stamp_style(f"{number}\n{signing_time_text()}", font)
        spec, name, kind, page, box = None, APPENDIX_FIELD, "appendix", 0, appendix_box
    else:
        if not widgets:
            raise AgencySignError(_("{path}: the competent person has not signed it yet; the agency signs after the "
                                    "signer (Điều 32), so it is refused").format(path=source.name))
        page, signature = widgets[0]
        if signature[2] - signature[0] < 1 or signature[3] - signature[1] < 1:
            raise AgencySignError(_("{path}: the signer's signature is invisible, so there is no place to put the "
                                    "seal over it").format(path=source.name))
        if options.seal is None:
            raise ConfigurationError(_("the agency's signature on a main document shows its seal: give --seal "
                                       "SEAL.png"))
        box = seal_box(signature, seal_size_mm(options.seal, options.seal_mm))
        width, height = pages[page]
        if box[1] < 0 or box[3] > height or box[2] > width:
            raise AgencySignError(_("{path}: the seal does not fit on the page beside the signature").format(
                path=source.name))
        from PIL import Image

        # the image fills its box, which has the seal's real size: no margin, no scaling
        style = TextStampStyle(stamp_text="", background=PdfImage(Image.open(options.seal)), background_opacity=1,
                               border_width=0, background_layout=SimpleBoxLayoutRule(
                                   AxisAlignment.ALIGN_MID, AxisAlignment.ALIGN_MID,
                                   inner_content_scaling=InnerScaling.STRETCH_TO_FIT))
        name = SEAL_FIELD if SEAL_FIELD not in empty else f"{SEAL_FIELD}2"
        spec, kind = fields.SigFieldSpec(name, on_page=page, box=box), "main"
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    atomic_write(target, pades_sign(writer, signer, name, style=style, new_field=spec, tsa=options.tsa))
    return AgencyOutcome(name, kind, box, page, notes)


def _field_box(pdf: pikepdf.Pdf, name: str) -> tuple[float, float, float, float]:
    """Where page 1's field of that name stands (zeros when it has none)."""
    for annot in pdf.pages[0].obj.get("/Annots", []) if len(pdf.pages) else []:
        if str(annot.get("/T", "")) == name:
            left, bottom, right, top = (float(v) for v in annot.Rect)
            return left, bottom, right, top
    return 0.0, 0.0, 0.0, 0.0
