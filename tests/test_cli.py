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
        assert "error [ngay]: '31/02/2021' is not a date: month 2 of 2021 has no day 31" in result.stderr
    vietnamese = run("generate.py", str(source), "-o", str(tmp_path / "o3"))
    assert "lỗi [ngay]: '31/02/2021' không phải ngày có thật: tháng 2 năm 2021 không có ngày 31" in vietnamese.stderr


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


COMMANDS = ["generate", "pdf", "sign", "verify", "check", "lint", "types", "template-vars", "excel-template"]


def _help(*args: str, env: dict | None = None) -> str:
    done = run("-m", "vanthu.cli", *args, "--help", env={"COLUMNS": "200", **(env or {})})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_command_and_option_is_described_in_vietnamese_without_type_labels():
    import re

    top = _help()
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", top, re.M), f"{command} has no description"
    for command in COMMANDS:
        text = _help(command)
        assert "Tùy chọn:" in text and "Options:" not in text, command
        assert not re.search(r"<\w+(\[\w+\])?>|\[x>=", text), f"{command}: a programmer's type label in\n{text}"
        options = re.findall(r"^\s{2}(-\w, )?(--[\w-]+)( \S+)?(\s{2,}(.*))?$", text, re.M)
        assert options, command
        for *_parts, help_text in options:
            assert help_text.strip(), f"{command}: an option without help in\n{text}"
        # the words of the help are Vietnamese, not the English message ids
        assert not re.search(r"\b(the|file|folder|or|of)\b", text.split("Tùy chọn:")[0].split("\n", 2)[-1]), text


def test_help_is_english_with_lang_en_or_an_english_locale():
    assert "Sign PDFs (PAdES)" in _help("sign", "--lang", "en")
    english = _help("sign", env={"LANG": "en_US.UTF-8"})
    assert "Options:" in english and "The label of the private key on the token." in english


def test_list_rules_and_verify_field_names_are_vietnamese(capsys):
    assert main(["check", "--list-rules"]) == 0
    listing = capsys.readouterr().out
    assert "Khổ giấy không phải A4" in listing and "Page is not A4" not in listing
    assert " lỗi " in listing and " error " not in listing


def test_verbose_shows_the_traceback_of_an_unexpected_error_inside_a_record(tmp_path, monkeypatch, capsys):
    import vanthu.batch.record as record_stage

    def faulty(doc, **kwargs):
        raise KeyError("simulated fault")

    monkeypatch.setattr(record_stage, "build_context", faulty)
    source = write_records(tmp_path / "in", record())
    assert main(["generate", str(source), "-o", str(tmp_path / "a"), "--jobs", "1"]) == 1
    quiet = capsys.readouterr().err
    assert "KeyError: 'simulated fault'" in quiet and "Traceback" not in quiet
    assert main(["generate", str(source), "-o", str(tmp_path / "b"), "--jobs", "1", "--verbose"]) == 1
    loud = capsys.readouterr().err
    assert "Traceback (most recent call last)" in loud and "in faulty" in loud


def test_each_command_is_built_alone_as_it_is_in_the_whole_application():
    """A run builds only the command it runs (cli.COMMAND_MODULES): the table must name every
    command of the whole application, and each built alone must be the same command."""
    from typer.main import get_command

    from vanthu.cli import COMMAND_MODULES, build_app

    whole = get_command(build_app()).commands
    assert set(whole) == set(COMMAND_MODULES)
    for name, command in whole.items():
        alone = get_command(build_app(name)).commands
        assert set(alone) <= set(whole) and name in alone
        assert [p.opts for p in alone[name].params] == [p.opts for p in command.params], name


def test_an_unknown_command_is_refused_with_the_commands_of_the_whole_application():
    done = run("-m", "vanthu.cli", "generat", "x.yaml")
    assert done.returncode == 2 and "'generate'" in done.stderr and "Traceback" not in done.stderr  # the suggestion
