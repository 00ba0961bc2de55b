"""The PDF conversion service: LibreOffice listeners that outlive one command.

The first `--pdf` (or `vanthu pdf`) starts it; it keeps its listeners and their profiles, and
exits by itself after a while with nothing to do (10 minutes by default). Later commands hand it
their conversions, so a single document's PDF costs a conversion, not a LibreOffice start.

It is reachable only by its user: an XML-RPC server on a Unix socket in a 0700 runtime folder
($XDG_RUNTIME_DIR/vanthu, else /tmp/vanthu-UID). A socket with nobody behind it (a killed service)
is found out on the first call and replaced. `vanthu pdf-service status|stop`; `--no-service`
(or VANTHU_PDF_SERVICE=0) keeps the per-command pool.

    python -m vanthu.pdf.service serve --jobs N --idle SECONDS
"""

from __future__ import annotations

import fcntl
import http.client
import os
import socket
import stat
import subprocess
import sys
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigurationError
from ..i18n import _, current_language, set_language

if TYPE_CHECKING:
    from .pipeline import PdfOutcome

IDLE_SECONDS = 600.0
STARTUP_SECONDS = 90.0
# What a client and the service say to each other; a service of another protocol (left by an
# older vanthu) is stopped and replaced.
PROTOCOL = 2


def enabled() -> bool:
    return os.environ.get("VANTHU_PDF_SERVICE", "1").strip().lower() not in ("0", "no", "off", "false")


def idle_seconds() -> float:
    try:
        return max(1.0, float(os.environ.get("VANTHU_PDF_SERVICE_IDLE", IDLE_SECONDS)))
    except ValueError:
        return IDLE_SECONDS


def runtime_dir() -> Path:
    """The user's own folder for the socket: created 0700, refused if anyone else could enter it."""
    base = os.environ.get("XDG_RUNTIME_DIR")
    folder = Path(base) / "vanthu" if base else Path("/tmp") / f"vanthu-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        raise ConfigurationError(_("{path} is not a folder of yours alone (mode 0700): the PDF service will not "
                                   "use it").format(path=folder))
    return folder


def socket_path() -> Path:
    return runtime_dir() / "pdf.sock"


def pid_path() -> Path:
    return runtime_dir() / "pdf.pid"


def _kill_stale() -> None:
    """A service whose socket does not answer (hung, or its socket removed): stopped for good."""
    import signal

    try:
        pid = int(pid_path().read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"vanthu.pdf.service" in cmdline:
        try:
            os.killpg(pid, signal.SIGKILL)  # with its listeners: they share its session
        except OSError:
            pass


def profile_root() -> Path:
    """The listeners' LibreOffice profiles, kept between runs (a warm profile starts faster); one
    set per runtime folder, so that a second service (another session's) never shares them."""
    import hashlib

    key = hashlib.sha256(str(runtime_dir()).encode()).hexdigest()[:12]
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "vanthu" / "lo-profiles" / key
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


# ---- XML-RPC over a Unix socket ----------------------------------------------------------------

def make_server(path: str):
    """The service's XML-RPC server on a Unix socket (threads, one per call). Its classes are made
    here: a command that only calls the service does not load the server side."""
    import socketserver
    from xmlrpc.server import SimpleXMLRPCDispatcher, SimpleXMLRPCRequestHandler

    class Handler(SimpleXMLRPCRequestHandler):
        disable_nagle_algorithm = False  # TCP_NODELAY: a Unix socket has no such option

        def address_string(self) -> str:
            return "unix"

    class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer, SimpleXMLRPCDispatcher):
        daemon_threads = True

        def __init__(self, path: str):
            self.logRequests = False
            SimpleXMLRPCDispatcher.__init__(self, allow_none=True, encoding=None, use_builtin_types=True)
            socketserver.UnixStreamServer.__init__(self, path, Handler)

    return Server(path)


class _UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(str(self.unix_path))
        self.sock = sock


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path: Path, timeout: float):
        super().__init__()
        self.unix_path, self.timeout = path, timeout

    def make_connection(self, host):
        return _UnixConnection(self.unix_path, self.timeout)


def _proxy(timeout: float) -> xmlrpc.client.ServerProxy:
    return xmlrpc.client.ServerProxy("http://localhost", transport=_UnixTransport(socket_path(), timeout),
                                     allow_none=True)


# ---- the service ------------------------------------------------------------------------------------

