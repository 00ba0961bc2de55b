"""Thẩm quyền ký (ô 7a/7b; Mục II.7, Điều 13) — nd30.md §2.3."""

from __future__ import annotations

from dataclasses import dataclass

# Each abbreviation ends with a period and stands before the collective's name or the head's title.
AUTHORITIES = {
    "TM.": "thay mặt",
    "KT.": "ký thay",
    "TL.": "thừa lệnh",
    "TUQ.": "thừa ủy quyền",
    "Q.": "quyền",
}


def normalise_authority(text: str) -> str | None:
    """'kt', 'KT', 'KT.' → 'KT.'; None when it is none of the five forms."""
    key = text.strip().upper().rstrip(".") + "."
    return key if key in AUTHORITIES else None


@dataclass(frozen=True)
class SignatureLines:
    """The lines of a signer block, top to bottom (the name is not upper-cased)."""

    authority_lines: tuple[str, ...]  # ('TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH'), ('KT. GIÁM ĐỐC',) or ()
    title_line: str | None  # 'PHÓ GIÁM ĐỐC', or the head's own title when signing directly
    name: str

    @property
    def authority_line(self) -> str | None:
        """The authority lines as one text, a line break between levels (for user templates)."""
        return "\n".join(self.authority_lines) or None


def signature_lines(authority: str | list[str] | None, on_behalf_of: str | list[str] | None, title: str,
                    name: str) -> SignatureLines:
    """Compose ô 7a/7b.

    Each authority form makes a line 'FORM ON_BEHALF_OF', outermost first ('TM. ỦY BAN NHÂN DÂN',
    then 'KT. CHỦ TỊCH'), and the signer's own title follows ('PHÓ CHỦ TỊCH'); Q. (acting head)
    prints a single line ('Q. GIÁM ĐỐC'). Without a form the head signs under their own title.
    """
    forms = [authority] if isinstance(authority, str) else list(authority or [])
    targets = [on_behalf_of] if isinstance(on_behalf_of, str) else list(on_behalf_of or [])
    title = title.strip().upper()
    if not forms:
        return SignatureLines((), title, name.strip())
    lines, own_title = [], title or None
    for i, form in enumerate(forms):
        target = (targets[i] if i < len(targets) else "").strip().upper()
        if form == "Q.":
            lines.append(f"Q. {target or title}")
            own_title = None
        else:
            lines.append(f"{form} {target}".strip())
    return SignatureLines(tuple(lines), own_title, name.strip())
