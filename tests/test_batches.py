"""Batches: parallel runs, isolation, reruns, the report, mail merge, the bundle."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import openpyxl

from conftest import ROOT, record, write_records
from docx_view import DocxView
from vanthu.batch import REPORT_FILE, generate
from vanthu.cli import main
from vanthu.ooxml.namespaces import NS, w
from vanthu.records import excel_layout as xl


def many(tmp_path, count: int, per_file: int = 5, bad: set[int] = frozenset()):
    folder = tmp_path / "in"
    for start in range(0, count, per_file):
        items = []
        for i in range(start, min(start + per_file, count)):
            items.append(record(so=i + 1, ngay="31/02/2021" if i in bad else "10/09/2021",
                                trich_yeu=f"Về việc số {i + 1}"))
        write_records(folder, *items, name=f"f{start:04d}.yaml")
    return folder


def test_parallel_batch_isolates_failures_and_reports(tmp_path, capsys):
    folder = many(tmp_path, 30, bad={3, 17})
    out = tmp_path / "out"
    assert main(["generate", str(folder), "-o", str(out), "--jobs", "2"]) == 1
    assert len(list(out.glob("*.docx"))) == 28
    captured = capsys.readouterr()
    assert "28 văn bản đã tạo, 0 không đổi, 2 không tạo được" in captured.out
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    assert (report["written"], report["unchanged"], report["failed"]) == (28, 0, 2)
    failed = [r for r in report["records"] if r["status"] == "failed"]
    assert [f["source"].rsplit("/", 1)[-1] for f in failed] == ["f0000.yaml#4", "f0015.yaml#3"]
    assert failed[0]["problems"][0]["field"] == "ngay"
    # not a terminal: plain progress lines on stderr
    assert "[6/6]" in captured.err


def test_parallel_and_serial_runs_give_identical_files(tmp_path):
    folder = many(tmp_path, 12)
    list(generate([folder], tmp_path / "a", jobs=2))
    list(generate([folder], tmp_path / "b", jobs=1))
    a = sorted((tmp_path / "a").glob("*.docx"))
    assert len(a) == 12
    for path in a:
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_rerun_skips_unchanged_and_redoes_changed(tmp_path):
    folder = many(tmp_path, 6, per_file=3)
    out = tmp_path / "out"
    first = list(generate([folder], out, jobs=2))
    assert [r.status for r in first] == ["written"] * 6
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.docx")}
    write_records(folder, record(so=1, trich_yeu="Về việc số 1"), record(so=2, trich_yeu="Về việc đã sửa"),
                  record(so=3, trich_yeu="Về việc số 3"), name="f0000.yaml")
    second = list(generate([folder], out, jobs=2))
    assert [r.status for r in second] == ["unchanged", "written", "unchanged", "unchanged", "unchanged", "unchanged"]
    assert second[1].output.name == "thong-bao_02_2021-09-10_ve-viec-da-sua.docx"
    for result in second:
        if result.status == "unchanged":
            assert result.output.stat().st_mtime_ns == stamps[result.output.name]
    forced = list(generate([folder], out, force=True))
    assert [r.status for r in forced] == ["written"] * 6
    # a document deleted by hand is made again
    second[0].output.unlink()
    assert next(r.status for r in generate([folder], out)) == "written"


def test_rerun_renders_again_when_the_template_changes(tmp_path):
    import docx

    template = tmp_path / "t.docx"
    document = docx.Document()
    document.add_paragraph("{{ trich_yeu }}")
    document.save(template)
    source = write_records(tmp_path / "in", record())
    assert [r.status for r in generate([source], tmp_path / "out", template)] == ["written"]
    assert [r.status for r in generate([source], tmp_path / "out", template)] == ["unchanged"]
    document.add_paragraph("{{ so_ky_hieu }}")
    document.save(template)
    assert [r.status for r in generate([source], tmp_path / "out", template)] == ["written"]


def test_mail_merge_500_recipients(tmp_path):
    base = record(loai="GM", so=7, trich_yeu="Dự lễ khai mạc Triển lãm", kinh_gui=None,
                  su_kien={"ten": "Lễ khai mạc Triển lãm", "bat_dau": "20/09/2021 09:00",
                           "dia_diem": "Trung tâm Hội chợ Triển lãm tỉnh Lạng Sơn"})
    source = write_records(tmp_path / "in", base)
    recipients = tmp_path / "nguoi-nhan.csv"
    with recipients.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Kính gửi", "Địa chỉ", "Danh xưng", "Mã doanh nghiệp"])
        for i in range(1, 501):
            writer.writerow([f"Công ty TNHH Số {i}", f"Số {i} đường Trần Đăng Ninh", "Ông/Bà", f"DN{i:04d}"])
    results = list(generate([source], tmp_path / "out", merge=recipients, jobs=2))
    assert len(results) == 500 and all(r.status == "written" for r in results)
    names = {r.output.name for r in results}
    assert len(names) == 500
    # spread over both processes, the results still come in the list's order
    assert [int(r.output.stem.rsplit("-", 1)[1]) for r in results] == list(range(1, 501))
    assert "giay-moi_07_chua-ngay" not in next(iter(names))
    assert any(n.endswith("_du-le-khai-mac-trien-lam-cong-ty-tnhh-so-137.docx") for n in names)
    view = DocxView(next(r.output for r in results if r.output.name.endswith("so-137.docx")))
    view.find("Sở Công Thương trân trọng kính mời: Công ty TNHH Số 137")


def test_mail_merge_fields_reach_user_templates_from_a_workbook_sheet(tmp_path):
    import docx

    template = tmp_path / "thu.docx"
    document = docx.Document()
    document.add_paragraph("Kính gửi: {{ du_lieu.nguoi_nhan.danh_xung }} {{ kinh_gui[0] }}")
    document.add_paragraph("Địa chỉ: {{ du_lieu.nguoi_nhan.dia_chi }} ({{ du_lieu.nguoi_nhan['Mã'] }})")
    document.save(template)
    assert main(["excel-template", "-o", str(tmp_path / "ds.xlsx")]) == 0
    book = openpyxl.load_workbook(tmp_path / "ds.xlsx")
    sheet = book[xl.SHEET_RECIPIENTS]
    sheet.cell(row=1, column=4, value="Mã")
    sheet.append(["Công ty A", "Số 1 Lê Lợi", "Ông", "A1"])
    sheet.append(["Công ty B", "Số 2 Lê Lợi", "Bà", "B2"])
    book.save(tmp_path / "ds.xlsx")
    source = write_records(tmp_path / "in", record())
    results = list(generate([source], tmp_path / "out", template, merge=tmp_path / "ds.xlsx"))
    assert [r.status for r in results] == ["written", "written"]
    DocxView(results[1].output).find("Kính gửi: Bà Công ty B")
    DocxView(results[1].output).find("Địa chỉ: Số 2 Lê Lợi (B2)")


def _recipients_csv(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Kính gửi", "Địa chỉ", "Danh xưng", "Mã số thuế"])
        writer.writerows(rows)
    return path


def test_file_names_from_a_pattern_with_recipient_fields(tmp_path, capsys):
    source = write_records(tmp_path / "in", record(so=12))
    recipients = _recipients_csv(tmp_path / "ds.csv", [
        ["Công ty Cổ phần Đồng Đăng", "Số 5 Lê Lợi, Lạng Sơn", "Ông", "4900100"],
        ["Công ty TNHH Hữu Nghị", "", "Bà", "4900200"],
        ["Công ty TNHH Hữu Nghị", "Số 9 Bà Triệu", "Bà", "4900300"],
    ])
    out = tmp_path / "out"
    assert main(["generate", str(source), "-o", str(out), "--merge", str(recipients),
                 "--name", "{ky_hieu}-{so}_{nguoi_nhan.kinh_gui}_{nguoi_nhan.Mã số thuế}_{nguoi_nhan.dia_chi}"]) == 0
    names = sorted(p.name for p in out.glob("*.docx"))
    assert names == ["tb-sct-12_cong-ty-co-phan-dong-dang_4900100_so-5-le-loi-lang-son.docx",
                     "tb-sct-12_cong-ty-tnhh-huu-nghi_4900200_.docx",
                     "tb-sct-12_cong-ty-tnhh-huu-nghi_4900300_so-9-ba-trieu.docx"]
    # the same name twice gets the batch's numbered suffix
    assert main(["generate", str(source), "-o", str(tmp_path / "out2"), "--merge", str(recipients),
                 "--name", "{nguoi_nhan.kinh_gui}"]) == 0
    assert sorted(p.name for p in (tmp_path / "out2").glob("*.docx")) == [
        "cong-ty-co-phan-dong-dang.docx", "cong-ty-tnhh-huu-nghi.docx", "cong-ty-tnhh-huu-nghi_2.docx"]


def test_a_bad_name_pattern_stops_before_anything_is_written(tmp_path, capsys):
    source = write_records(tmp_path / "in", record())
    for pattern, says in [("{so", "ngoặc nhọn không khớp"), ("../{so}", "không được chứa /"),
                          ("ban-in", "không có chỗ điền"), ("{so_van_ban}", "chỗ điền không biết '{so_van_ban}'"),
                          ("{nguoi_nhan.dia_chi}", "cần có --merge")]:
        out = tmp_path / "out"
        assert main(["generate", str(source), "-o", str(out), "--name", pattern]) == 2
        assert says in capsys.readouterr().err
        assert not list(out.glob("*.docx"))


def test_a_new_name_pattern_renames_on_rerun(tmp_path):
    source = write_records(tmp_path / "in", record(so=5), record(so=6, trich_yeu="Về việc khác"))
    out = tmp_path / "out"
    first = list(generate([source], out))
    assert [r.status for r in first] == ["written", "written"]
    again = list(generate([source], out))
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    renamed = list(generate([source], out, name="{co_quan}-{so}"))
    assert [r.status for r in renamed] == ["written", "written"]
    assert sorted(p.name for p in out.glob("*.docx")) == ["sct-05.docx", "sct-06.docx"]
    assert [r.replaced.name for r in renamed] == [r.output.name for r in first]
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    assert [Path(r["replaced"]).name for r in report["records"]] == [r.output.name for r in first]
    assert [r.status for r in generate([source], out, name="{co_quan}-{so}")] == ["unchanged", "unchanged"]
    # a file edited since vanthu wrote it is never removed
    (out / "sct-06.docx").write_bytes(b"edited by hand")
    list(generate([source], out, name="{so}"))
    assert sorted(p.name for p in out.glob("*.docx")) == ["05.docx", "06.docx", "sct-06.docx"]


def test_bundle_restarts_page_numbering_per_record(tmp_path):
    source = write_records(tmp_path / "in", record(), record(so=6, noi_dung="Xem Phụ lục I.",
                                                          phu_luc=[{"tieu_de": "Danh mục"}]), record(so=7))
    bundle = tmp_path / "in-gop.docx"
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--bundle", str(bundle)]) == 0
    view = DocxView(bundle)
    sections = view.sections()
    assert len(sections) == 4  # three documents, one of them with an appendix
    for sect in sections:
        assert sect.find("w:pgNumType", NS).get(w("start")) == "1"
        assert sect.find("w:titlePg", NS) is not None
    marks = [b.get(w("name")) for b in view.body.iter(w("bookmarkStart"))]
    assert marks == ["vanthuDoc00001", "vanthuDoc00002", "vanthuDoc00003"]
    assert [p.text for p in view.paragraphs()].count("Số: 05/TB-SCT") == 1
    # each document keeps its own headers and footers
    rel_ids = {ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
               for sect in sections for ref in sect.iter(w("headerReference"))}
    assert len(rel_ids) == 6
    for rel_id in rel_ids:
        view.part_xml(rel_id)


def test_bundle_converts_with_libreoffice(tmp_path):
    import shutil

    if shutil.which("soffice") is None:
        import pytest

        pytest.skip("LibreOffice is not installed")
    source = write_records(tmp_path / "in", record(), record(so=6))
    bundle = tmp_path / "gop.docx"
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--bundle", str(bundle)]) == 0
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(bundle)],
                         capture_output=True, text=True, timeout=120)
    assert (tmp_path / "gop.pdf").exists(), run.stderr
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "gop.pdf"), "-"], capture_output=True,
                          text=True).stdout
    pages = text.split("\f")
    assert sum("Số: 05/TB-SCT" in p for p in pages) == 1 and sum("Số: 06/TB-SCT" in p for p in pages) == 1


def test_generate_py_accepts_the_batch_options(tmp_path):
    folder = many(tmp_path, 4, per_file=2)
    result = subprocess.run([sys.executable, str(ROOT / "generate.py"), str(folder), "-o", str(tmp_path / "o"),
                             "--jobs", "2", "--force"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert len(list((tmp_path / "o").glob("*.docx"))) == 4


def test_a_record_whose_summary_changes_leaves_one_file(tmp_path):
    out = tmp_path / "out"
    (first,) = generate([write_records(tmp_path / "in", record(trich_yeu="Về việc cũ"))], out)
    (second,) = generate([write_records(tmp_path / "in", record(trich_yeu="Về việc mới"))], out)
    assert second.status == "written" and second.replaced == first.output
    assert [p.name for p in out.glob("*.docx")] == ["thong-bao_05_2021-09-10_ve-viec-moi.docx"]


def test_progress_moves_per_part_and_prints_a_line_per_file(tmp_path, capsys):
    from vanthu.batch import Progress

    folder = many(tmp_path, 10)
    recipients = _recipients_csv(tmp_path / "ds.csv", [[f"Công ty {i}", "", ""] for i in range(6)])
    seen: list[Progress] = []
    list(generate([folder], tmp_path / "out", merge=recipients, jobs=2, on_progress=seen.append))
    assert [p.units_done for p in seen] == list(range(1, len(seen) + 1)) and seen[-1].units == len(seen)
    assert len(seen) == 2 * 16  # two files, each cut in 8 parts per process for the merge
    assert [p.files_done for p in seen if p.file_finished] == [1, 2] and seen[-1].files == 2
    # not a terminal: one line per file finished
    assert main(["generate", str(folder), "-o", str(tmp_path / "out2"), "--merge", str(recipients)]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("[")]
    assert lines == [f"[1/2] {folder / 'f0000.yaml'}", f"[2/2] {folder / 'f0005.yaml'}"]


def test_a_fault_in_one_record_does_not_cost_the_others(tmp_path, monkeypatch):
    import vanthu.batch.record as batch

    real = batch.build_context

    def faulty(doc, **kwargs):
        if doc.so == 3:
            raise KeyError("simulated fault")
        return real(doc, **kwargs)

    monkeypatch.setattr(batch, "build_context", faulty)
    results = list(generate([many(tmp_path, 6)], tmp_path / "out", jobs=1))
    assert [r.status for r in results] == ["written", "written", "failed", "written", "written", "written"]
    assert "lỗi không lường trước: KeyError: 'simulated fault'" in str(results[2].problems[0])


def test_a_killed_process_fails_only_its_file(tmp_path, monkeypatch):
    import os

    import vanthu.batch.pool as batch

    real = batch.render_record

    def dies_on_record_13(raw, *args, **kwargs):
        if raw.data.get("so") == 13:
            os._exit(9)  # the process vanishes, as when the kernel kills it
        return real(raw, *args, **kwargs)

    monkeypatch.setattr(batch, "render_record", dies_on_record_13)  # forked workers inherit it
    folder = many(tmp_path, 30)
    out = tmp_path / "out"
    assert main(["generate", str(folder), "-o", str(out), "--jobs", "2"]) == 1
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    written = {Path(r["output"]).name for r in report["records"] if r["status"] == "written"}
    failed = [r for r in report["records"] if r["status"] == "failed"]
    # the file holding record 13 (records 11-15) is reported; every other file is rendered
    assert [(r["source"], r["problems"][0]["message"][:40]) for r in failed] == [
        (str(folder / "f0010.yaml"), "một tiến trình kết xuất dừng đột ngột (h")]
    assert len(written) == 25 and written == {p.name for p in out.glob("*.docx")}
    assert [r["source"] for r in report["records"]][10] == str(folder / "f0010.yaml")  # in the inputs' order
    assert not list(out.glob(".vanthu.*.tmp"))


def _cp1258(text: str) -> bytes:
    """Text as Windows writes it in cp1258: letters with their tone mark as a combining mark."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + "".join(c for c in decomposed if c in tones))
    return "".join(out).encode("cp1258")


