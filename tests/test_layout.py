"""Every layout rule of Decree 30, read back from the .docx of each of the seven types."""

from __future__ import annotations

import pytest

from conftest import RECORDS, load_example
from docx_view import DocxView, mm
from vanthu.nd30 import layout, texts
from vanthu.ooxml.namespaces import NS, w
from vanthu.textwidth import text_width_mm

EXAMPLES = {
    "thong_bao": "thong-bao", "ke_hoach": "ke-hoach", "giay_moi": "giay-moi", "cong_van": "cong-van",
    "quyet_dinh": "quyet-dinh", "bao_cao": "bao-cao", "to_trinh": "to-trinh",
}


@pytest.fixture(scope="module")
def views(tmp_path_factory):
    from vanthu.batch import generate

    out = tmp_path_factory.mktemp("examples")
    results = list(generate([RECORDS], out))
    assert all(r.ok for r in results), [str(p) for r in results for p in r.problems]
    found = {}
    for key, prefix in EXAMPLES.items():
        (path,) = [r.output for r in results if r.output.name.startswith(prefix.replace("_", "-"))]
        found[key] = DocxView(path)
    return found


TYPES = list(EXAMPLES)


def rule_length_mm(view: DocxView, para) -> float:
    """Length of a rule drawn as the bottom border of an empty paragraph."""
    assert "bottom" in para.fmt.borders and para.fmt.borders["bottom"]["val"] == "single"
    available = view.cell_width_mm(para.el) if para.el.xpath("ancestor::w:tc", namespaces=NS) \
        else layout.TEXT_WIDTH_MM
    return available - mm(para.fmt.left) - mm(para.fmt.right)


def next_paragraph(view: DocxView, para):
    following = para.el.getnext()
    return view.para(following)


@pytest.mark.parametrize("kind", TYPES)
def test_page_is_a4_portrait_with_margins_in_range(views, kind):
    main = views[kind].sections()[0]
    size = main.find("w:pgSz", NS)
    assert round(mm(int(size.get(w("w"))))) == 210 and round(mm(int(size.get(w("h"))))) == 297
    assert size.get(w("orient")) in (None, "portrait")
    margins = main.find("w:pgMar", NS)
    for side, allowed in layout.MARGIN_RANGES_MM.items():
        assert round(mm(int(margins.get(w(side)))), 1) in allowed, side


@pytest.mark.parametrize("kind", TYPES)
def test_every_text_run_is_times_new_roman_in_all_four_slots(views, kind):
    view = views[kind]
    runs = [r for p in view.paragraphs() for r in p.runs]
    assert runs
    for run in runs:
        assert run.fonts == dict.fromkeys(("ascii", "hAnsi", "eastAsia", "cs"), "Times New Roman")


@pytest.mark.parametrize("kind", TYPES)
def test_header_is_a_borderless_two_column_table(views, kind):
    view = views[kind]
    header = view.tables()[0]
    assert len(header.findall("w:tblGrid/w:gridCol", NS)) == 2
    borders = header.find("w:tblPr/w:tblBorders", NS)
    assert all(b.get(w("val")) in ("nil", "none") for b in borders)
    left, right = header.findall("w:tr", NS)[0].findall("w:tc", NS)
    assert "SỞ CÔNG THƯƠNG" in "".join(left.itertext())
    assert texts.QUOC_HIEU in "".join(right.itertext())


@pytest.mark.parametrize("kind", TYPES)
def test_agency_names_and_rule(views, kind):
    view = views[kind]
    parent = view.find("UBND TỈNH LẠNG SƠN")
    assert parent.sizes <= {12, 13} and parent.runs and not any(r.bold for r in parent.runs)
    agency = view.find("SỞ CÔNG THƯƠNG")
    assert agency.sizes <= {12, 13} and all(r.bold for r in agency.runs) and agency.text.isupper()
    assert agency.fmt.align == "center" and parent.fmt.align == "center"
    rule = next_paragraph(view, agency)
    assert rule.text == ""
    line = text_width_mm(agency.text, agency.runs[0].size, bold=True)
    assert line / 3 <= rule_length_mm(view, rule) <= line / 2


