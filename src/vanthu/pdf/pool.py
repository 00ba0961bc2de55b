"""A pool of persistent LibreOffice listeners, each with its own user profile.

Each listener (listener.py) runs under a Python that has LibreOffice's `uno` module (Debian's
python3 with python3-uno) and drives LibreOffice with unoserver's converter; vanthu talks to it
over XML-RPC on the loopback interface, so vanthu itself runs in any Python. A conversion that
outlives its timeout kills its listener, which is started again; the document is reported,
never silently dropped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigurationError, VanthuError
from ..i18n import _

STARTUP_SECONDS = 60.0


class ConversionError(VanthuError):
    """LibreOffice could not convert a document (or did not within its time)."""


LISTENER_SCRIPT = Path(__file__).with_name("listener.py")


def uno_python() -> str:
    """A Python with LibreOffice's uno module and unoserver: $VANTHU_UNO_PYTHON, or the project's
    .venv-uno (made by scripts/setup.sh)."""
    configured = os.environ.get("VANTHU_UNO_PYTHON")
    if configured:
        return configured
    project = Path(__file__).resolve().parents[3] / ".venv-uno" / "bin" / "python"
    if project.exists():
        return str(project)
    raise ConfigurationError(_("no Python with LibreOffice's uno module and unoserver: run scripts/setup.sh, or "
                               "set VANTHU_UNO_PYTHON"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _TimeoutTransport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self.timeout
        return connection


@dataclass
class Listener:
    """One listener process and the soffice it runs, in a process group of their own."""

    profile: Path
    process: subprocess.Popen | None = None
    port: int = 0

    def start(self) -> None:
        self.port, uno_port = _free_port(), _free_port()
        command = [uno_python(), str(LISTENER_SCRIPT), str(self.port), str(uno_port), str(self.profile)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                self._proxy(5).info()
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.2)
        self.stop()
        raise ConversionError(_("LibreOffice did not start (listener on port {port})").format(port=self.port))

    def _proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}", transport=_TimeoutTransport(timeout),
                                         allow_none=True)

    def stop(self) -> None:
        """Kill the listener and its LibreOffice (the whole process group)."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait(timeout=10)
            self.process = None

    def convert(self, source: Path, target: Path, filter_options: list[str], timeout: float) -> None:
        if self.process is None or self.process.poll() is not None:
            self.stop()
            self.start()
        try:
            self._proxy(timeout).convert(str(source), str(target), filter_options)
        except (OSError, xmlrpc.client.Error) as exc:
            # a hung or dead LibreOffice: kill it; the next conversion starts a fresh one
            self.stop()
            raise ConversionError(_("LibreOffice failed on {path}: {detail}").format(path=source.name, detail=exc)) \
                from None
        if not target.exists() or target.stat().st_size == 0:
            raise ConversionError(_("LibreOffice wrote no PDF for {path}").format(path=source.name))


class ListenerPool:
    """`size` listeners; each conversion takes a free one."""

    def __init__(self, size: int, root: Path | None = None, keep_profiles: bool = False):
        """root: where the listeners' profiles are (a new temporary folder by default);
        keep_profiles: leave them there when the pool closes (the PDF service reuses them)."""
        self.root = root or Path(tempfile.mkdtemp(prefix="vanthu-lo-"))
        self.root.mkdir(parents=True, exist_ok=True)
        self.keep_profiles = keep_profiles
        self.listeners = [Listener(self.root / f"profile-{i}") for i in range(max(1, size))]
        self._free: list[Listener] = []
        self._cond = threading.Condition()

    def __enter__(self) -> ListenerPool:
        threads = [threading.Thread(target=self._start, args=(listener,)) for listener in self.listeners]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if not self._free:
            self.close()
            raise ConfigurationError(_("LibreOffice could not be started; is libreoffice-writer-nogui installed?"))
        return self

    def _start(self, listener: Listener) -> None:
        try:
            listener.start()
        except ConversionError:
            return
        with self._cond:
            self._free.append(listener)
            self._cond.notify()

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for listener in self.listeners:
            listener.stop()
        if not self.keep_profiles:
            shutil.rmtree(self.root, ignore_errors=True)

    def convert(self, source: Path, target: Path, filter_options: list[str], timeout: float) -> None:
        with self._cond:
            while not self._free:
                self._cond.wait()
            listener = self._free.pop()
        try:
            listener.convert(source, target, filter_options, timeout)
        finally:
            with self._cond:
                self._free.append(listener)
                self._cond.notify()
