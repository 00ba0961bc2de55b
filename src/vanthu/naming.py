"""Output file names: type, number, date and an ASCII slug of the trích yếu, inside OUTDIR.

A batch can name its files by a pattern instead (`vanthu generate --name`): placeholders in
braces, each filled with an ASCII slug of a record's (or a mail-merge recipient's) value.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigurationError
from .i18n import _
from .text import strip_diacritics

SLUG_MAX = 60


RECIPIENT_SLUG_MAX = 40  # of a mail merge's recipient, in a file name


def ascii_slug(text: str, limit: int = SLUG_MAX, empty: str = "van-ban") -> str:
    """'Về việc tổ chức Triển lãm' → 've-viec-to-chuc-trien-lam' (cut at a word boundary)."""
    slug = re.sub(r"[^a-z0-9]+", "-", strip_diacritics(text).lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or empty


def output_name(type_key: str, number: int | None, date_iso: str | None, summary: str, suffix: str = ".docx",
                recipient: str = "") -> str:
    """type_number_date_summary[_recipient].docx; a recipient (mail merge) is kept whole and the
    summary shortened to leave it room, so every recipient's file is told apart by its name."""
    tail = ascii_slug(recipient, RECIPIENT_SLUG_MAX, "") if recipient else ""
    head = ascii_slug(summary, SLUG_MAX - len(tail) - 1 if tail else SLUG_MAX)
    parts = [type_key.replace("_", "-"), f"{number:02d}" if number else "chua-so", date_iso or "chua-ngay",
             f"{head}-{tail}" if tail else head]
    return "_".join(parts) + suffix


# ---- names from a pattern ------------------------------------------------------------------

# Placeholders a pattern may use (docs/records.md, "File names"), and groups read by key.
NAME_FIELDS = ("loai", "so", "ky_hieu", "ngay", "trich_yeu", "co_quan", "kinh_gui")
NAME_GROUPS = ("nguoi_nhan", "du_lieu")  # {nguoi_nhan.dia_chi}: a recipient's column; {du_lieu.x}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_FORBIDDEN = re.compile(r"[/\\\x00-\x1f:*?\"<>|]")  # not portable in a file name, or a path


class NamePatternError(ConfigurationError):
    """A --name pattern with an unknown field or a character no file name may hold."""


@dataclass(frozen=True)
class NamePattern:
    """'{so}_{nguoi_nhan.kinh_gui}' → '05_cong-ty-abc.docx' for one record."""

    text: str  # without its .docx

    @classmethod
    def parse(cls, text: str, *, merge: bool) -> NamePattern:
        """Check the pattern before any record is rendered; NamePatternError says what is wrong."""
        stem = text[:-5] if text.lower().endswith(".docx") else text
        fields = tuple(m.group(1).strip() for m in _PLACEHOLDER.finditer(stem))
        literal = _PLACEHOLDER.sub("", stem)
        if "{" in literal or "}" in literal:
            raise NamePatternError(_("the name pattern '{pattern}' has an unmatched brace").format(pattern=text))
        if _FORBIDDEN.search(literal):
            raise NamePatternError(_("the name pattern '{pattern}' may not contain / \\ : * ? \" < > |").format(
                pattern=text))
        if not fields:
            raise NamePatternError(_("the name pattern '{pattern}' has no placeholder: every document would get "
                                     "the same name").format(pattern=text))
        for name in fields:
            group, dot, key = name.partition(".")
            if dot and group in NAME_GROUPS and key:
                if group == "nguoi_nhan" and not merge:
                    raise NamePatternError(_("'{{{name}}}' in the name pattern needs --merge").format(name=name))
                continue
            if dot or name not in NAME_FIELDS:
                raise NamePatternError(_("unknown placeholder '{{{name}}}' in the name pattern; use {fields}").format(
                    name=name, fields=", ".join("{" + f + "}" for f in [*NAME_FIELDS, "nguoi_nhan.…", "du_lieu.…"])))
        return cls(stem)

    def name(self, values: Mapping[str, str], groups: Mapping[str, Mapping[str, object]]) -> str:
        """The file name for one record: each placeholder an ASCII slug of its value."""
        def fill(match: re.Match) -> str:
            group, dot, key = match.group(1).strip().partition(".")
            value = groups.get(group, {}).get(key) if dot else values.get(group)
            return ascii_slug("" if value is None else str(value), empty="")

        stem = _PLACEHOLDER.sub(fill, self.text).strip(" .")
        return (stem or "van-ban") + ".docx"


def is_numbered_variant(name: str, proposed: str) -> bool:
    """Whether name is proposed itself or proposed with a batch's '_N' de-duplication suffix."""
    if name == proposed:
        return True
    stem, dot, ext = proposed.rpartition(".")
    return re.fullmatch(re.escape(stem) + r"_\d+" + re.escape(dot + ext), name) is not None


def safe_target(out_dir: Path, name: str, taken: Callable[[str], bool]) -> Path:
    """A path for name inside out_dir, never outside it, and not a name already taken."""
    name = Path(name).name  # drop any directory part
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while taken(candidate):
        n += 1
        # "_" separates the parts of a name and never occurs in a slug, so "_2" is unambiguous
        candidate = f"{stem}_{n}{dot}{ext}"
    # a bare name (no separator, not '.' or '..') stays in out_dir; the file is then put in place
    # by a rename, which replaces a symbolic link of that name instead of following it
    if candidate in ("", ".", "..") or "/" in candidate or "\0" in candidate:
        raise ValueError(f"{candidate!r} would be written outside {out_dir}")
    return out_dir / candidate
