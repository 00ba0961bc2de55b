"""Hostile and faulty inputs: each ends with a clear message naming the file, the line or cell
and the field, a non-zero exit, the other records still done, and nothing wrong written."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import yaml

from conftest import record, write_records
from test_excel import NOTICE, column, fill
from vanthu.batch import generate
from vanthu.cli import main
from vanthu.docview import DocumentView


def written(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.docx"))


def texts(path: Path) -> str:
    return "\n".join(p.text for p in DocumentView(path).paragraphs)


# ---- a record with an error is never written (items 1–3) ----------------------------------

def _workbook_with(blank: Path, **cells) -> Path:
    second = {**NOTICE, "Mã văn bản": "TB02", "Số": 6}
    first = {**NOTICE, **cells}
    return fill(blank, [first, second])


def test_a_formula_without_a_saved_value_fails_its_record_only(tmp_path, blank, capsys):
    workbook = _workbook_with(blank, **{"Trích yếu": "=CONCATENATE(\"Về \",\"việc\")"})
    assert main(["generate", str(workbook), "-o", str(tmp_path / "out")]) == 1
    out, err = capsys.readouterr()
    cell = f"VanBan!{openpyxl.utils.get_column_letter(column('Trích yếu'))}2"
    assert f"{cell} (Trích yếu): lỗi: " in err and "=CONCATENATE" in err
    assert "1 văn bản đã tạo, 0 không đổi, 1 không tạo được" in out  # records, not cells
    (document,) = written(tmp_path / "out")
    assert "_06_" in document.name


@pytest.mark.parametrize("error", ["#REF!", "#N/A", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"])
def test_an_excel_error_value_is_an_error_naming_the_cell(tmp_path, blank, error):
    results = list(generate([_workbook_with(blank, **{"Địa danh": error})], tmp_path / "out"))
    failed = [r for r in results if r.status == "failed"]
    assert len(failed) == 1 and [r.status for r in results].count("written") == 1
    (problem,) = [p for p in failed[0].problems if error in p.message]
    assert problem.origin.cell == f"VanBan!{openpyxl.utils.get_column_letter(column('Địa danh'))}2"
    assert not any(error in texts(p) for p in written(tmp_path / "out"))


def test_excels_escapes_of_control_characters_are_decoded_and_repaired(tmp_path, blank):
    workbook = fill(blank, [{**NOTICE, "Trích yếu": "Về việc_x000B_tổ chức_x0009_triển lãm _x005F_x000B_"}])
    (result,) = generate([workbook], tmp_path / "out")
    assert result.ok
    body = texts(result.output)
    assert "Về việc tổ chức\ttriển lãm _x000B_" in body and "_x000B_tổ" not in body
    cell = f"VanBan!{openpyxl.utils.get_column_letter(column('Trích yếu'))}2"
    assert any("ký tự điều khiển" in p.message and p.origin.cell == cell for p in result.problems)


# ---- text as people type it (items 4–6) ----------------------------------------------------

def test_control_characters_become_spaces_with_a_warning(tmp_path):
    source = write_records(tmp_path / "in", record(noi_dung="Sở tự\x0cđiều chỉnh\x07 lịch.\r\nDòng hai."))
    (result,) = generate([source], tmp_path / "out")
    assert result.ok
    body = texts(result.output)
    assert "Sở tự điều chỉnh  lịch." in body and "Dòng hai." in body and "tựđiều" not in body
    (warning,) = [p for p in result.problems if "ký tự điều khiển" in p.message]
    assert warning.field == "noi_dung" and warning.severity == "warning"


def test_bidirectional_controls_are_removed_with_a_warning(tmp_path):
    source = write_records(tmp_path / "in", record(trich_yeu="Về việc \u202etổ chức\u202c triển lãm"))
    (result,) = generate([source], tmp_path / "out")
    assert result.ok and "\u202e" not in texts(result.output) and "Về việc tổ chức triển lãm" in texts(result.output)
    assert any(p.field == "trich_yeu" and "hướng viết" in p.message for p in result.problems)
    (strict,) = generate([source], tmp_path / "strict", strict=True)
    assert strict.status == "failed"


def test_characters_the_fonts_cannot_show_are_named_and_strict_fails_them(tmp_path):
    source = write_records(tmp_path / "in", record(noi_dung="Đối tác 上海 và 서울 gửi lời chào 😀."))
    (result,) = generate([source], tmp_path / "out")
    assert result.ok
    (warning,) = [p for p in result.problems if "Times New Roman" in p.message]
    assert warning.field == "noi_dung" and "上 (U+4E0A)" in warning.message and "😀 (U+1F600)" in warning.message
    (strict,) = generate([source], tmp_path / "strict", strict=True, force=True)
    assert strict.status == "failed"
    vietnamese = write_records(tmp_path / "vi", record(noi_dung="Hoà Bình, Thừa Thiên Huế – “trích dẫn” ½ ngày № 5"))
    (clean,) = generate([vietnamese], tmp_path / "out2")
    assert not [p for p in clean.problems if "Times New Roman" in p.message]


# ---- authority, YAML, encodings, types (items 7–10) ----------------------------------------

def test_an_authority_form_without_the_signers_own_title_is_an_error(tmp_path):
    signer = {"quyen_han": "KT.", "thay_mat": "GIÁM ĐỐC", "ho_ten": "Nguyễn Văn An"}
    source = write_records(tmp_path / "in", record(nguoi_ky=signer), record(so=6))
    first, second = generate([source], tmp_path / "out")
    assert first.status == "failed" and second.ok
    assert any(p.field == "nguoi_ky[0].chuc_vu" and "KT." in p.message for p in first.problems), \
        [str(p) for p in first.problems]


@pytest.mark.parametrize(("typed", "form"), [("KT", "KT."), ("kt.", "KT."), ("TM", "TM."), ("tl", "TL.")])
def test_authority_forms_typed_loosely_are_repaired_with_a_warning(tmp_path, typed, form):
    signer = {"quyen_han": typed, "thay_mat": "GIÁM ĐỐC", "chuc_vu": "PHÓ GIÁM ĐỐC", "ho_ten": "Nguyễn Văn An"}
    (result,) = generate([write_records(tmp_path / "in", record(nguoi_ky=signer))], tmp_path / "out")
    assert result.ok and f"{form} GIÁM ĐỐC" in texts(result.output)
    (warning,) = [p for p in result.problems if p.field == "nguoi_ky.quyen_han"]
    assert typed in warning.message and form in warning.message and warning.severity == "warning"


def test_a_yaml_python_tag_is_refused_at_its_line_and_lint_goes_on(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-evil.yaml").write_text("loai: TB\nco_quan: !!python/object/apply:os.system ['echo hi']\n",
                                        encoding="utf-8")
    write_records(folder, record(), name="b-good.yaml")
    assert main(["generate", str(folder), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "a-evil.yaml:2:10" in err and "!!python/object/apply:os.system" in err and "không lường trước" not in err
    assert len(written(tmp_path / "out")) == 1
    assert main(["lint", str(folder)]) == 1
    captured = capsys.readouterr()
    assert "a-evil.yaml:2:10" in captured.err and "không lường trước" not in captured.err + captured.out


@pytest.mark.parametrize(("encoding", "named"), [("utf-16", "UTF-16"), ("cp1258", "Windows-1258")])
def test_a_file_in_another_encoding_is_named_with_how_to_save_it_as_utf8(tmp_path, encoding, named, capsys):
    text = yaml.safe_dump(record(trich_yeu="Về việc tổ chức"), allow_unicode=True)
    source = tmp_path / "in.yaml"
    source.write_bytes(text.encode(encoding, errors="ignore"))
    assert main(["generate", str(source), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"bảng mã {named}" in err and "UTF-8" in err and "Save As" in err


@pytest.mark.parametrize(("typed", "suggested"), [("TBB", "Thông báo (TB)"), ("Công văn hành chính", "Công văn"),
                                                   ("Quyết dinh ban hành", "Quyết định (QĐ)")])
def test_an_unknown_type_suggests_the_closest(tmp_path, typed, suggested):
    (result,) = generate([write_records(tmp_path / "in", record(loai=typed))], tmp_path / "out")
    (problem,) = [p for p in result.problems if p.field == "loai"]
    assert suggested in problem.message


def test_a_null_type_is_missing_not_none(tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text(yaml.safe_dump(record(), allow_unicode=True).replace("loai: TB", "loai: null"), "utf-8")
    (result,) = generate([source], tmp_path / "out")
    (problem,) = [p for p in result.problems if p.field == "loai"]
    assert "thiếu" in problem.message and "None" not in problem.message


# ---- messages a clerk can act on (items 11–12) ---------------------------------------------

def test_every_error_of_a_workbook_row_at_once_in_its_column(tmp_path, blank, capsys):
    row = {**NOTICE, "Loại văn bản": "Quyết định", "Ngày": "30/02/2025"}
    workbook = fill(blank, [row])
    assert main(["generate", str(workbook), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    date_cell = openpyxl.utils.get_column_letter(column("Ngày"))
    authority_cell = openpyxl.utils.get_column_letter(column("Thẩm quyền ban hành"))
    assert f"VanBan!{date_cell}2 (Ngày): lỗi: '30/02/2025' không phải ngày có thật: tháng 2 năm 2025 không có ngày 30" \
        in err
    assert f"VanBan!{authority_cell}2 (Thẩm quyền ban hành): lỗi: " in err and "tham_quyen" not in err
    assert main(["lint", str(workbook)]) == 1
    lint_err = capsys.readouterr().err
    assert lint_err.count("30/02/2025") == 1, lint_err


def test_an_impossible_date_in_the_body_is_warned_of_by_generate(tmp_path):
    source = write_records(tmp_path / "in", record(noi_dung="Hội nghị họp ngày 30 tháng 2 năm 2021."))
    (result,) = generate([source], tmp_path / "out")
    assert result.ok
    assert any(p.field == "noi_dung" and "ngày 30 tháng 2 năm 2021" in p.message and p.severity == "warning"
               for p in result.problems)
    (strict,) = generate([source], tmp_path / "strict", strict=True)
    assert strict.status == "failed"


# ---- mail-merge names (item 13) ------------------------------------------------------------

def test_mail_merge_names_keep_the_recipient_whole_when_the_trich_yeu_is_long(tmp_path):
    import csv

    long = "Về việc tổ chức Hội nghị tổng kết công tác xúc tiến thương mại và đầu tư năm 2021 và kế hoạch năm 2022"
    source = write_records(tmp_path / "in", record(loai="GM", trich_yeu=long, kinh_gui="Quý doanh nghiệp", su_kien={
        "ten": "Hội nghị", "bat_dau": "20/09/2021 08:00", "dia_diem": "Hội trường Sở"}))
    recipients = tmp_path / "ds.csv"
    with recipients.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Kính gửi"])
        writer.writerow(["Công ty Cổ phần Xuất nhập khẩu Đồng Đăng"])
        writer.writerow(["Công ty Cổ phần Xuất nhập khẩu Đồng Mỏ"])
    results = list(generate([source], tmp_path / "out", merge=recipients))
    names = sorted(r.output.name for r in results)
    assert names[0].endswith("-cong-ty-co-phan-xuat-nhap-khau-dong-dang.docx"), names
    assert names[1].endswith("-cong-ty-co-phan-xuat-nhap-khau-dong-mo.docx"), names
    assert all("_ve-viec-to-chuc" in n for n in names)


# ---- memory and time stay bounded (items 14–16) ----------------------------------------------

BOUNDED = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from vanthu.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _bounded(tmp_path: Path, *args: str, limit_mb: int = 1500):
    import subprocess
    import sys

    script = tmp_path / "bounded.py"
    script.write_text(BOUNDED.format(limit=limit_mb * 1024 * 1024), encoding="utf-8")
    return subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=300)


def _zip_bomb(path: Path, size_mb: int = 600) -> Path:
    """A .docx whose document.xml inflates to size_mb: zeros, deflated, written in streaming chunks."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"<w:t>" + b"0" * (1024 * 1024 - 11) + b"</w:t>\n"
            for _i in range(size_mb):
                member.write(chunk)
    return path


