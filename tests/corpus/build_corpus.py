"""Build the checker's corpus: conformant documents made without vanthu's templates.

    python tests/corpus/build_corpus.py      # writes tests/corpus/*.docx

Each document is typed here with python-docx alone, the way another program (or a careful
clerk in Word) lays out a Decree 30 document: its own table layouts, rules drawn as paragraph
borders above or below, DrawingML or VML lines, PAGE fields as complex or simple fields, one-page
and multi-page documents, turned and unturned landscape appendices, blank e-office number and
date. vanthu's code is used for nothing but measuring text (to make rules as long as the decree
asks), so the checker is tested on layouts it did not write.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Mm, Pt

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))

from vanthu.textwidth import text_width_mm  # noqa: E402 - measuring only

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
TNR = "Times New Roman"
CENTER, BOTH, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT

BODY = ("Thực hiện kế hoạch công tác năm, để bảo đảm việc tổ chức các hoạt động được thống nhất, đúng quy "
        "định, cơ quan đề nghị các đơn vị trực thuộc chủ động rà soát nhiệm vụ được giao, phối hợp chặt chẽ "
        "với các cơ quan liên quan và báo cáo kết quả đúng thời hạn.")


@dataclass
class Spec:
    name: str
    kind: str = "thong_bao"  # thong_bao, cong_van, quyet_dinh, bao_cao, to_trinh, ke_hoach
    header: str = "one_row"  # one_row: a table of one row; two_rows: agency | Quốc hiệu over Số | date
    rule: str = "border_below"  # border_below, border_above (the next empty paragraph's top), own, drawing, vml
    page_field: str = "complex"  # complex, simple, none
    body_paragraphs: int = 3
    body_size: float = 14
    indent_mm: float = 10
    margins: tuple[float, float, float, float] = (20, 20, 30, 15)  # top, bottom, left, right
    appendix: str = ""  # '', 'turned' (landscape, margins turned with the page), 'unturned'
    e_office: bool = False  # số and date left blank
    parent: str = "UBND TỈNH LẠNG SƠN"
    agency: str = "SỞ CÔNG THƯƠNG"
    place: str = "Lạng Sơn"
    notes: list[str] = field(default_factory=list)


def _font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.name, run.font.size, run.font.bold, run.font.italic = TNR, Pt(size), bold, italic
    fonts = run._r.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:eastAsia", "w:cs"):
        fonts.set(docx.oxml.ns.qn(slot), TNR)


def _para(container, text: str, size: float, *, bold=False, italic=False, align=CENTER, before=0, after=0,
          first_line=None, left=None, right=None):
    p = container.add_paragraph()
    f = p.paragraph_format
    f.alignment, f.space_before, f.space_after = align, Pt(before), Pt(after)
    if first_line is not None:
        f.first_line_indent = Mm(first_line)
    if left is not None:
        f.left_indent = Mm(left)
    if right is not None:
        f.right_indent = Mm(right)
    if text:
        _font(p.add_run(text), size, bold, italic)
    return p


def _border(p, side: str) -> None:
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {W}><w:{side} w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'))


def _tiny(p) -> None:
    """An empty paragraph that takes almost no height (a holder for a line)."""
    p.paragraph_format.line_spacing = Pt(2)
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)


def _drawing_line(p, length_mm: float, shape_id: int) -> None:
    cx = round(length_mm * 36000)
    p._p.append(parse_xml(
        f'<w:r {W} xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><w:drawing>'
        f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="0"/>'
        f'<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:docPr id="{shape_id}" name="Line {shape_id}"/>'
        '<wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
        'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvCnPr/>'
        f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="0"/></a:xfrm><a:prstGeom prst="line">'
        '<a:avLst/></a:prstGeom><a:ln w="6350"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>'
        '</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>'))


def _vml_line(p, length_mm: float, offset_mm: float) -> None:
    """A VML line from offset_mm to offset_mm + length_mm along the paragraph (VML places a line
    from the paragraph's start, so the offset centres it)."""
    start, end = (round(v * 72 / 25.4, 1) for v in (offset_mm, offset_mm + length_mm))
    p._p.append(parse_xml(
        f'<w:r {W} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
        f'<v:line from="{start}pt,0" to="{end}pt,0" strokeweight=".5pt" style="position:relative"/></w:pict></w:r>'))


def _rule_under(cell, p, text: str, size: float, bold: bool, width_mm: float, fraction: float, spec: Spec,
                ids: list[int]) -> None:
    """The line the decree draws under p (its text is `text`), fraction of the text's length."""
    length = text_width_mm(text, size, bold) * fraction
    if cell is not None and hasattr(cell, "_tc"):  # a table cell: Word's default cell margins, 1.905 mm each side
        width_mm -= 2 * 1.905
    side = (width_mm - length) / 2
    if spec.rule == "own" and fraction == 1:
        p.paragraph_format.left_indent = p.paragraph_format.right_indent = Mm(side - 0.5)
        _border(p, "bottom")
        return
    holder = _para(cell, "", size, align=CENTER)
    _tiny(holder)
    if not hasattr(cell, "_tc"):  # under the trích yếu: the body starts a step below the line
        holder.paragraph_format.space_after = Pt(12)
    if spec.rule in ("border_below", "own"):
        holder.paragraph_format.left_indent = holder.paragraph_format.right_indent = Mm(side)
        _border(holder, "bottom")
    elif spec.rule == "border_above":
        holder.paragraph_format.left_indent = holder.paragraph_format.right_indent = Mm(side)
        _border(holder, "top")
    elif spec.rule == "drawing":
        ids[0] += 1
        _drawing_line(holder, length, ids[0])
    elif spec.rule == "vml":
        holder.alignment = LEFT
        _vml_line(holder, length, side)


def _no_borders(table) -> None:
    table._tbl.tblPr.append(parse_xml(
        f'<w:tblBorders {W}>' + "".join(f'<w:{s} w:val="nil"/>' for s in
                                         ("top", "left", "bottom", "right", "insideH", "insideV")) + "</w:tblBorders>"))


def _cell_widths(table, widths: list[float]) -> None:
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.findall(docx.oxml.ns.qn("w:gridCol")), widths, strict=True):
        col.set(docx.oxml.ns.qn("w:w"), str(round(width * 56.692)))  # LibreOffice lays the table out by its grid
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)