@pytest.mark.parametrize("kind", TYPES)
def test_quoc_hieu_and_tieu_ngu_with_a_rule_as_long_as_its_text(views, kind):
    view = views[kind]
    quoc_hieu = view.find(texts.QUOC_HIEU)
    assert quoc_hieu.sizes <= {12, 13} and all(r.bold for r in quoc_hieu.runs)
    tieu_ngu = view.find(texts.TIEU_NGU)
    assert tieu_ngu.sizes <= {13, 14} and all(r.bold for r in tieu_ngu.runs)
    assert not any(r.underline for r in tieu_ngu.runs), "a rule, not character underline"
    rule = next_paragraph(view, tieu_ngu)
    expected = text_width_mm(texts.TIEU_NGU, tieu_ngu.runs[0].size, bold=True)
    assert rule_length_mm(view, rule) == pytest.approx(expected, abs=0.5)


@pytest.mark.parametrize("kind", TYPES)
def test_so_and_date_lines_sit_level_in_one_row(views, kind):
    view = views[kind]
    so = view.find("Số:", startswith=True)
    date = view.find("Lạng Sơn, ngày", startswith=True)
    assert so.sizes == {13} and not any(r.italic for r in so.runs)
    assert date.sizes <= {13, 14} and all(r.italic for r in date.runs)
    so_row = so.el.xpath("ancestor::w:tr[1]", namespaces=NS)[0]
    assert so_row is date.el.xpath("ancestor::w:tr[1]", namespaces=NS)[0]
    # each is the first paragraph of its cell, with the same spacing before
    for para in (so, date):
        assert para.el.xpath("ancestor::w:tc[1]", namespaces=NS)[0].find("w:p", NS) is para.el
    assert so.fmt.before == date.fmt.before


@pytest.mark.parametrize("kind", [k for k in TYPES if k != "cong_van"])
def test_title_and_trich_yeu_with_rule(views, kind):
    view = views[kind]
    record = load_example(EXAMPLES[kind])
    title = view.find(view_title(kind))
    assert title.sizes <= {13, 14} and all(r.bold for r in title.runs) and title.text.isupper()
    assert title.fmt.align == "center"
    summary = view.find(record["trich_yeu"])
    assert summary.sizes <= {13, 14} and all(r.bold for r in summary.runs)
    assert summary.fmt.align == "center"
    rule = next_paragraph(view, summary)
    line = min(text_width_mm(summary.text, summary.runs[0].size, bold=True), layout.TEXT_WIDTH_MM)
    assert line / 3 <= rule_length_mm(view, rule) <= line / 2


def view_title(kind: str) -> str:
    from vanthu.nd30.doc_types import DOC_TYPES

    return DOC_TYPES[kind].title


def test_cong_van_has_vv_under_so_and_no_title(views):
    view = views["cong_van"]
    vv = view.find("V/v", startswith=True)
    assert vv.sizes <= {12, 13} and not any(r.bold for r in vv.runs)
    assert vv.fmt.before == 120, "6 pt under Số"
    so = view.find("Số:", startswith=True)
    assert so.text == "Số: 115/SCT-QLCN" and "CV" not in so.text
    assert so.el.getnext() is vv.el
    assert not view.find_all(lambda p: p.text == "CÔNG VĂN")


@pytest.mark.parametrize("kind", TYPES)
def test_body_paragraphs(views, kind):
    view = views[kind]
    body = view.find_all(lambda p: view.styles.paragraph_style_id(p.el) == "VTNoiDung" and p.text)
    assert body
    for para in body:
        assert para.sizes <= {13, 14}
        assert para.fmt.align == "both"
        assert round(mm(para.fmt.first_line), 2) in layout.FIRST_LINE_INDENTS_MM
        assert para.fmt.after >= 120 or para.fmt.before >= 120, "at least 6 pt between paragraphs"
        assert para.fmt.line_rule == "auto" and 240 <= para.fmt.line <= 360
        assert not any(r.italic for r in para.runs if r.size)
    assert body[-1].text.endswith("./.")


