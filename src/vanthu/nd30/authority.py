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

    authority_line: str | None  # 'KT. GIÁM ĐỐC' / 'TM. ỦY BAN NHÂN DÂN' / None
    title_line: str | None  # 'PHÓ GIÁM ĐỐC', or the head's own title when signing directly
    name: str


def signature_lines(authority: str | None, on_behalf_of: str | None, title: str, name: str) -> SignatureLines:
    """Compose ô 7a/7b.

    With an authority form, the first line is 'FORM ON_BEHALF_OF' and the signer's own title
    follows ('KT. GIÁM ĐỐC' / 'PHÓ GIÁM ĐỐC'); Q. (acting head) prints a single line
    ('Q. GIÁM ĐỐC'). Without a form the head signs under their own title.
    """
    title = title.strip().upper()
    if not authority:
        return SignatureLines(None, title, name.strip())
    target = (on_behalf_of or "").strip().upper()
    if authority == "Q.":
        return SignatureLines(f"Q. {target or title}", None, name.strip())
    return SignatureLines(f"{authority} {target}".strip(), title or None, name.strip())