def _clear(cell) -> None:
    """A new cell holds one empty paragraph; the content is added after it, then it is removed."""
    first = cell.paragraphs[0]
    first._p.getparent().remove(first._p)


TITLES = {"thong_bao": "THÔNG BÁO", "quyet_dinh": "QUYẾT ĐỊNH", "bao_cao": "BÁO CÁO", "to_trinh": "TỜ TRÌNH",
          "ke_hoach": "KẾ HOẠCH"}
ABBREVIATIONS = {"thong_bao": "TB", "quyet_dinh": "QĐ", "bao_cao": "BC", "to_trinh": "TTr", "ke_hoach": "KH"}


def header(doc, spec: Spec, text_width: float, ids: list[int]) -> None:
    left_w, right_w = 68.0, text_width - 68.0
    number = "Số:      /" if spec.e_office else "Số: 12/"
    symbol = "SCT-QLTM" if spec.kind == "cong_van" else f"{ABBREVIATIONS[spec.kind]}-SCT"
    date = (f"{spec.place}, ngày      tháng      năm 2024" if spec.e_office
            else f"{spec.place}, ngày 05 tháng 3 năm 2024")
    rows = 1 if spec.header == "one_row" else 2
    table = doc.add_table(rows=rows, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _no_borders(table)
    _cell_widths(table, [left_w, right_w])
    agency_cell, nation_cell = table.cell(0, 0), table.cell(0, 1)
    so_cell, date_cell = (table.cell(0, 0), table.cell(0, 1)) if rows == 1 else (table.cell(1, 0), table.cell(1, 1))
    for cell in {id(c._tc): c for c in (agency_cell, nation_cell, so_cell, date_cell)}.values():
        _clear(cell)
    _para(agency_cell, spec.parent, 12)
    agency = _para(agency_cell, spec.agency, 12, bold=True)
    _rule_under(agency_cell, agency, spec.agency, 12, True, left_w, 0.4, spec, ids)
    _para(so_cell, number + symbol, 13, before=6)
    if spec.kind == "cong_van":
        _para(so_cell, "V/v phối hợp tổ chức hội chợ", 12, before=6)
    _para(nation_cell, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, bold=True)
    tieu_ngu = _para(nation_cell, "Độc lập - Tự do - Hạnh phúc", 13, bold=True)
    _rule_under(nation_cell, tieu_ngu, "Độc lập - Tự do - Hạnh phúc", 13, True, right_w, 1.0, spec, ids)
    _para(date_cell, date, 13, italic=True, before=6)


def title(doc, spec: Spec, text_width: float, ids: list[int]) -> None:
    if spec.kind == "cong_van":
        _para(doc, "Kính gửi: Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn.", 14, before=12, after=6)
        return
    _para(doc, TITLES[spec.kind], 14, bold=True, before=18)
    summary = {"quyet_dinh": "Về việc thành lập Ban tổ chức hội chợ", "to_trinh": "Về việc phê duyệt kinh phí",
               "ke_hoach": "Tổ chức hội chợ thương mại năm 2024"}.get(spec.kind, "Về việc tổ chức hội chợ thương mại")
    trich_yeu = _para(doc, summary, 14, bold=True)
    _rule_under(doc, trich_yeu, summary, 14, True, text_width, 0.4, spec, ids)  # the body: no cell margins
    if spec.kind == "quyet_dinh":
        _para(doc, "GIÁM ĐỐC SỞ CÔNG THƯƠNG", 14, bold=True, before=12, after=6)
        for line in ("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
                     "Theo đề nghị của Trưởng phòng Quản lý thương mại."):
            _para(doc, line, 14, italic=True, align=BOTH, first_line=spec.indent_mm, after=6)
        _para(doc, "QUYẾT ĐỊNH:", 14, bold=True, before=6, after=6)
    if spec.kind == "to_trinh":
        _para(doc, "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.", 14, before=12, after=6)


def body(doc, spec: Spec) -> None:
    for i in range(spec.body_paragraphs):
        text = (f"Điều {i + 1}. " if spec.kind == "quyet_dinh" else "") + BODY
        if spec.appendix and i == 0:
            text += " Danh mục nhiệm vụ chi tiết tại Phụ lục I kèm theo."
        _para(doc, text, spec.body_size, align=BOTH, first_line=spec.indent_mm, after=6)
    if spec.kind not in ("quyet_dinh",):
        _para(doc, "Đề nghị các đơn vị triển khai thực hiện./.", spec.body_size, align=BOTH,
              first_line=spec.indent_mm, after=6)


def signature(doc, spec: Spec, text_width: float) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    _cell_widths(table, [75.0, text_width - 75.0])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _clear(left)
    _clear(right)
    _para(left, "Nơi nhận:", 12, bold=True, italic=True, align=LEFT, before=12)
    lines = ["- Như trên;" if spec.kind in ("cong_van", "to_trinh") else "- Các phòng thuộc Sở;",
             "- UBND tỉnh (b/c);", "- Lưu: VT, QLTM."]
    for line in lines:
        _para(left, line, 11, align=LEFT)
    _para(right, "KT. GIÁM ĐỐC", 14, bold=True, before=12)
    _para(right, "PHÓ GIÁM ĐỐC", 14, bold=True)
    for _i in range(4):
        _para(right, "", 14)
    _para(right, "Nguyễn Văn An", 14, bold=True)


def page_numbers(section, spec: Spec) -> None:
    section.different_first_page_header_footer = True
    if spec.page_field == "none":
        return
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    props = '<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman"/><w:sz w:val="28"/></w:rPr>'
    if spec.page_field == "simple":
        p._p.append(parse_xml(f'<w:fldSimple {W} w:instr=" PAGE "><w:r>{props}<w:t>2</w:t></w:r></w:fldSimple>'))
    else:
        for part in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                     '<w:fldChar w:fldCharType="separate"/>', "<w:t>2</w:t>", '<w:fldChar w:fldCharType="end"/>'):
            p._p.append(parse_xml(f"<w:r {W}>{props}{part}</w:r>"))