def test_recipients_from_a_csv_saved_by_excel_with_vietnamese_settings(tmp_path):
    """Plain 'CSV' from Excel on Vietnamese Windows: semicolons, the cp1258 code page."""
    base = record(loai="GM", so=7, trich_yeu="Dự lễ khai mạc", kinh_gui=None,
                  su_kien={"ten": "Lễ khai mạc", "bat_dau": "20/09/2021 09:00", "dia_diem": "Hội trường"})
    source = write_records(tmp_path / "in", base)
    text = ("Kính gửi;Địa chỉ;Danh xưng\r\nCông ty Cổ phần Đồng Đăng;Số 5, Lê Lợi;Ông\r\n"
            ";Số 7 Bà Triệu;\r\nHợp tác xã Hữu Nghị;;Bà\r\n")
    recipients = tmp_path / "ds.csv"
    recipients.write_bytes(_cp1258(text))
    results = list(generate([source], tmp_path / "out", merge=recipients, name="{nguoi_nhan.kinh_gui}"))
    assert [r.output.name if r.output else None for r in results] == [
        "cong-ty-co-phan-dong-dang.docx", None, "hop-tac-xa-huu-nghi.docx"]
    DocxView(results[2].output).find("Sở Công Thương trân trọng kính mời: Hợp tác xã Hữu Nghị")
    # a row without its Kính gửi fails alone, at its line
    assert results[1].status == "failed"
    assert str(results[1].problems[-1]) == f"{recipients}:3:1: lỗi [kinh_gui]: người nhận này không có 'Kính gửi'"