def test_a_zip_bomb_is_refused_unread_and_the_other_files_still_checked(tmp_path):
    bomb = _zip_bomb(tmp_path / "in" / "bom.docx" if (tmp_path / "in").mkdir() is None else tmp_path)
    assert bomb.stat().st_size < 5 * 1024 * 1024
    (good,) = generate([next(Path(__file__).resolve().parent.parent.joinpath("records").glob("01-*.yaml"))],
                       tmp_path / "docs")
    (tmp_path / "in" / good.output.name).write_bytes(good.output.read_bytes())
    done = _bounded(tmp_path, "check", str(tmp_path / "in"), limit_mb=1000)
    assert done.returncode == 2, done.stderr
    assert "bom.docx" in done.stderr and "bom nén" in done.stderr and "Traceback" not in done.stderr
    assert "0 lỗi" in done.stdout  # the good one was checked
    as_template = _bounded(tmp_path, "generate", str(tmp_path / "docs"), "-o", str(tmp_path / "out"),
                           "--template", str(bomb), limit_mb=1000)
    assert as_template.returncode == 2 and "bom.docx" in as_template.stderr


def test_a_template_cannot_exhaust_memory_and_the_good_records_complete(tmp_path):
    import docx

    template = docx.Document()
    template.add_paragraph("{{ trich_yeu }}")
    template.add_paragraph("{% if du_lieu.no %}{{ 'a' * 10**9 }}{% endif %}")
    template.add_paragraph("{% if du_lieu.lap %}{% for i in range(10**9) %}x{% endfor %}{% endif %}")
    path = tmp_path / "mau.docx"
    template.save(path)
    calm = {"no": False, "lap": False}
    source = write_records(tmp_path / "in", record(du_lieu=calm), record(so=6, du_lieu={**calm, "no": True}),
                           record(so=7, du_lieu={**calm, "lap": True}), record(so=8, du_lieu=calm))
    done = _bounded(tmp_path, "generate", str(source), "-o", str(tmp_path / "out"), "--template", str(path),
                    "--jobs", "1", limit_mb=1200)
    assert done.returncode == 1, done.stderr
    assert "2 văn bản đã tạo, 0 không đổi, 2 không tạo được" in done.stdout
    assert done.stderr.count("mau.docx") >= 2 and "không lường trước" not in done.stderr
    assert "1000000" in done.stderr and "100000" in done.stderr  # the bound each tag ran into
    for tag in ("{% include 'x.docx' %}", "{% import 'macros' as m %}"):
        other = docx.Document()
        other.add_paragraph(tag)
        other.save(tmp_path / "other.docx")
        refused = _bounded(tmp_path, "generate", str(source), "-o", str(tmp_path / "o2"), "--template",
                           str(tmp_path / "other.docx"))
        assert refused.returncode == 2 and tag.split()[1] in refused.stderr and "không lường trước" not in \
            refused.stderr


