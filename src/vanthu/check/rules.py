"""The rules of Decree 30 that a machine can judge in a .docx.

Each rule reads its numbers from vanthu.nd30 (one definition of every rule of the decree).
The docstring-free functions keep to one job: find the element, judge it, say where.
"""

from __future__ import annotations

import re
import unicodedata

from ..i18n import _
from ..nd30 import layout, texts
from ..nd30.authority import AUTHORITIES
from ..nd30.dates import parse_date_line
from ..nd30.numbering import roman
from ..nd30.references import unreferenced_appendices
from ..render.textwidth import text_width_mm
from ..render.units import twips_to_mm
from .document import CheckedDocument, Paragraph, fold
from .formatting import NS, w
from .registry import Finding, at, rule

P1 = layout.CLAUSE_PAGE
P2 = layout.CLAUSE_ELEMENTS
E = layout.ELEMENTS
RULE_TOLERANCE_MM = 2.0  # drawing a rule by hand is not exact to the millimetre


# ---- page --------------------------------------------------------------------------------

def _sections(doc: CheckedDocument):
    for i, sect in enumerate(doc.sections, start=1):
        size, margins = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        yield i, sect, size, margins


@rule("LY01", "layout.page-size", "Page is not A4", P1, "error",
      "pgSz 215.9 × 279.4 mm (Letter)", "pgSz 210 × 297 mm (A4)")
def page_size(doc: CheckedDocument) -> list[Finding] | None:
    out = []
    for i, _sect, size, _m in _sections(doc):
        if size is None:
            continue
        width, height = (round(twips_to_mm(int(size.get(w(k)))) ) for k in ("w", "h"))
        if sorted((width, height)) != [210, 297]:
            out.append(Finding(_("section {n}: page is {w} × {h} mm, not A4 (210 × 297 mm)").format(
                n=i, w=width, h=height), f"mục {i}"))
    return out if doc.sections else None


@rule("LY02", "layout.orientation", "Main text is not portrait", P1, "warning",
      "the first section laid out landscape", "portrait; landscape only for wide tables or appendices")
def orientation(doc: CheckedDocument) -> list[Finding] | None:
    for i, _sect, size, _m in _sections(doc):
        if size is not None:
            landscape = int(size.get(w("w"))) > int(size.get(w("h")))
            return [Finding(_("section {n} is landscape; the decree lays the text out portrait").format(n=i),
                            f"mục {i}")] if landscape else []
    return None


@rule("LY03", "layout.margins", "Margins outside the decree's ranges", P1, "error",
      "left margin 25 mm", "top 20–25, bottom 20–25, left 30–35, right 15–20 mm", fixable=True)
def margins(doc: CheckedDocument) -> list[Finding] | None:
    out = []
    for i, _sect, _size, pg_mar in _sections(doc):
        if pg_mar is None:
            continue
        for side, allowed in layout.MARGIN_RANGES_MM.items():
            value = round(twips_to_mm(int(pg_mar.get(w(side), 0))), 1)
            if value not in allowed:
                out.append(Finding(_("section {n}: {side} margin {value:g} mm; expected {allowed} mm").format(
                    n=i, side=side, value=value, allowed=allowed), f"mục {i}",
                    fix=_("set to {value:g} mm").format(value=layout.MARGINS_MM[side])))
    return out if doc.sections else None


# ---- fonts -------------------------------------------------------------------------------

def _font_findings(doc: CheckedDocument, slots: tuple[str, ...]) -> list[Finding] | None:
    out, seen = [], False
    for p in doc.paragraphs:
        for run in p.runs:
            seen = True
            wrong = {run.fonts[s] for s in slots if run.fonts[s] != layout.FONT_NAME}
            if wrong:
                out.append(at(p, _("font {fonts}; expected {expected}").format(
                    fonts=", ".join(sorted(str(f) for f in wrong)), expected=layout.FONT_NAME),
                    _("set Times New Roman")))
                break
    return out if seen else None