class _Languages:
    """Requests in one language at a time: messages are translated through the process's one
    catalog, so a request in another language waits for those in progress to end."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.language: str | None = None
        self.speaking_now = 0

    @contextmanager
    def speaking(self, language: str) -> Iterator[None]:
        with self.changed:
            while self.speaking_now and self.language != language:
                self.changed.wait()
            if self.language != language:
                set_language(language)
                self.language = language
            self.speaking_now += 1
        try:
            yield
        finally:
            with self.changed:
                self.speaking_now -= 1
                self.changed.notify_all()


def _kill_orphans(root: Path) -> None:
    """LibreOffice processes (and their listeners) left on the service's own profiles by a service
    that was killed: a second soffice on a profile in use hands over to the first and exits, so
    they would stop every new listener from starting."""
    import signal

    marker = str(root).encode()
    me = os.getpid()
    if not Path("/proc").is_dir():  # no /proc to look in (not Linux): a dead service's orphans stay
        return
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            if marker in (entry / "cmdline").read_bytes() and entry.stat().st_uid == os.getuid():
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError):
            continue


def serve(jobs: int, idle: float) -> None:
    path = socket_path()
    path.unlink(missing_ok=True)
    pid_path().write_text(str(os.getpid()))
    old_umask = os.umask(0o177)  # the socket: 0600
    try:
        server = make_server(str(path))
    finally:
        os.umask(old_umask)
    from .pool import ListenerPool

    root = profile_root() / f"{jobs}"
    _kill_orphans(root)
    pool = ListenerPool(jobs, root=root, keep_profiles=True)
    pool.__enter__()
    import signal

    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown, daemon=True).start())
    started, state = time.time(), {"last": time.monotonic(), "conversions": 0, "busy": 0}
    lock = threading.Lock()

    languages = _Languages()

    def finish_group(sources: list, targets: list, settings: dict) -> list:
        """A group of documents converted as one and each made ready (pipeline.finish), in the
        caller's language; a dict per document."""
        from .convert import Converter
        from .pipeline import finish

        with lock:
            state["busy"] += 1
        try:
            with languages.speaking(str(settings.get("lang") or "vi")), \
                    Converter(jobs=1, timeout=float(settings["timeout"]), pdfa=bool(settings["pdfa"]),
                              pool=pool) as converter:
                results = converter.convert_group([Path(p) for p in sources], [Path(p) for p in targets])
                outcomes = [finish(result, pdfa=bool(settings["pdfa"]),
                                   signature_fields=bool(settings["signature_fields"]),
                                   appendix_files=bool(settings["appendix_files"])) for result in results]
            return [{"output": str(o.output) if o.output is not None else None, "problems": o.problems,
                     "notes": o.notes, "appendices": [str(a) for a in o.appendices]} for o in outcomes]
        finally:
            with lock:
                state["busy"] -= 1
                state["conversions"] += len(sources)
                state["last"] = time.monotonic()

    def status() -> dict:
        with lock:
            left = max(0.0, idle - (time.monotonic() - state["last"]))
            return {"pid": os.getpid(), "protocol": PROTOCOL, "started": started, "listeners": len(pool.listeners),
                    "conversions": state["conversions"], "idle_left": round(left, 1), "socket": str(path)}

    def stop() -> bool:
        threading.Thread(target=server.shutdown, daemon=True).start()
        return True

    def watchdog() -> None:
        while True:
            time.sleep(min(5.0, idle / 4))
            with lock:
                quiet = state["busy"] == 0 and time.monotonic() - state["last"] >= idle
            if quiet:
                server.shutdown()
                return

    for function in (finish_group, status, stop):
        server.register_function(function)
    threading.Thread(target=watchdog, daemon=True).start()
    try:
        server.serve_forever(poll_interval=0.5)
    finally:
        server.server_close()
        pool.close()
        if path.exists():
            path.unlink(missing_ok=True)


# ---- the client ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceStatus:
    running: bool
    pid: int = 0
    listeners: int = 0
    conversions: int = 0
    idle_left: float = 0.0
    socket: str = ""
    protocol: int = 0


def status() -> ServiceStatus:
    path = socket_path()
    if not path.exists():
        return ServiceStatus(False, socket=str(path))
    try:
        found = _proxy(5).status()
    except (OSError, xmlrpc.client.Error):
        return ServiceStatus(False, socket=str(path))
    return ServiceStatus(True, int(found["pid"]), int(found["listeners"]), int(found["conversions"]),
                         float(found["idle_left"]), str(found["socket"]), int(found.get("protocol", 1)))


