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


def _broken_docx(path: Path) -> Path:
    """A package with a document part LibreOffice cannot load: the service reports it."""
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<x")
        archive.writestr("word/document.xml", "not xml at all")
    return path


def test_the_service_finishes_the_pdf_and_speaks_each_callers_language(documents, tmp_path):
    """The whole PDF stage runs in the service (the command loads no PDF library), its
    signature fields and checks included, and what it says is in each command's language."""
    broken = _broken_docx(tmp_path / "hong.docx")
    code = ("import json, sys; from pathlib import Path; from vanthu import api; from vanthu.i18n import set_language;"
            "set_language(sys.argv[3]); r = api.to_pdf([Path(sys.argv[1]), Path(sys.argv[4])], Path(sys.argv[2]));"
            "print(json.dumps({'problems': [p for d in r.documents for p in d.problems], 'fields': "
            "[str(d.output) for d in r.documents if d.ok], 'loaded': sorted(m for m in ('pikepdf', 'pypdfium2', "
            "'lxml.etree') if m in sys.modules)}))")
    found = {}
    for lang in ("en", "vi", "en"):
        run = subprocess.run([sys.executable, "-c", code, str(broken), str(tmp_path / lang), lang, str(documents[0])],
                             capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        found[lang] = __import__("json").loads(run.stdout)
        assert found[lang]["loaded"] == []
    assert found["en"]["problems"][0].startswith("LibreOffice failed on hong.docx")
    assert found["vi"]["problems"][0].startswith("LibreOffice lỗi khi chuyển hong.docx")
    import pikepdf

    (pdf,) = found["vi"]["fields"]
    with pikepdf.open(pdf) as document:
        assert [str(f.T) for f in document.Root.AcroForm.Fields] == ["Signature1"]


def test_a_service_left_by_an_older_vanthu_is_replaced(documents, tmp_path):
    """A service that does not speak this vanthu's protocol (started before an upgrade) is stopped,
    and a new one converts."""
    service.stop()
    old = subprocess.Popen([sys.executable, "-c", (
        "import os, threading; from vanthu.pdf import service as s\n"
        "server = s.make_server(str(s.socket_path())); s.pid_path().write_text(str(os.getpid()))\n"
        "server.register_function(lambda: {'pid': os.getpid(), 'started': 0, 'listeners': 0, 'conversions': 0,"
        " 'idle_left': 60, 'socket': str(s.socket_path())}, 'status')\n"
        "server.register_function(lambda: threading.Thread(target=server.shutdown).start() or True, 'stop')\n"
        "server.serve_forever(poll_interval=0.1)\n")])
    import threading

    threading.Thread(target=old.wait, daemon=True).start()  # reaped as it ends, as init would reap it
    try:
        deadline = time.monotonic() + 30
        while not service.status().running and time.monotonic() < deadline:
            time.sleep(0.1)
        assert service.status().protocol == 1  # the older service answers, without a protocol
        assert main(["pdf", str(documents[0]), "-o", str(tmp_path / "a")]) == 0
        assert old.wait(timeout=30) == 0  # it was asked to stop, and stopped
        now = service.status()
        assert now.running and now.protocol == service.PROTOCOL and now.pid != old.pid
        assert readable(next((tmp_path / "a").glob("*.pdf")))
    finally:
        if old.poll() is None:
            old.kill()