@rule("FT01", "font.family", "Text not in Times New Roman", P1, "error",
      "a paragraph in Arial", "Times New Roman (Unicode, TCVN 6909:2001)", fixable=True)
def font_family(doc: CheckedDocument) -> list[Finding] | None:
    return _font_findings(doc, ("ascii", "hAnsi"))


@rule("FT02", "font.other-scripts", "East Asian or complex-script font slot not Times New Roman", P1, "warning",
      "rFonts eastAsia='SimSun'", "Times New Roman in all four font slots", fixable=True)
def font_other_slots(doc: CheckedDocument) -> list[Finding] | None:
    return _font_findings(doc, ("eastAsia", "cs"))


# ---- the elements of §2.2, one rule each, from the layout data --------------------------

def _element_findings(key: str, paragraphs: list[Paragraph], *, style: bool = True) -> list[Finding] | None:
    e = E[key]
    if not paragraphs:
        return None
    out = []
    for p in paragraphs:
        sizes = {r.size for r in p.runs if r.size is not None}
        bad_sizes = sorted(s for s in sizes if s not in e.size_range)
        if bad_sizes:
            out.append(at(p, _("{element}: size {sizes} pt; expected {allowed} pt").format(
                element=e.label, sizes=", ".join(f"{s:g}" for s in bad_sizes), allowed=e.size_range),
                _("set {size:g} pt").format(size=e.size)))
        if not style or not p.runs:
            continue
        if e.bold and not all(r.bold for r in p.runs):
            out.append(at(p, _("{element}: should be bold").format(element=e.label)))
        if not e.bold and any(r.bold for r in p.runs):
            out.append(at(p, _("{element}: should not be bold").format(element=e.label)))
        if e.italic and not all(r.italic for r in p.runs):
            out.append(at(p, _("{element}: should be italic").format(element=e.label)))
        if not e.italic and any(r.italic for r in p.runs):
            out.append(at(p, _("{element}: should be upright, not italic").format(element=e.label)))
        letters = [c for c in p.text if c.isalpha()]
        shown_caps = all(r.caps for r in p.runs)
        if e.caps and not shown_caps and any(c.islower() for c in letters):
            out.append(at(p, _("{element}: should be in capitals").format(element=e.label)))
        if e.caps is False and len(letters) > 3 and (shown_caps or not any(c.islower() for c in letters)):
            out.append(at(p, _("{element}: should not be all capitals").format(element=e.label)))
    return out


def _one(p: Paragraph | None) -> list[Paragraph]:
    return [p] if p else []


def _signer_parts(doc: CheckedDocument) -> tuple[list[Paragraph], list[Paragraph]]:
    """(authority and title lines, name lines) of the signature cell(s)."""
    lines = doc.signer_lines
    if not lines:
        return [], []
    by_cell: dict[tuple, list[Paragraph]] = {}
    for p in lines:
        by_cell.setdefault(p.cell, []).append(p)
    titles, names = [], []
    for cell_lines in by_cell.values():
        names.append(cell_lines[-1])
        titles += [p for p in cell_lines[:-1] if not p.text.strip().startswith("(")]
    return titles, names


def _appendix_parts(doc: CheckedDocument) -> tuple[list[Paragraph], list[Paragraph], list[Paragraph]]:
    headings, titles, kem_theo = [], [], []
    for heading in doc.appendix_headings:
        headings.append(heading)
        title = doc.next_text(heading)
        if title:
            titles.append(title)
            following = doc.next_text(title)
            if following and following.text.strip().startswith("(Kèm theo"):
                kem_theo.append(following)
    return headings, titles, kem_theo