def test_an_appendix_table_past_a_thousand_rows_is_warned_of_and_still_rendered(tmp_path):
    rows = [[str(i), f"Việc {i}"] for i in range(1, 1502)]
    data = record(loai="KH", noi_dung="Chi tiết tại Phụ lục I.", phu_luc=[
        {"tieu_de": "Danh mục", "bang": {"cot": ["STT", "Việc"], "dong": rows}}])
    (result,) = generate([write_records(tmp_path / "in", data)], tmp_path / "out")
    assert result.ok
    (warning,) = [p for p in result.problems if "1501" in p.message]
    assert warning.severity == "warning" and warning.field == "phu_luc[0].bang"
    assert "Việc 1501" in texts(result.output)


# ---- the output folder heals and is never shared by surprise (items 17–19) --------------------

@pytest.mark.parametrize("damage", ["garbage", "truncated", "link"])
def test_a_damaged_state_file_is_moved_aside_and_the_folder_rebuilt(tmp_path, damage, capsys):
    source = write_records(tmp_path / "in", record(), record(so=6))
    out = tmp_path / "out"
    assert main(["generate", str(source), "-o", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in written(out)}
    state = out / ".vanthu-state.sqlite"
    if damage == "garbage":
        state.write_bytes(b"this is not a database" * 100)
    elif damage == "truncated":
        state.write_bytes(state.read_bytes()[:700])
    else:
        state.unlink()
        (tmp_path / "elsewhere.txt").write_text("do not touch", encoding="utf-8")
        state.symlink_to(tmp_path / "elsewhere.txt")
    capsys.readouterr()
    for _run in range(2):
        assert main(["generate", str(source), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count(".vanthu-state.sqlite.damaged-") == 1  # said once, then healed
    assert {p.name: p.read_bytes() for p in written(out)} == before  # no _2 copies, the same bytes
    if damage == "link":
        assert (tmp_path / "elsewhere.txt").read_text(encoding="utf-8") == "do not touch"


def test_a_second_run_into_the_same_folder_waits_or_with_no_wait_exits_2(tmp_path):
    import subprocess
    import sys
    import time

    from vanthu.batch.lock import FolderLock

    source = write_records(tmp_path / "in", record())
    out = tmp_path / "out"
    out.mkdir()
    holder = FolderLock(out)
    holder.acquire()
    try:
        refused = subprocess.run([sys.executable, "-m", "vanthu.cli", "generate", str(source), "-o", str(out),
                                  "--no-wait"], capture_output=True, text=True, timeout=60)
        assert refused.returncode == 2 and str(__import__("os").getpid()) in refused.stderr
        assert not written(out) and (out / ".vanthu.pid").exists(), "the refused run leaves the holder's pid"
        waiting = subprocess.Popen([sys.executable, "-m", "vanthu.cli", "generate", str(source), "-o", str(out)],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert waiting.poll() is None  # it waits for the folder
    finally:
        holder.release()
    _out_text, err_text = waiting.communicate(timeout=60)
    assert waiting.returncode == 0 and "đang chờ" in err_text and len(written(out)) == 1


def test_temporary_files_left_by_a_killed_run_are_cleaned_by_the_next(tmp_path):
    source = write_records(tmp_path / "in", record())
    out = tmp_path / "out"
    out.mkdir()
    leftovers = [out / ".report.a1b2c3d4.tmp", out / ".vanthu.zz99xx00.tmp", out / ".batch-report.json.q1w2e3r4.tmp"]
    for path in leftovers:
        path.write_bytes(b"half")
    keep = out / ".ghi-chu.tmp"  # not one of vanthu's names
    keep.write_bytes(b"mine")
    assert main(["generate", str(source), "-o", str(out)]) == 0
    assert not any(p.exists() for p in leftovers) and keep.exists()
