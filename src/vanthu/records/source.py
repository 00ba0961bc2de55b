"""A record as read from its file, before validation: values plus where each came from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import Origin

Path_ = tuple[str | int, ...]


@dataclass
class RawRecord:
    """One document's data as plain Python values, with the origin of every value."""

    data: Any
    located: dict[Path_, Origin] | None  # origins, or None until first asked for
    file: str
    index: int = 0  # position of the record in its file (0 for a file with one document)
    problems: list = field(default_factory=list)  # load-time problems (duplicate keys, hygiene)
    in_list: bool = False  # the file holds a list of records
    locate: Callable[[], dict[Path_, Origin]] | None = None  # finds the origins when they are needed

    @property
    def origins(self) -> dict[Path_, Origin]:
        """Origins are only needed to report a problem, so they are found on first use."""
        if self.located is None:
            self.located = self.locate() if self.locate else {}
        return self.located

    def origin(self, path: Path_) -> Origin:
        """The origin of path, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            if path in self.origins:
                return self.origins[path]
            path = path[:-1]
        return self.origins.get((), Origin(self.file))

    @property
    def label(self) -> str:
        return f"{self.file}#{self.index + 1}" if self.in_list else self.file


def dotted(path: Path_) -> str:
    """('nguoi_ky', 0, 'ho_ten') -> 'nguoi_ky[0].ho_ten'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out
