"""The edXML namespace, vanthu's schema of it (edxml-qcvn102-2016.xsd, shipped), and a parser
that never fetches, expands entities or grows without bound."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from lxml import etree

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
VANTHU_NS = "urn:vanthu:edxml:1"  # vanthu's additions (an attachment's SHA-256), where the schema allows others'
SCHEMA = Path(__file__).resolve().parent / "edxml-qcvn102-2016.xsd"
MAX_PACKAGE_BYTES = 200 * 1024 * 1024


def parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True,
                           remove_blank_text=False)


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser()))


def q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def problems_of(root: etree._Element) -> list[str]:
    """Where and how the document breaks the schema: 'line 12: … Element 'Subject' …'."""
    from ..i18n import _

    if root.getroottree().docinfo.doctype:  # entities are never expanded; a package has no need of a DTD
        return [_("the package declares a DTD (<!DOCTYPE …>): refused")]
    checker = schema()
    try:
        if checker.validate(root.getroottree()):
            return []
    except etree.XMLSchemaValidateError as exc:
        return [_("the package cannot be checked against the schema: {detail}").format(detail=exc)]
    return [f"line {e.line}: {e.message.replace('{' + NS + '}', '')}" for e in checker.error_log]


def validate_bytes(data: bytes) -> list[str]:
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        return [str(exc)]
    return problems_of(root)
