"""The PDF service: LibreOffice listeners that outlive one command, reachable only by their user,
replaced when dead, gone when idle — driven through the real commands and the real LibreOffice."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pytest

from conftest import RECORDS
from vanthu import api
from vanthu.cli import main
from vanthu.pdf import service

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("service-docx")
    assert api.generate([RECORDS / "01-thong-bao-trien-lam.yaml", RECORDS / "04-cong-van-dang-ky-gian-hang.yaml"],
                        out).ok
    return sorted(out.glob("*.docx"))


def readable(pdf: Path) -> bool:
    with pdfplumber.open(pdf) as document:
        return "Số:" in document.pages[0].extract_text()


def test_the_first_conversion_starts_the_service_and_the_next_reuse_it(documents, tmp_path):
    service.stop()
    assert main(["pdf", str(documents[0]), "-o", str(tmp_path / "a")]) == 0
    first = service.status()
    assert first.running and first.conversions == 1 and first.listeners >= 1
    assert main(["pdf", str(documents[1]), "-o", str(tmp_path / "b")]) == 0
    second = service.status()
    assert second.pid == first.pid and second.conversions == 2  # the same listeners, kept warm
    assert readable(next((tmp_path / "a").glob("*.pdf"))) and readable(next((tmp_path / "b").glob("*.pdf")))
    folder = service.runtime_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # only its user can reach it
    assert stat.S_IMODE(service.socket_path().stat().st_mode) & 0o077 == 0


def test_a_dead_service_is_replaced_without_the_user_noticing(documents, tmp_path):
    assert main(["pdf", str(documents[0]), "-o", str(tmp_path / "a")]) == 0
    dead = service.status().pid
    os.kill(dead, signal.SIGKILL)  # its socket stays behind, with nobody answering
    for _ in range(50):
        if not Path(f"/proc/{dead}").exists() or "zombie" in Path(f"/proc/{dead}/status").read_text().lower():
            break
        time.sleep(0.1)
    assert service.socket_path().exists()
    assert main(["pdf", str(documents[1]), "-o", str(tmp_path / "b")]) == 0
    now = service.status()
    assert now.running and now.pid != dead
    assert readable(next((tmp_path / "b").glob("*.pdf")))


def test_no_service_converts_with_listeners_of_its_own(documents, tmp_path, capsys):
    assert main(["pdf-service", "stop", "--lang", "en"]) == 0
    capsys.readouterr()
    assert main(["pdf", str(documents[0]), "-o", str(tmp_path / "a"), "--no-service"]) == 0
    assert not service.status().running
    assert main(["pdf-service", "status", "--lang", "en"]) == 0
    assert "not running" in capsys.readouterr().out
    assert readable(next((tmp_path / "a").glob("*.pdf")))


def test_status_says_what_runs_and_an_idle_service_stops_by_itself(documents, tmp_path, capsys):
    service.stop()
    env = {**os.environ, "VANTHU_PDF_SERVICE_IDLE": "2"}
    run = subprocess.run([sys.executable, "-m", "vanthu.cli", "pdf", str(documents[0]), "-o", str(tmp_path / "a"),
                          "--lang", "en"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert main(["pdf-service", "status", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("running: pid") and "listeners" in out
    deadline = time.monotonic() + 60
    while service.status().running and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not service.status().running  # it went away by itself, its listeners with it
    assert main(["pdf-service", "stop", "--lang", "en"]) == 0
    assert "not running" in capsys.readouterr().out