ELEMENT_RULES = {
    # key: (code, finder, judge style as well as size)
    "quoc_hieu": ("EL01", lambda d: _one(d.quoc_hieu), True),
    "tieu_ngu": ("EL02", lambda d: _one(d.tieu_ngu), True),
    "co_quan_chu_quan": ("EL03", lambda d: _one(d.parent_agency), True),
    "co_quan_ban_hanh": ("EL04", lambda d: _one(d.issuing_agency), True),
    "so_ky_hieu": ("EL05", lambda d: _one(d.so_line), True),
    "dia_danh_ngay": ("EL06", lambda d: _one(d.date_line), True),
    "ten_loai": ("EL07", lambda d: _one(d.title), True),
    "trich_yeu": ("EL08", lambda d: _one(d.trich_yeu), True),
    "trich_yeu_cong_van": ("EL09", lambda d: _one(d.vv_line), True),
    "can_cu": ("EL10", lambda d: d.can_cu, True),
    "noi_dung": ("EL11", lambda d: d.body, False),
    "quyen_han": ("EL12", lambda d: _signer_parts(d)[0], True),
    "ho_ten": ("EL13", lambda d: _signer_parts(d)[1], True),
    "noi_nhan_label": ("EL14", lambda d: _one(d.noi_nhan_label), True),
    "noi_nhan_list": ("EL15", lambda d: d.noi_nhan_items, False),
    "phu_luc_so": ("EL16", lambda d: _appendix_parts(d)[0], True),
    "phu_luc_tieu_de": ("EL17", lambda d: _appendix_parts(d)[1], True),
    "phu_luc_kem_theo": ("EL18", lambda d: _appendix_parts(d)[2], True),
}


def _register_element_rules() -> None:
    for key, (code, finder, style) in ELEMENT_RULES.items():
        e = E[key]
        shape = ", ".join(filter(None, [f"{e.size_range} pt", "bold" if e.bold else "not bold" if style else "",
                                        "italic" if e.italic else "", "capitals" if e.caps else ""]))

        def check(doc: CheckedDocument, key=key, finder=finder, style=style) -> list[Finding] | None:
            return _element_findings(key, finder(doc), style=style)

        rule(code, f"element.{key.replace('_', '-')}", f"{e.label}: size or style", e.clause,
             "error", f"{e.label} at {e.size_range.high + 2:g} pt", shape, fixable=True)(check)


_register_element_rules()


# ---- fixed texts -------------------------------------------------------------------------

@rule("TX01", "text.quoc-hieu", "Quốc hiệu does not read as the decree writes it", f"{P2}, khoản 1", "error",
      "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM.", texts.QUOC_HIEU)
def quoc_hieu_text(doc: CheckedDocument) -> list[Finding] | None:
    p = doc.quoc_hieu
    if p is None:
        return None
    text = unicodedata.normalize("NFC", " ".join(p.text.split())).upper()
    return [] if text in texts.QUOC_HIEU_VARIANTS else [at(p, _("reads '{text}'; expected '{expected}'").format(
        text=p.text.strip(), expected=texts.QUOC_HIEU))]


@rule("TX02", "text.tieu-ngu", "Tiêu ngữ does not read as the decree writes it", f"{P2}, khoản 1", "error",
      "Độc lập-Tự do-Hạnh phúc", texts.TIEU_NGU)
def tieu_ngu_text(doc: CheckedDocument) -> list[Finding] | None:
    p = doc.tieu_ngu
    if p is None:
        return None
    text = unicodedata.normalize("NFC", p.text.strip())
    return [] if text == texts.TIEU_NGU else [at(p, _("reads '{text}'; expected '{expected}' (a hyphen with a "
                                                       "space on each side)").format(text=text,
                                                                                     expected=texts.TIEU_NGU))]


# ---- rules (lines) under elements ---------------------------------------------------------

