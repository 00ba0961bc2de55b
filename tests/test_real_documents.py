"""Real documents, faithfully: the decree's endings added only where the text lacks one."""

from __future__ import annotations

from conftest import record, write_records
from docx_view import DocxView
from vanthu.batch import generate


def _workbook(path, values: dict):
    """The blank workbook `vanthu excel-template` writes, one document row filled in as a clerk
    would (openpyxl, as Excel saves it); returns the workbook, still open, to add other sheets."""
    from openpyxl import load_workbook

    from vanthu.records import excel_layout as xl
    from vanthu.records.excel_template import write_blank_workbook

    write_blank_workbook(path)
    book = load_workbook(path)
    sheet = book[xl.SHEET_DOCUMENTS]
    headers = {c.value: c.column for c in sheet[1] if c.value}
    for header, value in values.items():
        sheet.cell(2, headers[header], value)
    return book


def _render(tmp_path, **fields):
    (result,) = generate([write_records(tmp_path / "in", record(**fields))], tmp_path / "out")
    assert result.ok, [str(p) for p in result.problems]
    return DocxView(result.output)


def test_a_theo_de_nghi_line_keeps_its_own_ending_and_loses_a_stray_comma(tmp_path):
    decision = dict(loai="QĐ", tham_quyen="GIÁM ĐỐC SỞ CÔNG THƯƠNG", can_cu=["Căn cứ Luật A"],
                    noi_dung="Điều 1. Quyết định này có hiệu lực kể từ ngày ký.", noi_nhan=["Như Điều 1"],
                    nguoi_ky={"chuc_vu": "GIÁM ĐỐC", "ho_ten": "Hoàng Văn Bình"})
    view = _render(tmp_path / "a", theo_de_nghi="Theo đề nghị của Trưởng phòng Quản lý thương mại,", **decision)
    view.find("Theo đề nghị của Trưởng phòng Quản lý thương mại.")
    assert not view.find_all(lambda p: ",." in p.text)
    view = _render(tmp_path / "b", theo_de_nghi="Xét đề nghị của Trưởng phòng Quản lý thương mại;", **decision)
    view.find("Xét đề nghị của Trưởng phòng Quản lý thương mại;")


def test_the_closing_mark_follows_a_question_or_an_exclamation_without_a_stop_before_it(tmp_path):
    _render(tmp_path / "q", noi_dung="Đề nghị các đơn vị phối hợp thực hiện!").find(
        "Đề nghị các đơn vị phối hợp thực hiện!/.")
    _render(tmp_path / "p", noi_dung="Đề nghị các đơn vị phối hợp thực hiện").find(
        "Đề nghị các đơn vị phối hợp thực hiện./.")


def test_a_single_kinh_gui_keeps_its_own_ending(tmp_path):
    _render(tmp_path / "a", loai="BC", kinh_gui="Ủy ban nhân dân tỉnh Lạng Sơn").find(
        "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.")
    _render(tmp_path / "b", loai="BC", kinh_gui="Ủy ban nhân dân tỉnh Lạng Sơn;").find(
        "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.")
    view = _render(tmp_path / "c", loai="BC", kinh_gui="Các sở, ban, ngành tỉnh…")
    view.find("Kính gửi: Các sở, ban, ngành tỉnh…")
    assert not view.find_all(lambda p: "…." in p.text), "no full stop after an ellipsis"