def test_a_recipient_list_that_cannot_be_read_stops_with_exit_2(tmp_path, capsys):
    source = write_records(tmp_path / "in", record())
    (tmp_path / "ds.xlsx").write_text("not a workbook", encoding="utf-8")
    (tmp_path / "ds.txt").write_text("Kính gửi\nCông ty A\n", encoding="utf-8")
    for merge, says in [(tmp_path / "ds.xlsx", "không đọc được tệp Excel"), (tmp_path / "ds.txt", "hoặc tệp .csv"),
                        (tmp_path, "hoặc tệp .csv"), (tmp_path / "khong-co.csv", "không có tệp")]:
        assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--merge", str(merge)]) == 2
        assert says in capsys.readouterr().err
    assert not list((tmp_path / "out").glob("*.docx"))


def test_bundle_options_that_cannot_work_are_refused_before_rendering(tmp_path, capsys):
    source = write_records(tmp_path / "in", record())
    for target in (tmp_path, tmp_path / "gop.odt"):  # a folder, or neither .docx nor .pdf
        assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--bundle", str(target)]) == 2
        assert "--bundle cần tên một tệp .docx hoặc .pdf" in capsys.readouterr().err
        assert not (tmp_path / "out").exists()
    # a bundle that cannot be written fails the run, after the documents and the summary
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["generate", str(source), "-o", str(tmp_path / "out"), "--bundle", str(blocker / "gop.docx")]) == 1
    captured = capsys.readouterr()
    assert "1 văn bản đã tạo" in captured.out and "gop.docx" in captured.err
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1