def _rule_findings(doc: CheckedDocument, p: Paragraph | None, low: float, high: float, label: str,
                   text_mm: float) -> list[Finding] | None:
    if p is None:
        return None
    drawn = doc.rule_under(p, doc.available_width_mm(p))
    if drawn is None:
        return [at(p, _("no line under the {element}").format(element=label))]
    if drawn.kind == "underline":
        return [at(p, _("the {element} is underlined as characters; the decree asks for a separate solid line")
                   .format(element=label))]
    if drawn.length_mm is None:
        return []
    if not low - RULE_TOLERANCE_MM <= drawn.length_mm <= high + RULE_TOLERANCE_MM:
        return [at(p, _("line under the {element} is {length:.0f} mm; expected {low:.0f}–{high:.0f} mm").format(
            element=label, length=drawn.length_mm, low=low, high=high))]
    return []


def _line_width(p: Paragraph, doc: CheckedDocument) -> float:
    size = next((r.size for r in p.runs if r.size), E["noi_dung"].size)
    bold = bool(p.runs) and all(r.bold for r in p.runs)
    longest = max((text_width_mm(line, size, bold) for line in p.text.split("\n")), default=0.0)
    return min(longest, doc.available_width_mm(p))


@rule("RL01", "rule.tieu-ngu", "Line under the Tiêu ngữ missing, not a real line, or not as long as the text",
      f"{P2}, khoản 1", "error", "Tiêu ngữ underlined as characters", "a solid line as long as the Tiêu ngữ")
def tieu_ngu_rule(doc: CheckedDocument) -> list[Finding] | None:
    p = doc.tieu_ngu
    width = _line_width(p, doc) if p else 0
    return _rule_findings(doc, p, width, width, "Tiêu ngữ", width)


@rule("RL02", "rule.agency", "Line under the agency name missing or not 1/3–1/2 of its length",
      f"{P2}, khoản 2", "error", "no line under SỞ CÔNG THƯƠNG", "a centred solid line 1/3–1/2 as long as the name")
def agency_rule(doc: CheckedDocument) -> list[Finding] | None:
    p = doc.issuing_agency
    width = _line_width(p, doc) if p else 0
    return _rule_findings(doc, p, width / 3, width / 2, _("agency name"), width)


@rule("RL03", "rule.trich-yeu", "Line under the trích yếu missing or not 1/3–1/2 of its length",
      f"{P2}, khoản 5", "error", "no line under the trích yếu", "a centred solid line 1/3–1/2 as long as the line")
def trich_yeu_rule(doc: CheckedDocument) -> list[Finding] | None:
    p = doc.trich_yeu or doc.title
    if p is None or doc.vv_line is not None:
        return None
    width = _line_width(p, doc)
    return _rule_findings(doc, p, width / 3, width / 2, _("trích yếu"), width)


# ---- số, ký hiệu and the date --------------------------------------------------------------

SO_LINE = re.compile(r"^Số:\s*(?P<so>\d*)\s*/\s*(?P<ky_hieu>.+)$")


def _printed(p: Paragraph) -> str:
    """The paragraph's text with its spacing as one reads it (no-break spaces included)."""
    return " ".join(p.text.replace("\u00a0", " ").split())


@rule("NB01", "number.format", "Số, ký hiệu not in the decree's form", f"{P2}, khoản 3", "error",
      "Số: 5/TB - SCT", "Số: 05/TB-SCT", fixable=True)
def number_format(doc: CheckedDocument) -> list[Finding] | None:
    p = doc.so_line
    if p is None:
        return None
    text = _printed(p)
    out = []
    if not text.startswith("Số:"):
        out.append(at(p, _("'{text}': write 'Số' followed by a colon").format(text=text)))
    match = SO_LINE.match(text)
    spaced = match is None or " " in match["ky_hieu"] or (
        match["so"] and not re.search(r"\d/\S", text))  # a blank number leaves room before the '/'
    if spaced:
        out.append(at(p, _("'{text}': no spaces inside the number and symbol (e.g. Số: 05/TB-SCT)").format(
            text=text)))
        return out
    number, symbol = match["so"], match["ky_hieu"]
    if number and len(number) < 2:
        out.append(at(p, _("number {number} needs a leading zero: {fixed}").format(
            number=number, fixed=f"{int(number):02d}"), _("write {fixed}").format(fixed=f"{int(number):02d}")))
    if "CV" in symbol.split("-"):
        out.append(at(p, _("'CV' is not an abbreviation: a công văn's symbol is AGENCY-UNIT")))
    if "/" in symbol or any(re.fullmatch(r"(19|20)\d\d", g) for g in symbol.split("-")):
        out.append(at(p, _("an administrative document's number carries no year")))
    return out


