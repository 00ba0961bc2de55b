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


GENERATE_LINES = [
    ["a.yaml"],
    ["a.yaml", "b.xlsx", "thư mục", "-o", "ra"],
    ["-o", "ra", "a.yaml", "--force", "--pdf", "--pdfa", "--strict", "--draft", "--no-wait", "--no-service"],
    ["a.yaml", "-ora", "-j2", "--jobs=3", "--timeout", "2.5", "--timeout=90"],
    ["a.yaml", "--template", "mẫu.docx", "--merge", "nn.csv", "--bundle", "ALL.pdf", "--copies", "3"],
    ["a.yaml", "--name", "{so}_{nguoi_nhan.kinh_gui}", "--profile", "vanthu.toml", "--register", "sqlite:///x.db"],
    ["--lang", "en", "a.yaml", "--verbose", "--", "-tep-la.yaml"],
    ["a.yaml", "-", "--output", "-"],
    ["a.yaml", "-o", "a", "-o", "b", "--jobs", "1", "--jobs", "+4"],
]

LEFT_TO_TYPER = [
    [], ["--help"], ["a.yaml", "--help"], ["a.yaml", "-h"], ["a.yaml", "--jobs", "0"], ["a.yaml", "--jobs", "x"],
    ["a.yaml", "--jobs", "1_000"], ["a.yaml", "--jobs", "3.0"], ["a.yaml", "--timeout", "0.5"],
    ["a.yaml", "--forc"], ["a.yaml", "--force=yes"], ["a.yaml", "-o"], ["a.yaml", "-o", "--force"],
    ["a.yaml", "--unknown"], ["-x", "a.yaml"], ["a.yaml", "--output", ""], [""],
]


def _typer_values(args: list[str], environ: dict) -> dict:
    from typer.main import get_command

    from vanthu.cli import build_app

    group = get_command(build_app("generate"))
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(environ)
    try:
        return group.commands["generate"].make_context("generate", list(args)).params
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_generates_own_parser_reads_a_command_line_as_typer_does():
    """`vanthu generate` runs without typer when its small parser understands the command line
    (cli/params.py): each line gives the very values typer would give; the rest it leaves."""
    from vanthu.cli import params
    from vanthu.cli.generating import PARAMS

    for environ in ({}, {"VANTHU_REGISTER": "sqlite:///so.db"}):
        for args in GENERATE_LINES:
            ours = params.parse(PARAMS, args, environ)
            assert ours is not None, args
            assert ours == _typer_values(args, environ), args
    for args in LEFT_TO_TYPER:
        assert params.parse(PARAMS, args, {}) is None, args
    assert params.parse(PARAMS, ["a.yaml"], {"VANTHU_REGISTER": ""}) is None


def test_generate_without_typer_writes_what_it_writes_with_typer(tmp_path):
    """The same command line through both parsers: the same documents, messages and exit code; and
    a line left to typer is refused as before (exit 2, typer's message)."""
    bad = write_records(tmp_path / "in", [record(so=1), record(so=2, ngay="31/02/2026")])
    ways = {
        "fast": "import sys; from vanthu.cli import main; rc = main(sys.argv[1:]); "
                "print('typer loaded:', 'typer' in sys.modules, file=sys.stderr); sys.exit(rc)",
        "typer": "import sys; from vanthu.cli import build_app; from vanthu.cli.runtime import choose_language; "
                 "choose_language('en'); build_app('generate')(args=sys.argv[1:], prog_name='vanthu')",
    }
    done = {}
    for way, code in ways.items():
        args = ["generate", str(bad), "-o", str(tmp_path / way), "--lang", "en"]
        done[way] = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)
    fast, typer_run = done["fast"], done["typer"]
    assert fast.stderr.rstrip().endswith("typer loaded: False")
    assert fast.returncode == typer_run.returncode == 1
    assert fast.stdout.replace("/fast", "/typer") == typer_run.stdout
    assert fast.stderr.replace("/fast", "/typer").rstrip().rsplit("\n", 1)[0] == typer_run.stderr.rstrip()
    assert "31/02/2026" in typer_run.stderr
    assert sorted(p.name for p in (tmp_path / "fast").glob("*.docx")) == \
        sorted(p.name for p in (tmp_path / "typer").glob("*.docx")) != []
    refused = run("-m", "vanthu.cli", "generate", str(bad), "--jobs", "0")
    assert refused.returncode == 2 and "--jobs" in refused.stderr and "Traceback" not in refused.stderr