def stop(timeout: float = 30.0) -> bool:
    """Stop a running service and wait for it to go; False when none was running."""
    found = status()
    if not found.running:
        socket_path().unlink(missing_ok=True)  # a dead service's socket
        return False
    try:
        _proxy(5).stop()
    except (OSError, xmlrpc.client.Error):
        pass
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:  # started by this process (a web server's, a test's): gone once reaped
            if os.waitpid(found.pid, os.WNOHANG)[0] == found.pid:
                return True
        except ChildProcessError:
            pass
        try:
            os.kill(found.pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    os.kill(found.pid, 9)
    return True


def ensure(jobs: int) -> ServiceStatus:
    """The running service, started (once, whoever asks at the same time) when there is none."""
    found = status()
    if found.running and found.protocol == PROTOCOL:
        return found
    folder = runtime_dir()
    with open(folder / "start.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two commands at once: one starts it, the other waits
        found = status()
        if found.running and found.protocol == PROTOCOL:
            return found
        if found.running:
            stop()  # an older vanthu's service: it would not understand
        _kill_stale()  # one that does not answer
        socket_path().unlink(missing_ok=True)  # stale: nobody behind it
        log_path = folder / "service.log"
        with open(log_path, "wb") as log:  # the last start's log only
            child = subprocess.Popen([sys.executable, "-m", "vanthu.pdf.service", "serve", "--jobs", str(jobs),
                                      "--idle", str(idle_seconds())], stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=log, start_new_session=True, close_fds=True)
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline and child.poll() is None:
            found = status()
            if found.running:
                return found
            time.sleep(0.1)
    raise ConfigurationError(_("the PDF service did not start (see {path}); --no-service converts without it")
                             .format(path=folder / "service.log"))


def remote_pdfs(sources: list[Path], out_dir: Path, *, pdfa: bool, jobs: int, timeout: float,
                signature_fields: bool, appendix_files: bool) -> Iterator[PdfOutcome]:
    """The PDF stage done by the service (started if need be), a group of documents per call, as
    many calls at a time as jobs; outcomes in the order of the sources."""
    from concurrent.futures import ThreadPoolExecutor

    from .convert import plan
    from .pipeline import PdfOutcome

    out_dir.mkdir(parents=True, exist_ok=True)
    ensure(jobs)
    settings = {"pdfa": pdfa, "timeout": timeout, "signature_fields": signature_fields,
                "appendix_files": appendix_files, "lang": current_language()}

    def one(group: tuple[list[Path], list[Path]]) -> list[PdfOutcome]:
        paths, targets = group
        call = ([str(p.resolve()) for p in paths], [str(t.resolve()) for t in targets], settings)
        budget = 2 * timeout * len(paths) + 30  # a failed group is converted again document by document
        try:
            try:
                found = _proxy(budget).finish_group(*call)
            except (OSError, xmlrpc.client.ProtocolError):
                # the service went away (killed, or it stopped when idle): start one and try once more
                ensure(jobs)
                found = _proxy(budget).finish_group(*call)
        except xmlrpc.client.Fault as exc:  # a fault of the service's own: said for each document
            return [PdfOutcome(p, None, [_("the PDF service failed: {detail}").format(detail=exc.faultString)])
                    for p in paths]
        return [PdfOutcome(p, t if d["output"] is not None else None, list(d["problems"]), list(d["notes"]),
                           [t.with_name(Path(a).name) for a in d["appendices"]])
                for p, t, d in zip(paths, targets, found, strict=True)]

    # two calls per listener: one group converting while the service finishes the one before
    with ThreadPoolExecutor(2 * max(1, jobs)) as threads:
        for outcomes in threads.map(one, plan(sources, out_dir, jobs)):
            yield from outcomes


def main(argv: list[str]) -> None:
    if argv[:1] != ["serve"]:
        sys.exit("usage: python -m vanthu.pdf.service serve --jobs N --idle SECONDS")
    jobs = int(argv[argv.index("--jobs") + 1]) if "--jobs" in argv else 2
    idle = float(argv[argv.index("--idle") + 1]) if "--idle" in argv else IDLE_SECONDS
    serve(max(1, jobs), max(1.0, idle))


if __name__ == "__main__":
    main(sys.argv[1:])
