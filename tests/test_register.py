"""The outgoing-documents register against a real SQLite file and a real PostgreSQL server:
allocation under concurrency, years, sequences, voids, reruns and edits, the Phụ lục IV
workbook both ways, the commands and their exit codes."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import yaml

from conftest import ROOT, record, write_records
from vanthu import api
from vanthu.cli import main
from vanthu.nd30.register import REGISTER_COLUMNS, VOID_NOTE

WORKER = Path(__file__).parent / "register_worker.py"
TODAY = dt.date(2026, 3, 2)


def auto(**changes) -> dict:
    """A record asking for a number; undated unless told, so it is issued on the allocation date."""
    changes.setdefault("ngay", None)
    return record(so="auto", **changes)


def numbers(url: str, **filters) -> list[str]:
    return [e.so_ky_hieu for e in api.register_entries(url, **filters)]


def run(url: str, folder: Path, out: Path, today: dt.date = TODAY, **options) -> api.BatchSummary:
    return api.generate([folder], out, register=url, today=today, keep_all=True, **options)


def messages(summary: api.BatchSummary) -> list[str]:
    return [p.message for d in summary.documents for p in d.problems]


def names(out: Path) -> list[str]:
    return sorted(p.name for p in out.glob("*.docx"))


def test_eight_writers_at_once_take_every_number_once_with_no_gap(register_url):
    # the register does not exist yet: the eight race to create it too
    workers = [subprocess.Popen([sys.executable, str(WORKER), register_url, str(i), "200"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for i in range(8)]
    got: list[int] = []
    for worker in workers:
        out, err = worker.communicate(timeout=600)
        assert worker.returncode == 0, err
        mine = [int(x) for x in out.split()]
        assert mine == sorted(mine)  # each writer's numbers rise
        got += mine
    assert sorted(got) == list(range(1, 1601))
    lines = api.register_entries(register_url)
    assert len(lines) == 1600 and len({e.so for e in lines}) == 1600


def test_numbers_start_again_at_01_on_1_january_and_a_rerun_keeps_last_years(register_url, tmp_path):
    write_records(tmp_path / "a", auto(ngay=None, ma="cuoi-nam"))
    summary = run(register_url, tmp_path / "a", tmp_path / "out-a", today=dt.date(2026, 12, 31))
    assert summary.written == 1, messages(summary)
    write_records(tmp_path / "b", auto(ngay=None, ma="dau-nam"))
    summary = run(register_url, tmp_path / "b", tmp_path / "out-b", today=dt.date(2027, 1, 1))
    assert summary.written == 1, messages(summary)
    (dec,) = api.register_entries(register_url, year=2026)
    (jan,) = api.register_entries(register_url, year=2027)
    assert (dec.so_ky_hieu, dec.ngay) == ("01/TB-SCT", dt.date(2026, 12, 31))
    assert (jan.so_ky_hieu, jan.ngay) == ("01/TB-SCT", dt.date(2027, 1, 1))
    # the date of issue is the allocation date, printed in the document
    assert names(tmp_path / "out-a") == [n for n in names(tmp_path / "out-a") if "_01_2026-12-31_" in n]
    # the December batch run again in January keeps its number and its year
    summary = run(register_url, tmp_path / "a", tmp_path / "out-a", today=dt.date(2027, 1, 2))
    assert summary.unchanged == 1, messages(summary)
    assert numbers(register_url, year=2026) == ["01/TB-SCT"] and numbers(register_url, year=2027) == ["01/TB-SCT"]


def test_secret_documents_advisory_bodies_and_type_groups_keep_their_own_sequences(register_url, tmp_path):
    write_records(tmp_path / "in", auto(ma="tb1"), auto(ma="tb2"),
                  auto(ma="mat1", loai="QĐ", do_mat="MẬT", trich_yeu="Về việc thành lập tổ công tác",
                       tham_quyen="GIÁM ĐỐC SỞ CÔNG THƯƠNG", can_cu=["Căn cứ Luật Tổ chức chính quyền địa phương;"],
                       noi_dung="Điều 1. Thành lập.\nĐiều 2. Hiệu lực."))
    summary = run(register_url, tmp_path / "in", tmp_path / "out")
    assert summary.written == 3, messages(summary)
    assert numbers(register_url, sequence="chung") == ["01/TB-SCT", "02/TB-SCT"]
    assert numbers(register_url, sequence="mat") == ["01/QĐ-SCT"]
    council = {"chu_quan": "UBND TỈNH LẠNG SƠN", "ten": "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "viet_tat": "HĐTĐKT"}
    write_records(tmp_path / "hd", auto(ma="hd1", co_quan=council), auto(ma="hd2", co_quan=council))
    summary = run(register_url, tmp_path / "hd", tmp_path / "out-hd")
    assert summary.written == 2, messages(summary)
    assert numbers(register_url, sequence="tu-van") == ["01/TB-HĐTĐKT", "02/TB-HĐTĐKT"]
    # the head of the agency gives decisions a sequence of their own (Điều 15.1.c)
    assert api.register_sequences(register_url, agency="SCT", groups={"QĐ": ["quyet_dinh"]}) == {"quyet_dinh": "QĐ"}
    qd = {k: v for k, v in yaml.safe_load((tmp_path / "in" / "records.yaml").read_text())[2].items()
          if k != "do_mat"}
    write_records(tmp_path / "qd", {**qd, "ma": "qd1"}, auto(ma="tb3"))
    summary = run(register_url, tmp_path / "qd", tmp_path / "out-qd")
    assert summary.written == 2, messages(summary)
    # its own sequence, but 01/QĐ-SCT is the secret decision's: a (số, ký hiệu) is once a year
    assert numbers(register_url, sequence="QĐ") == ["02/QĐ-SCT"]
    assert numbers(register_url, sequence="chung") == ["01/TB-SCT", "02/TB-SCT", "03/TB-SCT"]


def test_a_voided_number_is_never_given_again_and_stays_in_the_export(register_url, tmp_path, capsys):
    write_records(tmp_path / "in", auto(ma="a"), auto(ma="b"), auto(ma="c"))
    assert run(register_url, tmp_path / "in", tmp_path / "out").written == 3
    assert main(["register", "void", "02/TB-SCT", "--year", "2026", "--reason", "Ghi nhầm trích yếu",
                 "--register", register_url]) == 0
    assert main(["register", "void", "02/TB-SCT", "--year", "2026", "--reason", "again",
                 "--register", register_url]) == 2
    assert "Ghi nhầm" in capsys.readouterr().err
    write_records(tmp_path / "more", auto(ma="d"))
    assert run(register_url, tmp_path / "more", tmp_path / "out-more").written == 1
    assert [(e.so_ky_hieu, e.status) for e in api.register_entries(register_url)] == [
        ("01/TB-SCT", "written"), ("02/TB-SCT", "void"), ("03/TB-SCT", "written"), ("04/TB-SCT", "written")]
    export = tmp_path / "so.xlsx"
    assert main(["register", "export", "--xlsx", str(export), "--year", "2026", "--register", register_url]) == 0
    sheet = openpyxl.load_workbook(export).worksheets[1]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert rows["02/TB-SCT"][9].startswith(VOID_NOTE) and "Ghi nhầm trích yếu" in rows["02/TB-SCT"][9]


def test_export_is_the_phu_luc_iv_layout_and_import_continues_the_numbering(register_url, tmp_path):
    write_records(tmp_path / "in", auto(ma="a", so_ban_phat_hanh=3), auto(ma="b", ngay="15/03/2026"))
    assert run(register_url, tmp_path / "in", tmp_path / "out").written == 2
    export = tmp_path / "so.xlsx"
    done = api.register_export(register_url, export, agency="SCT", year=2026)
    assert done.lines == 2
    again = tmp_path / "so-2.xlsx"
    api.register_export(register_url, again, agency="SCT", year=2026)
    assert export.read_bytes() == again.read_bytes()  # same register, same bytes
    book = openpyxl.load_workbook(export)
    cover, sheet = book.worksheets[0], book.worksheets[1]
    cover_text = " ".join(str(c.value) for row in cover.iter_rows() for c in row if c.value)
    for text in ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", "SỞ CÔNG THƯƠNG", "2026", "02/03/2026", "15/03/2026", "01", "02"):
        assert text in cover_text, text
    assert [c.value for c in sheet[3]][:10] == [title for title, _w in REGISTER_COLUMNS]
    assert [c.value for c in sheet[4]][:10] == [f"({i})" for i in range(1, 11)]
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    assert sheet.print_title_rows and "3" in sheet.print_title_rows
    first = [c.value for c in sheet[5]]
    assert first[0] == "01/TB-SCT" and first[1] in ("02/03/2026", dt.datetime(2026, 3, 2)) and first[6] == 3
    # a register kept elsewhere, continued here
    target = f"sqlite:///{tmp_path / 'tiep-theo.db'}"
    report = api.register_import(target, export)
    assert (report.imported, report.refused) == (2, [])
    assert numbers(target) == ["01/TB-SCT", "02/TB-SCT"]
    write_records(tmp_path / "next", auto(ma="c"))
    assert run(target, tmp_path / "next", tmp_path / "out-next").written == 1
    assert numbers(target)[-1] == "03/TB-SCT"


def test_import_reads_a_workbook_typed_by_hand_and_refuses_taken_numbers_by_row(register_url, tmp_path, capsys):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sổ văn bản đi 2026"
    sheet.append([title for title, _w in REGISTER_COLUMNS])
    sheet.append(["07/TB-SCT", dt.datetime(2026, 1, 5), "Thông báo lịch trực Tết", "Nguyễn Văn An", "Các phòng",
                  "VP", 2, None, None, None])
    sheet.append(["08/CV-SCT", "06/01/2026", "Công văn về việc báo cáo", "Nguyễn Văn An", "UBND tỉnh", "VP", 1,
                  None, None, None])
    sheet.append(["07/TB-SCT", "07/01/2026", "Thông báo gõ trùng số", "Nguyễn Văn An", "", "", None, None, None,
                  None])
    path = tmp_path / "so-tay.xlsx"
    book.save(path)
    assert main(["register", "import", "--xlsx", str(path), "--register", register_url]) == 2
    assert "--agency-name" in capsys.readouterr().err  # no cover: which agency is it?
    code = main(["register", "import", "--xlsx", str(path), "--register", register_url,
                 "--agency-name", "SỞ CÔNG THƯƠNG", "--chu-quan", "UBND TỈNH LẠNG SƠN", "--viet-tat", "SCT"])
    captured = capsys.readouterr()
    assert code == 1
    assert "so-tay.xlsx" in captured.err and "!A4" in captured.err and "07/TB-SCT" in captured.err
    assert numbers(register_url) == ["07/TB-SCT", "08/CV-SCT"]
    # the records' agency is the imported one: numbering continues after 08
    write_records(tmp_path / "in", auto(ma="x", ngay="10/01/2026"))
    summary = run(register_url, tmp_path / "in", tmp_path / "out")
    assert summary.written == 1, messages(summary)
    assert numbers(register_url)[-1] == "09/TB-SCT"


def test_a_hand_typed_number_is_registered_and_a_duplicate_refused_naming_its_holder(register_url, tmp_path):
    write_records(tmp_path / "in", record(so=5, ngay="02/03/2026"), name="a.yaml")
    write_records(tmp_path / "in", record(so=5, ngay="02/03/2026", trich_yeu="Về việc khác"), name="b.yaml")
    summary = run(register_url, tmp_path / "in", tmp_path / "out")
    assert (summary.written, summary.failed) == (1, 1)
    (refusal,) = [m for m in messages(summary) if "05/TB-SCT" in m]
    assert "a.yaml" in refusal  # the document that holds the number
    assert not list((tmp_path / "out").glob("*khac*"))
    assert [(e.so_ky_hieu, e.auto) for e in api.register_entries(register_url)] == [("05/TB-SCT", False)]
    # an auto record then skips the taken number
    write_records(tmp_path / "more", *[auto(ma=f"m{i}") for i in range(5)])
    assert run(register_url, tmp_path / "more", tmp_path / "out-more").written == 5
    assert numbers(register_url) == ["01/TB-SCT", "02/TB-SCT", "03/TB-SCT", "04/TB-SCT", "05/TB-SCT", "06/TB-SCT"]


def test_a_rerun_gets_the_same_numbers_and_an_edited_record_keeps_its_own(register_url, tmp_path):
    source = write_records(tmp_path / "in", auto(), auto(trich_yeu="Về việc thứ hai"), auto(trich_yeu="Thứ ba"))
    first = run(register_url, tmp_path / "in", tmp_path / "out")
    assert first.written == 3
    before = names(tmp_path / "out")
    again = run(register_url, tmp_path / "in", tmp_path / "out")
    assert (again.written, again.unchanged) == (0, 3) and names(tmp_path / "out") == before
    data = yaml.safe_load(source.read_text())
    data[1]["trich_yeu"] = "Về việc thứ hai, sửa lại"
    data.append(auto(trich_yeu="Thứ tư"))
    source.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    edited = run(register_url, tmp_path / "in", tmp_path / "out")
    assert (edited.written, edited.unchanged) == (2, 2), messages(edited)
    lines = api.register_entries(register_url)
    assert [e.so_ky_hieu for e in lines] == ["01/TB-SCT", "02/TB-SCT", "03/TB-SCT", "04/TB-SCT"]
    assert lines[1].trich_yeu == "Về việc thứ hai, sửa lại"
    # with a mã, the records may be reordered and keep their numbers
    keyed = [auto(ma=f"k{i}", trich_yeu=f"Việc {i}") for i in range(3)]
    write_records(tmp_path / "keyed", *keyed)
    run(register_url, tmp_path / "keyed", tmp_path / "out-keyed")
    held = {e.record_key: e.so for e in api.register_entries(register_url) if e.record_key.startswith("ma:")}
    write_records(tmp_path / "keyed", *reversed(keyed))
    run(register_url, tmp_path / "keyed", tmp_path / "out-keyed")
    assert {e.record_key: e.so for e in api.register_entries(register_url)
            if e.record_key.startswith("ma:") and e.status != "void"} == held


def test_a_record_moved_to_another_year_voids_its_old_number_and_says_so(register_url, tmp_path):
    source = write_records(tmp_path / "in", auto(ma="x", ngay="20/12/2026"))
    assert run(register_url, tmp_path / "in", tmp_path / "out").written == 1
    source.write_text(yaml.safe_dump(auto(ma="x", ngay="05/01/2027"), allow_unicode=True), encoding="utf-8")
    summary = run(register_url, tmp_path / "in", tmp_path / "out")
    assert summary.written == 1
    assert any("01/TB-SCT" in m for m in messages(summary))  # its earlier number, void now
    assert [(e.year, e.so_ky_hieu, e.status) for e in api.register_entries(register_url)] == [
        (2026, "01/TB-SCT", "void"), (2027, "01/TB-SCT", "written")]


def test_a_record_with_an_error_takes_no_number(register_url, tmp_path):
    write_records(tmp_path / "in", auto(ma="ok"), auto(ma="bad", nguoi_ky=None), auto(ma="ok2"))
    summary = run(register_url, tmp_path / "in", tmp_path / "out")
    assert (summary.written, summary.failed) == (2, 1)
    assert numbers(register_url) == ["01/TB-SCT", "02/TB-SCT"]


def test_eight_generate_processes_share_one_register(register_url, tmp_path):
    vanthu = str(Path(sys.executable).parent / "vanthu")
    runs = []
    for i in range(8):
        write_records(tmp_path / f"in{i}", *[auto(ma=f"p{i}-{k}", trich_yeu=f"Việc {i}.{k}") for k in range(5)])
        runs.append(subprocess.Popen([vanthu, "generate", str(tmp_path / f"in{i}"), "-o", str(tmp_path / f"out{i}"),
                                      "--register", register_url, "-j", "1"], stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True))
    for process in runs:
        _out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
    lines = api.register_entries(register_url)
    assert sorted(e.so for e in lines) == list(range(1, 41))
    assert {e.status for e in lines} == {"written"}
    for i in range(8):  # each batch's documents carry the numbers the register gave them
        given = sorted(f"_{e.so:02d}_" for e in lines if e.record_key.startswith(f"ma:p{i}-"))
        assert sorted(n[n.index("_"):n.index("_", n.index("_") + 1) + 1] for n in names(tmp_path / f"out{i}")) \
            == given


def test_register_commands_list_show_and_bad_urls(register_url, tmp_path, capsys):
    write_records(tmp_path / "in", auto(ma="a"))
    run(register_url, tmp_path / "in", tmp_path / "out")
    capsys.readouterr()
    assert main(["register", "list", "--register", register_url]) == 0
    listed = capsys.readouterr().out
    assert "01/TB-SCT" in listed and "Về việc tổ chức triển lãm" in listed
    assert main(["register", "show", "01/TB-SCT", "--year", "2026", "--register", register_url, "--format",
                 "json"]) == 0
    assert '"so_ky_hieu": "01/TB-SCT"' in capsys.readouterr().out
    assert main(["register", "show", "09/TB-SCT", "--year", "2026", "--register", register_url]) == 2
    assert "09/TB-SCT" in capsys.readouterr().err
    for url in ("mysql://x@localhost/db", f"postgresql://vanthu@/none?host={tmp_path}/no-socket",
                str(tmp_path / "no-folder" / "so.db")):
        assert main(["register", "list", "--register", url]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and err.strip()


def test_generate_without_register_uses_vanthu_db_beside_records_that_ask(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_records(tmp_path / "in", auto(ma="a"))
    assert main(["generate", "in", "-o", "out"]) == 0
    assert (tmp_path / "in" / "vanthu.db").is_file()
    write_records(tmp_path / "plain", record(so=7))
    assert main(["generate", "plain", "-o", "out-plain"]) == 0
    assert not (tmp_path / "plain" / "vanthu.db").exists()  # no record asked: no register made


def test_the_bundled_records_with_auto_numbers(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    for path in sorted((ROOT / "records").glob("*.yaml"))[:3]:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["so"] = "auto"
        (folder / path.name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    summary = api.generate([folder], tmp_path / "out", today=TODAY)
    assert summary.written == 3 and summary.register and "vanthu.db" in summary.register
    assert [e.so for e in api.register_entries(str(folder / "vanthu.db"))] == [1, 2, 3]


def test_a_batch_killed_at_any_point_and_rerun_matches_an_uninterrupted_one(tmp_path):
    import os
    import signal
    import time

    vanthu = str(Path(sys.executable).parent / "vanthu")

    def batch(folder: Path) -> Path:
        for f in range(3):
            write_records(folder / "in", *[auto(trich_yeu=f"Việc {f}.{k}", ngay="02/03/2026") for k in range(6)],
                          name=f"{f}.yaml")
        return folder

    def command(folder: Path) -> list[str]:
        return [vanthu, "generate", str(folder / "in"), "-o", str(folder / "out"), "--register",
                str(folder / "so.db"), "-j", "2"]

    def outcome(folder: Path) -> tuple:
        files = {p.name: p.read_bytes() for p in sorted((folder / "out").glob("*.docx"))}
        lines = [(e.so_ky_hieu, e.trich_yeu, e.status) for e in api.register_entries(str(folder / "so.db"))]
        return files, lines

    reference = batch(tmp_path / "ref")
    subprocess.run(command(reference), check=True, capture_output=True, timeout=600)
    expected = outcome(reference)
    assert len(expected[0]) == 18 and [x[0] for x in expected[1]] == [f"{i:02d}/TB-SCT" for i in range(1, 19)]
    for delay in (0.0, 0.3, 0.6, 1.0, 1.5, 2.5):
        folder = batch(tmp_path / f"killed-{delay}")
        process = subprocess.Popen(command(folder), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(delay)
        try:
            os.killpg(process.pid, signal.SIGKILL)  # the batch and its workers, wherever they are
        except ProcessLookupError:
            pass  # it finished first
        process.wait(timeout=60)
        rerun = subprocess.run(command(folder), capture_output=True, text=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr
        assert outcome(folder) == expected, delay
        assert not [p for p in (folder / "out").iterdir() if p.name.endswith(".tmp")]
