"""One batch at a time in an output folder: a lock held for the whole run.

Two runs into one folder would interleave their state and report; the second waits for the
first (saying so once) or, asked not to wait, stops at once naming the other process. The lock
is an flock on the folder itself, released by the kernel when the holder exits, even killed;
the holder writes its process number into .vanthu.pid for the message, and removes it when done.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigurationError
from ..i18n import _

PID_FILE = ".vanthu.pid"
# What vanthu's temporary files look like (tempfile.mkstemp(prefix=".NAME.", suffix=".tmp")).
_TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")


class FolderLock:
    def __init__(self, out_dir: Path):
        self.folder = out_dir
        self.path = out_dir / PID_FILE
        self.handle: int | None = None
        self.held = False

    def acquire(self, *, wait: bool = True, timeout: float = 600.0,
                on_wait: Callable[[str], None] | None = None) -> None:
        self.handle = os.open(self.folder, os.O_RDONLY)
        deadline = time.monotonic() + timeout
        said = False
        while True:
            try:
                fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = self._holder()
                if not wait:
                    self._close()
                    raise ConfigurationError(_("{folder} is in use by another vanthu run (process {pid}); run again "
                                               "when it has finished, or choose another -o").format(
                        folder=self.folder, pid=holder)) from None
                if time.monotonic() > deadline:
                    self._close()
                    raise ConfigurationError(_("{folder} is still in use by another vanthu run (process {pid}) "
                                               "after {seconds:.0f} s").format(
                        folder=self.folder, pid=holder, seconds=timeout)) from None
                if not said and on_wait:
                    on_wait(_("waiting for the vanthu run (process {pid}) that is writing into {folder}").format(
                        pid=holder, folder=self.folder))
                    said = True
                time.sleep(0.2)
        self.path.write_text(f"{os.getpid()}\n", encoding="utf-8")
        self.held = True

    def _holder(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8").strip() or "?"
        except OSError:
            return "?"

    def release(self) -> None:
        if self.held:
            self.path.unlink(missing_ok=True)  # only the holder writes or removes it
            self.held = False
        self._close()

    def _close(self) -> None:
        if self.handle is not None:
            os.close(self.handle)  # closing the folder's descriptor drops the flock
            self.handle = None


def remove_leftovers(out_dir: Path) -> list[Path]:
    """Temporary files of a run that was killed (a SIGKILL leaves them): only the lock holder calls it."""
    removed = []
    for path in out_dir.iterdir():
        if _TEMPORARY.match(path.name) and path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