def test_two_level_signing_authority_from_yaml(tmp_path):
    from vanthu.check.engine import check_file
    from vanthu.check.registry import all_rules

    signer = {"quyen_han": ["TM.", "KT."], "thay_mat": ["ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
              "chuc_vu": "PHÓ CHỦ TỊCH", "ho_ten": "Nguyễn Văn A"}
    data = record(co_quan={"ten": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "viet_tat": "UBND"}, nguoi_ky=signer)
    (result,) = generate([write_records(tmp_path / "in", data)], tmp_path / "out")
    assert result.ok, [str(p) for p in result.problems]
    view = DocxView(result.output)
    lines = [view.find(text) for text in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn A")]
    assert all(line.runs and all(r.bold for r in line.runs) for line in lines)
    report = check_file(result.output, all_rules())
    assert not [r for r in report.results if r.status == "fail" and r.rule.severity == "error"]
    assert {r.rule.code: r.status for r in report.results}["SG01"] == "pass"


def test_two_level_signing_authority_from_a_workbook(tmp_path):
    import datetime as dt

    workbook = tmp_path / "vb.xlsx"
    values = {"Mã văn bản": "TB01", "Loại văn bản": "Thông báo", "Cơ quan ban hành": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
              "Viết tắt cơ quan": "UBND", "Số": 5, "Địa danh": "Lạng Sơn", "Ngày": dt.datetime(2021, 9, 10),
              "Trích yếu": "Về việc thử", "Quyền hạn ký": "TM.\nKT.", "Thay mặt": "ỦY BAN NHÂN DÂN; CHỦ TỊCH",
              "Chức vụ người ký": "PHÓ CHỦ TỊCH", "Họ tên người ký": "Nguyễn Văn A"}
    _workbook(workbook, values).save(workbook)
    (result,) = generate([workbook], tmp_path / "out")
    assert result.ok, [str(p) for p in result.problems]
    view = DocxView(result.output)
    for text in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"):
        view.find(text)


def test_a_legal_normative_decision_carries_the_year_in_its_number_and_checks(tmp_path):
    from vanthu.check.engine import check_file
    from vanthu.check.registry import all_rules

    decision = dict(loai="QĐ", so=33, ngay="15/07/2009", quy_pham_phap_luat=True,
                    co_quan={"chu_quan": "", "ten": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", "viet_tat": "UBND"},
                    tham_quyen="ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN", can_cu=["Căn cứ Luật Tổ chức chính quyền địa phương"],
                    trich_yeu="Ban hành Quy chế quản lý chợ",
                    noi_dung="Điều 1. Ban hành kèm theo Quyết định này Quy chế.",
                    nguoi_ky={"quyen_han": "TM.", "thay_mat": "ỦY BAN NHÂN DÂN", "chuc_vu": "CHỦ TỊCH",
                              "ho_ten": "Hoàng Văn Bình"}, noi_nhan=["Như Điều 1"])
    (result,) = generate([write_records(tmp_path / "in", record(**decision))], tmp_path / "out")
    assert result.ok, [str(p) for p in result.problems]
    DocxView(result.output).find("Số: 33/2009/QĐ-UBND")
    report = check_file(result.output, all_rules())
    assert {r.rule.code: r.status for r in report.results}["NB01"] == "pass"
    notice = record(quy_pham_phap_luat=True)
    (refused,) = generate([write_records(tmp_path / "tb", notice)], tmp_path / "out2")
    assert refused.status == "failed" and any("quy_pham_phap_luat" in p.message for p in refused.problems)


def test_appendix_tables_centre_the_stt_column_and_take_widths_from_excel(tmp_path):
    import datetime as dt

    from vanthu.records import excel_layout as xl

    workbook = tmp_path / "kh.xlsx"
    values = {"Mã văn bản": "KH01", "Loại văn bản": "Kế hoạch", "Cơ quan ban hành": "SỞ CÔNG THƯƠNG",
              "Viết tắt cơ quan": "SCT", "Số": 12, "Địa danh": "Lạng Sơn", "Ngày": dt.datetime(2021, 2, 5),
              "Trích yếu": "Tuyên truyền", "Chức vụ người ký": "GIÁM ĐỐC", "Họ tên người ký": "Hoàng Văn Bình"}
    book = _workbook(workbook, values)
    book[xl.SHEET_BODY].append(["KH01", "Chi tiết tại Phụ lục I."])
    appendix = book[xl.SHEET_APPENDIX]
    columns = {c.value: c.column for c in appendix[1] if c.value}

    def row(kind, *cells):
        r = appendix.max_row + 1
        appendix.cell(r, columns[xl.KEY], "KH01")
        appendix.cell(r, columns["Tiêu đề phụ lục"], "Danh mục nhiệm vụ")
        if kind:
            appendix.cell(r, columns["Dòng tiêu đề"], kind)
        for i, value in enumerate(cells, 1):
            appendix.cell(r, columns[f"Cột {i}"], value)

    row("Độ rộng", 1, 6, 2)
    row("Có", "STT", "Nhiệm vụ", "Thời hạn")
    row(None, "1", "Khảo sát thị trường", "Tháng 4")
    book.save(workbook)
    (result,) = generate([workbook], tmp_path / "out")
    assert result.ok, [str(p) for p in result.problems]
    view = DocxView(result.output)
    number = view.find("1")
    task = view.find("Khảo sát thị trường")
    assert number.fmt.align == "center" and task.fmt.align != "center"
    from vanthu.ooxml.namespaces import NS

    grid = [int(c.get(f"{{{NS['w']}}}w")) for c in view.body.iter(f"{{{NS['w']}}}gridCol")][-3:]
    assert abs(grid[1] / grid[0] - 6) < 0.05 and abs(grid[2] / grid[0] - 2) < 0.05


def test_the_drafters_note_after_the_luu_line_as_agencies_write_it(tmp_path):
    from vanthu.check.engine import check_file
    from vanthu.check.registry import all_rules

    (result,) = generate([write_records(tmp_path / "in", record(luu=["KGVX"], luu_ghi_chu="Cương (3b)"))],
                         tmp_path / "out")
    assert result.ok, [str(p) for p in result.problems]
    DocxView(result.output).find("- Lưu: VT, KGVX. Cương (3b)")
    report = check_file(result.output, all_rules())
    assert {r.rule.code: r.status for r in report.results}["NN01"] == "pass"


def test_a_table_in_the_body_takes_widths_alignment_and_merged_groups_from_its_markup(tmp_path):
    from vanthu.ooxml.namespaces import NS

    body = "\n".join([
        "Kết quả thực hiện như sau:",
        "| STT | Đơn vị | Nội dung | Kinh phí (triệu đồng) |",
        "|:---:|:------|:----------|------:|",
        "| 1 | Sở Công Thương | Hội chợ | 1.200 |",
        "| 2 | ^ | Triển lãm | 850 |",
        "| 3 | Sở Tài chính | Thẩm định | 35 |",
        "Đề nghị các đơn vị phối hợp thực hiện.",
    ])
    view = _render(tmp_path, loai="BC", kinh_gui="Ủy ban nhân dân tỉnh", noi_dung=body)
    money = view.find("1.200")
    assert money.fmt.align == "right" and view.find("Triển lãm").fmt.align in (None, "left")
    assert view.find("2").fmt.align == "center"
    (table,) = [t for t in view.body.iter(f"{{{NS['w']}}}tbl") if len(t.findall("w:tblGrid/w:gridCol", NS)) == 4]
    widths = [int(c.get(f"{{{NS['w']}}}w")) for c in table.findall("w:tblGrid/w:gridCol", NS)]
    assert abs(widths[2] / widths[0] - 10 / 3) < 0.05 and abs(widths[3] / widths[0] - 6 / 3) < 0.05
    merges = [m.get(f"{{{NS['w']}}}val") for m in view.body.iter(f"{{{NS['w']}}}vMerge")]
    assert merges == ["restart", None], merges  # 'Sở Công Thương' spans rows 1 and 2
    assert not view.find_all(lambda p: p.text.strip() == "^")


def test_a_giay_moi_as_issued_lead_in_invitees_one_per_line_worded_time_and_the_models_order(tmp_path):
    event = {"ten": "Hội nghị tổng kết công tác năm 2021", "bat_dau": "17/12/2021 14:00",
             "thoi_gian": "14 giờ 00, thứ Sáu, ngày 17/12/2021 (½ ngày)", "dia_diem": "Hội trường Sở Công Thương",
             "chu_tri": "Đồng chí Giám đốc Sở", "ghi_chu": "Đề nghị đại biểu có mặt trước 15 phút.",
             "loi_dan": "Thực hiện Kế hoạch số 12/KH-SCT ngày 05/02/2021, Sở Công Thương tổ chức Hội nghị tổng kết."}
    view = _render(tmp_path, loai="GM", trich_yeu="Dự Hội nghị tổng kết công tác năm 2021",
                   kinh_gui=["Lãnh đạo các phòng thuộc Sở", "Giám đốc các doanh nghiệp"], su_kien=event)
    texts = [p.text for p in view.paragraphs()]
    order = [texts.index(t) for t in (
        event["loi_dan"],
        "Sở Công Thương trân trọng kính mời:",
        "- Lãnh đạo các phòng thuộc Sở;",
        "- Giám đốc các doanh nghiệp.",
        "Tới dự Hội nghị tổng kết công tác năm 2021.",
        "Chủ trì: Đồng chí Giám đốc Sở.",
        "Thời gian: 14 giờ 00, thứ Sáu, ngày 17/12/2021 (½ ngày).",
        "Địa điểm: Hội trường Sở Công Thương.",
    )]
    assert order == sorted(order), order
    assert any(t.startswith("Đề nghị đại biểu có mặt trước 15 phút.") for t in texts)
    assert all("17/12/2021 14:00" not in t for t in texts)  # the machine-readable start is not printed
    from vanthu.check.engine import check_file
    from vanthu.check.registry import all_rules

    report = check_file(view.path, all_rules())
    assert not [(r.rule.code, [f.message for f in r.findings]) for r in report.results
                if r.status == "fail" and r.rule.severity == "error"]