def appendix(doc, spec: Spec) -> None:
    section = doc.add_section()
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    top, bottom, left, right = (30, 15, 20, 20) if spec.appendix == "turned" else spec.margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section._sectPr.append(parse_xml(f'<w:pgNumType {W} w:start="1"/>'))
    _para(doc, "Phụ lục I", 14, bold=True)
    _para(doc, "DANH MỤC NHIỆM VỤ", 14, bold=True)
    _para(doc, "(Kèm theo Kế hoạch số 12/KH-SCT ngày 05 tháng 3 năm 2024 của Sở Công Thương)", 14, italic=True,
          after=6)
    table = doc.add_table(rows=3, cols=3)
    table.style = doc.styles["Table Grid"]
    for r, row in enumerate([("STT", "Nhiệm vụ", "Thời hạn"), ("1", "Khảo sát", "Tháng 4"),
                             ("2", "Tổ chức hội chợ", "Tháng 6")]):
        for c, text in enumerate(row):
            cell = table.cell(r, c)
            _font(cell.paragraphs[0].add_run(text), 13, bold=r == 0)


def build(spec: Spec) -> docx.Document:
    doc = docx.Document()
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = TNR, Pt(spec.body_size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(docx.oxml.ns.qn("w:eastAsia"), TNR)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    top, bottom, left, right = spec.margins
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance = section.footer_distance = Mm(10)
    text_width = 210 - left - right
    doc.paragraphs[0]._p.getparent().remove(doc.paragraphs[0]._p) if doc.paragraphs else None
    ids = [0]
    header(doc, spec, text_width, ids)
    title(doc, spec, text_width, ids)
    body(doc, spec)
    signature(doc, spec, text_width)
    page_numbers(section, spec)
    if spec.appendix:
        appendix(doc, spec)
    doc.core_properties.author = "corpus"
    return doc


CORPUS = [
    Spec("01-thong-bao-border-below", body_paragraphs=8),
    Spec("02-thong-bao-border-above", rule="border_above", page_field="simple", body_paragraphs=8),
    Spec("03-cong-van-drawingml-one-page", kind="cong_van", rule="drawing", page_field="none", body_paragraphs=2),
    Spec("04-cong-van-vml-one-page", kind="cong_van", rule="vml", page_field="none", body_paragraphs=2),
    Spec("05-bao-cao-two-row-header", kind="bao_cao", header="two_rows", body_paragraphs=9),
    Spec("06-quyet-dinh", kind="quyet_dinh", body_paragraphs=7, rule="border_above"),
    Spec("07-ke-hoach-landscape-turned", kind="ke_hoach", body_paragraphs=7, appendix="turned"),
    Spec("08-ke-hoach-landscape-unturned", kind="ke_hoach", body_paragraphs=7, appendix="unturned",
         page_field="simple"),
    Spec("09-thong-bao-e-office", e_office=True, page_field="none", body_paragraphs=2),
    Spec("10-thong-bao-own-border-wide-margins", rule="own", margins=(25, 25, 35, 20), body_size=13,
         body_paragraphs=2, page_field="none"),
    Spec("11-to-trinh-indent-1-27", kind="to_trinh", indent_mm=12.7, body_paragraphs=8),
    Spec("12-bao-cao-drawingml-multi-page", kind="bao_cao", rule="drawing", body_paragraphs=9, page_field="simple"),
    Spec("13-thong-bao-long-place", place="TP. Hồ Chí Minh", parent="UBND THÀNH PHỐ HỒ CHÍ MINH",
         agency="SỞ CÔNG THƯƠNG", body_paragraphs=2, page_field="none", header="two_rows"),
]


def main() -> None:
    for spec in CORPUS:
        path = HERE / f"{spec.name}.docx"
        build(spec).save(path)
        print(f"wrote {path.relative_to(HERE.parents[1])}")


if __name__ == "__main__":
    main()