@pytest.mark.parametrize("kind", TYPES)
def test_signer_block(views, kind):
    view = views[kind]
    record = load_example(EXAMPLES[kind])
    signer = record["nguoi_ky"]
    name = view.find(signer["ho_ten"])
    assert name.sizes <= {13, 14} and all(r.bold for r in name.runs)
    lines = [view.find(signer["chuc_vu"])]
    if signer.get("quyen_han"):
        lines.append(view.find(f"{signer['quyen_han']} {signer['thay_mat']}"))
    for line in lines:
        assert line.sizes <= {13, 14} and all(r.bold for r in line.runs) and line.text.isupper()
        assert line.fmt.align == "center"
    # room for the signature and seal between the title and the name
    cell = name.el.xpath("ancestor::w:tc[1]", namespaces=NS)[0]
    paras = cell.findall("w:p", NS)
    assert paras.index(name.el) - paras.index(lines[0].el) > layout.SIGNATURE_GAP_LINES


@pytest.mark.parametrize("kind", TYPES)
def test_noi_nhan(views, kind):
    view = views[kind]
    label = view.find(texts.NOI_NHAN_LABEL)
    assert label.sizes == {12} and all(r.bold and r.italic for r in label.runs)
    items = []
    el = label.el.getnext()
    while el is not None and el.tag == w("p"):
        items.append(view.para(el))
        el = el.getnext()
    entries = [p for p in items if p.text.startswith("- ")]
    assert entries and all(p.sizes == {11} for p in entries)
    assert all(p.text.endswith(";") for p in entries[:-1])
    assert entries[-1].text.startswith("- Lưu: VT") and entries[-1].text.endswith(".")
    # level with the authority line: both start their cells in the same row
    row = label.el.xpath("ancestor::w:tr[1]", namespaces=NS)[0]
    assert texts.NOI_NHAN_LABEL in "".join(row.findall("w:tc", NS)[0].itertext())


def test_nhu_tren_opens_noi_nhan_when_there_is_kinh_gui(views):
    for kind in ("cong_van", "bao_cao", "to_trinh"):
        label = views[kind].find(texts.NOI_NHAN_LABEL)
        assert views[kind].para(label.el.getnext()).text == "- Như trên;"
    first = views["quyet_dinh"].para(views["quyet_dinh"].find(texts.NOI_NHAN_LABEL).el.getnext())
    assert first.text == "- Như Điều 3;"


@pytest.mark.parametrize("kind", TYPES)
def test_page_number_in_header_hidden_on_page_one(views, kind):
    view = views[kind]
    main = view.sections()[0]
    assert main.find("w:titlePg", NS) is not None
    first = view.header_footer(main, "header", "first")
    assert first is not None and "".join(first.itertext()).strip() == ""
    default = view.header_footer(main, "header", "default")
    instr = "".join(t.text for t in default.iter(w("instrText")))
    assert "PAGE" in instr
    para = view.para(default.find("w:p", NS))
    assert para.fmt.align == "center"
    assert 13 <= view.styles.run_format(default.find("w:p", NS), default.find(".//w:r", NS)).size <= 14


def test_appendix_on_its_own_landscape_section_with_its_own_numbering(views):
    view = views["ke_hoach"]
    sections = view.sections()
    assert len(sections) == 2
    appendix = sections[1]
    assert appendix.find("w:pgNumType", NS).get(w("start")) == "1"
    assert appendix.find("w:pgSz", NS).get(w("orient")) == "landscape"
    assert appendix.find("w:titlePg", NS) is not None
    heading = view.find("Phụ lục I")
    assert heading.sizes == {14} and all(r.bold for r in heading.runs) and heading.fmt.align == "center"
    assert view.section_of(heading.el) is appendix
    title = view.find("NHIỆM VỤ TUYÊN TRUYỀN", startswith=True)
    assert title.text.isupper() and all(r.bold for r in title.runs) and title.sizes <= {13, 14}
    kem = view.find("(Kèm theo Kế hoạch số 12/KH-SCT ngày 05 tháng 02 năm 2021", startswith=True)
    assert all(r.italic for r in kem.runs) and kem.sizes <= {13, 14}
    # the page-1 contact footer does not follow into the appendix
    footer = view.header_footer(appendix, "footer", "first")
    assert footer is not None and "".join(footer.itertext()).strip() == ""


