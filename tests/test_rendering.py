"""Rendering behaviour: escaping, NFC, blank numbers, joint documents, big appendices, names."""

from __future__ import annotations

import unicodedata
import zipfile

from conftest import record, write_records
from docx_view import DocxView
from vanthu.batch import generate
from vanthu.ooxml.namespaces import NS


def test_record_text_is_data_not_markup(render_record):
    tricky = 'Kế hoạch & Tài chính <b>"đặc biệt"</b> {{ 7*7 }} {% if x %}'
    path = render_record(record(trich_yeu=tricky, noi_dung=f"Nội dung {tricky}."))
    view = DocxView(path)
    view.find(tricky)
    view.find(f"Nội dung {tricky}./.")
    assert "49" not in "".join(p.text for p in view.paragraphs())


def test_text_is_nfc_in_the_document(render_record):
    decomposed = unicodedata.normalize("NFD", "Về việc tổ chức Triển lãm")
    path = render_record(record(trich_yeu=decomposed))
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert decomposed not in xml
    DocxView(path).find("Về việc tổ chức Triển lãm")
    for para in DocxView(path).paragraphs():
        assert unicodedata.is_normalized("NFC", para.text)


def test_blank_number_and_date_for_e_office_stamping(render_record):
    view = DocxView(render_record(record(so=None, ngay=None, nam=2021)))
    so = view.find("Số:", startswith=True)
    assert so.text.replace("\u00a0", " ").split() == ["Số:", "/TB-SCT"]
    date = view.find("Lạng Sơn, ngày", startswith=True)
    assert date.text.replace("\u00a0", " ").split() == ["Lạng", "Sơn,", "ngày", "tháng", "năm", "2021"]


def test_two_signers_of_a_joint_document(render_record):
    data = record(
        loai="KH",
        co_quan=[{"ten": "SỞ CÔNG THƯƠNG", "viet_tat": "SCT"},
                 {"ten": "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "viet_tat": "SVHTTDL"}],
        nguoi_ky=[{"chuc_vu": "GIÁM ĐỐC", "ho_ten": "Hoàng Văn Bình"},
                  {"quyen_han": "KT.", "thay_mat": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC", "ho_ten": "Lê Thị Cúc"}])
    view = DocxView(render_record(data))
    assert view.find("Số:", startswith=True).text == "Số: 05/KH-SCT-SVHTTDL"
    first, second = view.find("Hoàng Văn Bình"), view.find("Lê Thị Cúc")
    row_of = lambda p: p.el.xpath("ancestor::w:tr[1]", namespaces=NS)[0]  # noqa: E731
    assert row_of(first) is row_of(second), "joint signers sign side by side"
    cells = row_of(first).findall("w:tc", NS)
    assert second.el in list(cells[0].iter()) and first.el in list(cells[1].iter())
    agencies = view.find("SỞ CÔNG THƯƠNG\nSỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH")
    assert all(r.bold for r in agencies.runs)


def test_two_thousand_row_appendix(render_record):
    rows = [[str(i), f"Nhiệm vụ số {i}", f"Phòng {i % 7}", "Cả năm"] for i in range(1, 2001)]
    data = record(loai="KH", noi_dung="Chi tiết tại Phụ lục I kèm theo.",
                  phu_luc=[{"tieu_de": "Danh mục nhiệm vụ", "ngang": True,
                            "bang": {"cot": ["STT", "Nhiệm vụ", "Chủ trì", "Thời gian"], "dong": rows}}])
    view = DocxView(render_record(data))
    table = view.tables()[-1]
    assert len(table.findall("w:tr", NS)) == 2001
    assert "Nhiệm vụ số 2000" in "".join(table.itertext())


def test_warns_when_the_body_does_not_refer_to_the_appendix(tmp_path):
    data = record(loai="KH", noi_dung="Không nhắc tới.", phu_luc=[{"tieu_de": "Danh mục"}])
    (result,) = list(generate([write_records(tmp_path / "in", data)], tmp_path / "out"))
    assert result.ok
    assert any(p.severity == "warning" and p.field == "noi_dung" and "phụ lục" in p.message.lower()
               for p in result.problems)


def test_output_names_and_collisions(tmp_path):
    source = write_records(tmp_path / "in", record(), record(), record(so=None, ngay=None))
    results = list(generate([source], tmp_path / "out"))
    names = [r.output.name for r in results]
    assert names == ["thong-bao_05_2021-09-10_ve-viec-to-chuc-trien-lam.docx",
                     "thong-bao_05_2021-09-10_ve-viec-to-chuc-trien-lam_2.docx",
                     "thong-bao_chua-so_chua-ngay_ve-viec-to-chuc-trien-lam.docx"]
    assert all(r.output.parent == (tmp_path / "out").resolve() for r in results)


def test_names_stay_inside_the_output_folder(tmp_path):
    source = write_records(tmp_path / "in", record(trich_yeu="../../etc/passwd /tmp/x"))
    (result,) = list(generate([source], tmp_path / "out"))
    assert result.output.parent == (tmp_path / "out").resolve()
    assert result.output.name == "thong-bao_05_2021-09-10_etc-passwd-tmp-x.docx"


def test_same_record_gives_identical_bytes(tmp_path):
    source = write_records(tmp_path / "in", record())
    (first,) = list(generate([source], tmp_path / "a"))
    (second,) = list(generate([source], tmp_path / "b"))
    assert first.output.read_bytes() == second.output.read_bytes()


def test_document_properties_carry_the_identity(render_record):
    path = render_record(record())
    core = zipfile.ZipFile(path).read("docProps/core.xml").decode("utf-8")
    assert "<cp:keywords>05/TB-SCT</cp:keywords>" in core
    assert "<dc:creator>SỞ CÔNG THƯƠNG</dc:creator>" in core
