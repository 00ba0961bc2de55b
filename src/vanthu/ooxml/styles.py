"""Styles of a template, found by name: other programs rewrite style IDs (LibreOffice drops the
Vietnamese letters: VTNoiDung becomes VTNidung; Word builds IDs from English-letter names), but
keep the names a clerk sees ("VT Nội dung")."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from .namespaces import NS, w


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", " ".join(name.split())).casefold()


def style_ids_by_name(styles_xml: bytes) -> dict[str, str]:
    """{folded style name: styleId} of every style in styles.xml."""
    out = {}
    for style in etree.fromstring(styles_xml).findall("w:style", NS):
        name = style.find("w:name", NS)
        if name is not None and style.get(w("styleId")):
            out[_key(name.get(w("val"), ""))] = style.get(w("styleId"))
    return out


def style_definitions(styles_xml: bytes, ids: set[str]) -> dict[str, bytes]:
    """{styleId: the serialised <w:style>} for the ids asked, from a styles part."""
    out = {}
    for style in etree.fromstring(styles_xml).findall("w:style", NS):
        if style.get(w("styleId")) in ids:
            out[style.get(w("styleId"))] = etree.tostring(style)
    return out


def add_styles(styles_xml: bytes, definitions: list[bytes]) -> bytes:
    """styles.xml with the given <w:style> elements appended."""
    root = etree.fromstring(styles_xml)
    for definition in definitions:
        root.append(etree.fromstring(definition))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_REFERENCE = re.compile(rb'(<w:(?:pStyle|rStyle|tblStyle|basedOn|next|link)\b[^>]*\bw:val=")([^"]*)(")')
_STYLE_ID = re.compile(rb'(<w:style\b[^>]*\bw:styleId=")([^"]*)(")')


def rename_style_ids(part_xml: bytes, renames: dict[str, str]) -> bytes:
    """A part with style IDs (definitions and every reference) renamed old → new.

    A regex over the serialised part, not a parse: the template's Jinja tags sit in its text
    and must come through byte for byte.
    """
    table = {old.encode(): new.encode() for old, new in renames.items()}
    if not table:
        return part_xml

    def swap(match: re.Match) -> bytes:
        return match[1] + table.get(match[2], match[2]) + match[3]

    return _STYLE_ID.sub(swap, _REFERENCE.sub(swap, part_xml))