def test_appendix_table_groups_and_merges_rows_vertically(views):
    view = views["ke_hoach"]
    table = view.tables()[-1]
    rows = table.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None, "header repeats on each page"
    merges = [r.findall("w:tc", NS)[2].find("w:tcPr/w:vMerge", NS) for r in rows[1:]]
    states = ["restart" if m is not None and m.get(w("val")) == "restart" else
              "continue" if m is not None else None for m in merges]
    assert states == ["restart", "continue", "continue", "restart", "continue", "restart"]


def test_urgency_mark_is_a_boxed_stamp_in_the_left_column(views):
    view = views["cong_van"]
    mark = view.find("KHẨN")
    box = mark.el.xpath("ancestor::w:tbl[1]", namespaces=NS)[0]
    borders = box.find("w:tblPr/w:tblBorders", NS)
    assert {etree_local(b) for b in borders if b.get(w("val")) == "single"} >= {"top", "left", "bottom", "right"}
    width = mm(int(box.find("w:tblGrid/w:gridCol", NS).get(w("w"))))
    height = mm(int(box.find("w:tr/w:trPr/w:trHeight", NS).get(w("val"))))
    assert (round(width), round(height)) == texts.DO_KHAN["KHẨN"]
    assert all(r.bold for r in mark.runs) and mark.sizes <= {13, 14}
    header_left = view.tables()[0].findall("w:tr", NS)[1].findall("w:tc", NS)[0]
    assert box in list(header_left.iter(w("tbl")))


def test_contacts_footer_on_page_one_only_under_a_full_width_rule(views):
    view = views["cong_van"]
    main = view.sections()[0]
    first = view.header_footer(main, "footer", "first")
    contact = [p for p in first.findall("w:p", NS) if "".join(p.itertext()).strip()]
    assert len(contact) == 1
    para = view.para(contact[0])
    assert para.text.startswith("Địa chỉ:")
    assert para.sizes <= {11, 12}
    assert para.fmt.borders["top"]["val"] == "single" and para.fmt.left == 0 and para.fmt.right == 0
    default = view.header_footer(main, "footer", "default")
    assert "".join(default.itertext()).strip() == ""


def test_quyet_dinh_authority_can_cu_and_articles(views):
    view = views["quyet_dinh"]
    assert view.find("GIÁM ĐỐC SỞ CÔNG THƯƠNG").runs[0].bold
    can_cu = view.find_all(lambda p: p.text.startswith(("Căn cứ", "Theo đề nghị")))
    assert len(can_cu) == 3
    assert all(r.italic for p in can_cu for r in p.runs)
    assert [p.text[-1] for p in can_cu] == [";", ";", "."]
    lead = view.find(texts.QUYET_DINH_LEAD)
    assert all(r.bold for r in lead.runs)
    article = view.find("Điều 1.", startswith=True)
    assert article.runs[0].bold and not article.runs[-1].bold


def test_kinh_gui_several_recipients_each_on_its_line(views):
    view = views["cong_van"]
    view.find(texts.KINH_GUI_LABEL)
    first = view.find("- Ủy ban nhân dân các huyện, thành phố;")
    last = view.find("- Hiệp hội Doanh nghiệp tỉnh Lạng Sơn.")
    assert first.fmt.left == last.fmt.left > 0
    assert not any(r.bold for r in first.runs) and first.sizes <= {13, 14}


def test_kinh_gui_one_recipient_on_the_label_line(views):
    view = views["bao_cao"]
    line = view.find("Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.")
    assert line.sizes <= {13, 14} and not any(r.bold for r in line.runs)


def test_invitation_lines(views):
    view = views["giay_moi"]
    view.find("Sở Công Thương tỉnh Lạng Sơn trân trọng kính mời:", startswith=True)
    view.find("Tới dự Lễ khai mạc", startswith=True)
    view.find("Chủ trì: Đồng chí Giám đốc Sở Công Thương.")
    view.find("Thời gian: 09 giờ 00 phút, ngày 20 tháng 9 năm 2021 đến 11 giờ 30 phút.")
    view.find("Địa điểm: Trung tâm Hội chợ Triển lãm thương mại tỉnh Lạng Sơn", startswith=True)


def etree_local(el) -> str:
    from lxml import etree

    return etree.QName(el).localname