@rule("DT01", "date.format", "Date line not in the decree's form, or not a date", f"{P2}, khoản 4", "error",
      "Lạng Sơn, ngày 5 tháng 02 năm 2021", "Lạng Sơn, ngày 05 tháng 02 năm 2021", fixable=True)
def date_format(doc: CheckedDocument) -> list[Finding] | None:
    p = doc.date_line
    if p is None:
        return None
    text = _printed(p)
    if re.search(r"ngày\s+tháng\s+năm", text):  # left blank for e-office stamping
        return []
    _place, _date, problems = parse_date_line(text)
    return [at(p, _("'{text}': {problem}").format(text=text, problem=problem)) for problem in problems]


# ---- signer and Nơi nhận -----------------------------------------------------------------

# Forms as people mistype them too: 'K/T', 'KT', 'T.M', 'tm.'
AUTHORITY_START = re.compile(r"^(T[./]?M|K[./]?T|T[./]?L|T[./]?U[./]?Q|Q)[./]?\s", re.IGNORECASE)


@rule("SG01", "signature.authority", "Authority line not written TM./KT./TL./TUQ./Q. in capitals",
      f"{P2}, khoản 7", "error", "K/T GIÁM ĐỐC", "KT. GIÁM ĐỐC")
def authority_line(doc: CheckedDocument) -> list[Finding] | None:
    titles, _names = _signer_parts(doc)
    if not titles:
        return None
    out = []
    for p in titles:
        text = p.text.strip()
        if AUTHORITY_START.match(text) and not any(text.startswith(a + " ") for a in AUTHORITIES):
            out.append(at(p, _("'{text}': write the form as one of {forms}, followed by a space").format(
                text=text, forms=", ".join(AUTHORITIES))))
    return out


@rule("NN01", "noi-nhan.list", "Nơi nhận list not in the decree's form", f"{P2}, khoản 9", "error",
      "- UBND tỉnh, / Lưu VT", "- UBND tỉnh; … - Lưu: VT, VP.")
def noi_nhan_list(doc: CheckedDocument) -> list[Finding] | None:
    items = doc.noi_nhan_items
    if not items:
        return None
    out = []
    for p in items[:-1]:
        if not p.text.rstrip().endswith(";") and not fold(p.text).lstrip("- ").startswith("luu"):
            out.append(at(p, _("each recipient line ends with ';'")))
    last = items[-1]
    if not fold(last.text).lstrip("- ").startswith("luu:"):
        out.append(at(last, _("the last line is '- Lưu: VT, …'")))
    if not last.text.rstrip().endswith("."):
        out.append(at(last, _("the last line ends with '.'")))
    return out


# ---- page numbers --------------------------------------------------------------------------

def _has_page_field(part) -> bool:
    if part is None:
        return False
    instructions = "".join(t.text or "" for t in part.iter(w("instrText")))
    simple = " ".join(f.get(w("instr"), "") for f in part.iter(w("fldSimple")))
    return "PAGE" in (instructions + simple).upper()


@rule("PG01", "page.number", "Page numbers missing, not in the header, or shown on page 1", P1, "error",
      "page number in the footer, on every page", "centred in the header, from page 2")