def test_records_removed_or_moved_in_their_file_keep_the_folder_in_step(tmp_path, capsys):
    folder = tmp_path / "in"
    first, second, third = (record(so=n, trich_yeu=f"Về việc số {n}") for n in (1, 2, 3))
    out = tmp_path / "out"

    def names():
        return sorted(p.name for p in out.glob("*.docx"))

    source = write_records(folder, first, second, third)
    list(generate([source], out))
    before = names()
    assert len(before) == 3
    # the first record taken out: the others keep their names (no '_2'), its document goes
    write_records(folder, second, third)
    results = list(generate([source], out))
    assert [r.status for r in results] == ["written", "written"]
    assert names() == before[1:]
    # two records swapped: same names, nothing else
    write_records(folder, third, second)
    list(generate([source], out))
    assert names() == before[1:]
    # the last record taken out: reported removed
    write_records(folder, third)
    assert main(["generate", str(source), "-o", str(out)]) == 0
    assert f"đã xoá: {out.resolve() / before[1]}" in capsys.readouterr().out
    assert names() == [before[2]]
    report = json.loads((out / REPORT_FILE).read_text(encoding="utf-8"))
    assert report["removed"] == 1 and report["records"][-1]["status"] == "removed"
    # a file that cannot be read removes nothing
    source.write_text("- [unclosed", encoding="utf-8")
    list(generate([source], out))
    assert names() == [before[2]]


