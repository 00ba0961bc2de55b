"""vanthu.api as a library user meets it: the example in docs/api.md runs as written."""

from __future__ import annotations

import re
import subprocess
import sys

from conftest import ROOT, record, write_records
from vanthu import api
from vanthu.errors import ConfigurationError


def test_the_example_in_docs_api_runs_as_written(tmp_path):
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```python\n(.*?)```", text, re.S)
    script = tmp_path / "example.py"
    script.write_text(example, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "7 written, 0 unchanged, 0 failed" in done.stdout
    assert "lint errors: 0" in done.stdout and "refused:" in done.stdout and "exit code 2" in done.stdout


def test_generate_returns_every_outcome_and_calls_back_without_printing(tmp_path, capsys):
    source = write_records(tmp_path / "in", record(), record(so="x"))
    events: list[api.ProgressEvent] = []
    summary = api.generate([source], tmp_path / "out", jobs=1, progress=events.append)
    assert (summary.written, summary.failed) == (1, 1) and not summary.ok
    failed = next(d for d in summary.documents if d.status == "failed")
    lines = source.read_text(encoding="utf-8").splitlines()
    so_line = [i for i, line in enumerate(lines, 1) if line.strip().startswith("so:")][1]
    assert failed.problems[0].field == "so" and failed.problems[0].origin.line == so_line
    assert [e.outcome.status for e in events if e.outcome] == ["written", "failed"]
    assert any(e.stage == "render" and e.total == 1 and e.done == 1 for e in events)
    assert capsys.readouterr() == ("", ""), "the library prints nothing"


def test_configuration_errors_are_raised_before_any_work(tmp_path):
    import pytest

    with pytest.raises(ConfigurationError) as missing:
        api.generate([tmp_path / "nope"], tmp_path / "out")
    assert missing.value.exit_code == 2 and not (tmp_path / "out").exists()
    with pytest.raises(ConfigurationError):
        api.rules(["ZZ99"])