def page_numbers(doc: CheckedDocument) -> list[Finding] | None:
    if not doc.sections:
        return None
    main = doc.sections[0]
    out = []
    default_header = doc.header_footer(main, "header", "default")
    title_page = main.find("w:titlePg", NS) is not None and main.find("w:titlePg", NS).get(w("val")) not in ("0",
                                                                                                             "false")
    if not _has_page_field(default_header):
        where = _("in the footer") if _has_page_field(doc.header_footer(main, "footer", "default")) else ""
        out.append(Finding(_("no page number in the header {where}").format(where=where).strip(), "mục 1"))
    if not title_page and _has_page_field(default_header):
        out.append(Finding(_("the page number shows on page 1; the first page has no number"), "mục 1"))
    if title_page and _has_page_field(doc.header_footer(main, "header", "first")):
        out.append(Finding(_("the page number shows on page 1; the first page has no number"), "mục 1"))
    if _has_page_field(default_header):
        paragraph = next((p for p in default_header.iter(w("p")) if _has_page_field(p)), None)
        if paragraph is not None:
            fmt = doc.styles.paragraph_format(paragraph)
            size = doc.styles.run_format(paragraph, paragraph.find(".//w:r", NS)).size
            if fmt.align != "center":
                out.append(Finding(_("the page number is not centred"), "mục 1"))
            if size is not None and size not in E["so_trang"].size_range:
                out.append(Finding(_("page number size {size:g} pt; expected {allowed} pt").format(
                    size=size, allowed=E["so_trang"].size_range), "mục 1"))
    return out


# ---- appendices ----------------------------------------------------------------------------

@rule("AP01", "appendix.layout", "Appendix does not start a page of its own, or the text does not refer to it",
      layout.CLAUSE_APPENDIX, "warning", "Phụ lục I right after the signature", "Phụ lục I on a new page (section)")
def appendix_layout(doc: CheckedDocument) -> list[Finding] | None:
    headings = doc.appendix_headings
    if not headings:
        return None
    out = []
    main_text = " ".join(p.text for p in doc.body)
    position = {roman(i): i - 1 for i in range(1, len(headings) + 1)}
    for number in unreferenced_appendices(main_text, len(headings)):
        out.append(at(headings[position[number]],
                      _("the main text does not refer to Phụ lục {number}").format(number=number)))
    for heading in headings:
        previous = doc.paragraphs[heading.number - 2] if heading.number > 1 else None
        new_page = (previous is not None and previous.el.find("w:pPr/w:sectPr", NS) is not None) \
            or heading.format.page_break_before \
            or (previous is not None and any(b.get(w("type")) == "page" for b in previous.el.iter(w("br"))))
        if not new_page:
            out.append(at(heading, _("the appendix does not start on a new page")))
    return out


# ---- text ----------------------------------------------------------------------------------

# Latin-1 symbols that TCVN3 (.VnTime) uses for Vietnamese letters and Unicode text never has
# inside a word: '¸' á, 'µ' à, '¶' ả, '·' ã, '¹' ạ, '¨' ă, '©' â, '®' đ, 'ª' ê, '«' ô, '¬' ơ …
TCVN3_MARKS = re.compile("[¸µ¶·¹¨©®ª«¬»¾¼½]")


@rule("TX03", "text.unicode", "Text not in Unicode NFC, or in a legacy encoding", P1, "error",
      "Th«ng b¸o (TCVN3), chƣơng (U+01A3)", "Thông báo, chương (Unicode NFC)")
def unicode_text(doc: CheckedDocument) -> list[Finding] | None:
    out = []
    for p in doc.paragraphs:
        if not p.text:
            continue
        if not unicodedata.is_normalized("NFC", p.text):
            out.append(at(p, _("not in Unicode NFC (combining accents)")))
        if "\u01a3" in p.text or "\u01a2" in p.text:
            out.append(at(p, _("'ƣ' (U+01A3) where 'ư' is meant")))
        legacy = [word for word in re.findall(r"\S+", p.text) if TCVN3_MARKS.search(word.strip(".,;:()"))
                  and re.search(r"[A-Za-z]", word)]
        if legacy:
            out.append(at(p, _("text looks like a legacy encoding (TCVN3/VNI): {words}").format(
                words=" ".join(legacy[:4]))))
    return out if doc.paragraphs else None