def test_a_mail_merge_rerun_follows_recipients_not_rows(tmp_path):
    base = record(loai="GM", so=7, trich_yeu="Dự lễ khai mạc", kinh_gui=None,
                  su_kien={"ten": "Lễ khai mạc", "bat_dau": "20/09/2021 09:00", "dia_diem": "Hội trường"})
    source = write_records(tmp_path / "in", base)
    out = tmp_path / "out"
    rows = [["Công ty A", "", ""], ["Công ty B", "", ""], ["Công ty C", "", ""]]
    recipients = _recipients_csv(tmp_path / "ds.csv", rows)
    assert [r.status for r in generate([source], out, merge=recipients)] == ["written"] * 3
    # a recipient added at the top: the others are unchanged, not shifted
    _recipients_csv(recipients, [["Công ty Mới", "", ""], *rows])
    results = list(generate([source], out, merge=recipients))
    assert [r.status for r in results] == ["written", "unchanged", "unchanged", "unchanged"]
    # one taken out: its invitation goes, the others stay
    _recipients_csv(recipients, [["Công ty Mới", "", ""], rows[0], rows[2]])
    results = list(generate([source], out, merge=recipients))
    assert [r.status for r in results] == ["unchanged", "unchanged", "unchanged", "removed"]
    assert results[-1].output.name.endswith("cong-ty-b.docx") and not results[-1].output.exists()
    assert len(list(out.glob("*.docx"))) == 3
