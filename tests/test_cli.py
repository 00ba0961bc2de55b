"""The command line as a user runs it: exit codes, messages, generate.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import RECORDS, ROOT, record, write_records
from vanthu.cli import main


def run(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    environment = {**os.environ, "LANG": "vi_VN.UTF-8", **(env or {})}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=environment)


def test_generate_examples_exit_0(tmp_path, capsys):
    assert main(["generate", str(RECORDS), "-o", str(tmp_path)]) == 0
    assert len(list(tmp_path.glob("*.docx"))) == len(list(RECORDS.glob("*.yaml")))
    assert "7 văn bản đã tạo, 0 không đổi, 0 không tạo được" in capsys.readouterr().out


def test_some_records_failed_exit_1_others_written(tmp_path, capsys):
    source = write_records(tmp_path / "in", record(), record(so="x"))
    assert main(["generate", str(source), "-o", str(tmp_path / "out")]) == 1
    assert len(list((tmp_path / "out").glob("*.docx"))) == 1
    captured = capsys.readouterr()
    assert "records.yaml#2" in captured.err and "Traceback" not in captured.err


def test_usage_and_configuration_errors_exit_2(tmp_path, capsys):
    assert main(["generate", str(tmp_path / "nope.yaml"), "-o", str(tmp_path / "out")]) == 2
    assert "không có tệp hoặc thư mục" in capsys.readouterr().err
    assert main(["generate"]) == 2
    assert main(["no-such-command"]) == 2


def test_generate_py_does_what_vanthu_generate_does(tmp_path):
    a = run("generate.py", str(RECORDS), "-o", str(tmp_path / "a"))
    b = run("-m", "vanthu.cli", "generate", str(RECORDS), "-o", str(tmp_path / "b"))
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    names = sorted(p.name for p in (tmp_path / "a").glob("*.docx"))
    assert len(names) == 7 and names == sorted(p.name for p in (tmp_path / "b").glob("*.docx"))
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_english_messages_with_lang_option_or_environment(tmp_path):
    source = write_records(tmp_path / "in", record(ngay="31/02/2021"))
    by_option = run("generate.py", str(source), "-o", str(tmp_path / "o1"), "--lang", "en")
    by_env = run("generate.py", str(source), "-o", str(tmp_path / "o2"), env={"LANG": "en_US.UTF-8"})
    for result in (by_option, by_env):
        assert result.returncode == 1
        assert "error [ngay]: '31/02/2021' is not a valid date" in result.stderr
    vietnamese = run("generate.py", str(source), "-o", str(tmp_path / "o3"))
    assert "lỗi [ngay]: '31/02/2021' không phải ngày hợp lệ" in vietnamese.stderr


def test_types_lists_all_29(capsys):
    assert main(["types"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 29
    assert any(line.split()[:2] == ["thong_bao", "TB"] and line.endswith("thong_bao.docx") for line in lines)
    assert any(line.split()[:2] == ["cong_van", "-"] for line in lines)


def test_no_temporary_files_are_left_behind(tmp_path):
    assert main(["generate", str(RECORDS), "-o", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".docx") == [".vanthu-state.sqlite",
                                                                             "batch-report.json"]


def test_output_folder_that_is_a_file_is_a_configuration_error(tmp_path, capsys):
    blocker = tmp_path / "out"
    blocker.write_text("")
    assert main(["generate", str(RECORDS), "-o", str(blocker)]) == 2
    assert "Traceback" not in capsys.readouterr().err
