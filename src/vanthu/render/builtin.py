"""Where the built-in templates are: inside the installed package (the wheel carries them as
vanthu/templates), else the checkout's top-level templates/ (an editable install)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def builtin_template_dir() -> Path:
    packaged = Path(str(resources.files("vanthu"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"
