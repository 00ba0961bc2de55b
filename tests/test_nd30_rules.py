"""Decree 30 conventions on their edge values."""

from __future__ import annotations

import datetime as dt

import pytest

from vanthu.nd30.authority import normalise_authority, signature_lines
from vanthu.nd30.dates import date_line, parse_date_line, parse_record_date
from vanthu.nd30.doc_types import DOC_TYPES, find_doc_type
from vanthu.nd30.numbering import DIEM_LETTERS, diem_letter, format_number, ky_hieu, parse_so_ky_hieu, so_line


@pytest.mark.parametrize(("number", "text"), [(1, "01"), (9, "09"), (10, "10"), (115, "115")])
def test_numbers_below_ten_take_a_leading_zero(number, text):
    assert format_number(number) == text


def test_blank_number_leaves_room_for_e_office_stamping():
    line = so_line(None, "TB-SCT")
    assert line.startswith("Số: ") and line.endswith("/TB-SCT")
    assert line[4:-7].strip() == "" and len(line[4:-7]) >= 4


def test_symbols():
    assert so_line(5, ky_hieu(DOC_TYPES["thong_bao"], ["SCT"])) == "Số: 05/TB-SCT"
    assert ky_hieu(DOC_TYPES["cong_van"], ["SCT"], "VP") == "SCT-VP"
    assert ky_hieu(DOC_TYPES["ke_hoach"], ["SCT", "SVHTTDL"]) == "KH-SCT-SVHTTDL"
    assert ky_hieu(DOC_TYPES["to_trinh"], ["UBND"]) == "TTr-UBND"
    assert ky_hieu(DOC_TYPES["quyet_dinh"], ["BNV"]) == "QĐ-BNV"


@pytest.mark.parametrize(("date", "line"), [
    (dt.date(2021, 2, 5), "Lạng Sơn, ngày 05 tháng 02 năm 2021"),
    (dt.date(2021, 1, 1), "Lạng Sơn, ngày 01 tháng 01 năm 2021"),
    (dt.date(2021, 2, 28), "Lạng Sơn, ngày 28 tháng 02 năm 2021"),
    (dt.date(2019, 6, 29), "Lạng Sơn, ngày 29 tháng 6 năm 2019"),
    (dt.date(2021, 3, 9), "Lạng Sơn, ngày 09 tháng 3 năm 2021"),
    (dt.date(2021, 12, 31), "Lạng Sơn, ngày 31 tháng 12 năm 2021"),
    (dt.date(2021, 10, 10), "Lạng Sơn, ngày 10 tháng 10 năm 2021"),
])
def test_date_line(date, line):
    assert date_line("Lạng Sơn", date) == line
    assert parse_date_line(line) == ("Lạng Sơn", date, [])


def test_date_line_problems_are_read_back():
    _place, _date, problems = parse_date_line("Hà Nội, ngày 5 tháng 3 năm 2021")
    assert problems == ["day '5' should be written '05'"]
    _place, _date, problems = parse_date_line("Hà Nội, ngày 05 tháng 2 năm 2021")
    assert problems == ["month '2' should be written '02'"]
    _place, date, problems = parse_date_line("Hà Nội, ngày 31 tháng 02 năm 2021")
    assert date is None and "not a date" in problems[0]


def test_record_dates_are_day_first():
    assert parse_record_date("05/02/2021") == dt.date(2021, 2, 5)
    assert parse_record_date("2021-02-05") == dt.date(2021, 2, 5)
    with pytest.raises(ValueError):
        parse_record_date("31/02/2021")
    with pytest.raises(ValueError):
        parse_record_date("02/13/2021")


def test_diem_letters_follow_the_vietnamese_alphabet():
    assert DIEM_LETTERS[:7] == ["a", "b", "c", "d", "đ", "e", "g"]
    assert not {"f", "j", "w", "z"} & set(DIEM_LETTERS)
    assert diem_letter(4) == "đ" and diem_letter(9) == "k"


def test_all_29_types_are_known_with_their_abbreviations():
    assert len(DOC_TYPES) == 29
    assert find_doc_type("TB").key == "thong_bao"
    assert find_doc_type("Thông báo").key == "thong_bao"
    assert find_doc_type("thong bao").key == "thong_bao"
    assert find_doc_type("QĐ").key == "quyet_dinh"
    assert find_doc_type("QyĐ").key == "quy_dinh"
    assert find_doc_type("HĐ").key == "hop_dong"
    assert find_doc_type("HD").key == "huong_dan"
    assert find_doc_type("ĐA").key == "de_an" and find_doc_type("DA").key == "du_an"
    assert find_doc_type("BGN").abbreviation == "BGN" and find_doc_type("BTT").abbreviation == "BTT"
    assert DOC_TYPES["cong_van"].abbreviation is None and DOC_TYPES["thu_cong"].abbreviation is None
    assert find_doc_type("CV") is None


def test_authority_lines():
    assert normalise_authority("kt") == "KT." and normalise_authority("TUQ.") == "TUQ."
    assert normalise_authority("XYZ") is None
    lines = signature_lines("KT.", "Giám đốc", "Phó Giám đốc", "Nguyễn Văn A")
    assert (lines.authority_line, lines.title_line, lines.name) == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn A")
    lines = signature_lines("TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn B")
    assert lines.authority_line == "TM. ỦY BAN NHÂN DÂN" and lines.title_line == "CHỦ TỊCH"
    lines = signature_lines("Q.", "GIÁM ĐỐC", "", "Lê C")
    assert lines.authority_line == "Q. GIÁM ĐỐC" and lines.title_line is None
    lines = signature_lines(None, None, "Giám đốc", "Lê C")
    assert lines.authority_line is None and lines.title_line == "GIÁM ĐỐC"


def test_parse_so_ky_hieu():
    assert parse_so_ky_hieu("05/TB-SCT") == (5, "TB-SCT")
    assert parse_so_ky_hieu("12/UBND-VX") == (12, "UBND-VX")
    assert parse_so_ky_hieu("5/TB-SCT") is None
    assert parse_so_ky_hieu("05/TB SCT") is None


@pytest.mark.parametrize(("text", "count", "missing"), [
    ("Chi tiết tại Phụ lục I kèm theo.", 1, []),
    ("Chi tiết tại phụ lục kèm theo.", 1, []),
    ("Không nhắc tới.", 1, ["I"]),
    ("Xem Phụ lục I.", 2, ["II"]),
    ("Xem Phụ lục I và II.", 2, []),
    ("Xem các Phụ lục I - III kèm theo.", 3, []),
    ("Xem Phụ lục I, Phụ lục III.", 3, ["II"]),
    ("Xem phụ lục kèm theo.", 2, ["II"]),
])
def test_the_text_must_point_to_each_appendix(text, count, missing):
    from vanthu.nd30.references import unreferenced_appendices

    assert unreferenced_appendices(text, count) == missing
