"""Output file names: type, number, date and an ASCII slug of the trích yếu, inside OUTDIR."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..text import strip_diacritics

SLUG_MAX = 60


def ascii_slug(text: str, limit: int = SLUG_MAX) -> str:
    """'Về việc tổ chức Triển lãm' → 've-viec-to-chuc-trien-lam' (cut at a word boundary)."""
    slug = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "van-ban"


def output_name(type_key: str, number: int | None, date_iso: str | None, summary: str, suffix: str = ".docx") -> str:
    parts = [type_key.replace("_", "-"), f"{number:02d}" if number else "chua-so", date_iso or "chua-ngay",
             ascii_slug(summary)]
    return "_".join(parts) + suffix


def base_name(name: str) -> str:
    """The name before batch de-duplication: 'a_b_c_d_2.docx' → 'a_b_c_d.docx'."""
    stem, dot, ext = name.rpartition(".")
    parts = stem.split("_")
    if len(parts) > 4 and parts[-1].isdigit():
        return "_".join(parts[:-1]) + dot + ext
    return name


def safe_target(out_dir: Path, name: str, taken: Callable[[str], bool]) -> Path:
    """A path for name inside out_dir, never outside it, and not a name already taken."""
    name = Path(name).name  # drop any directory part
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while taken(candidate):
        n += 1
        # "_" separates the parts of a name and never occurs in a slug, so "_2" is unambiguous
        candidate = f"{stem}_{n}{dot}{ext}"
    target = (out_dir / candidate).resolve()
    if target.parent != out_dir.resolve():
        raise ValueError(f"{candidate} would be written outside {out_dir}")
    return target
