"""Test helper: open a produced .docx and read back what Word would show."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from vanthu.ooxml.formatting import NS, ParagraphFormat, RunFormat, Styles, paragraph_text, text_runs, w
from vanthu.ooxml.units import twips_to_mm


@dataclass
class Para:
    el: etree._Element
    text: str
    fmt: ParagraphFormat
    runs: list[RunFormat]
    mark: RunFormat

    @property
    def sizes(self) -> set[float]:
        return {r.size for r in self.runs}


class DocxView:
    def __init__(self, path: Path):
        self.path = Path(path)
        with zipfile.ZipFile(path) as archive:
            self.parts = {n: archive.read(n) for n in archive.namelist()}
        self.styles = Styles(self.parts.get("word/styles.xml"), self.parts.get("word/theme/theme1.xml"))
        self.document = etree.fromstring(self.parts["word/document.xml"])
        self.body = self.document.find("w:body", NS)

    def para(self, el: etree._Element) -> Para:
        runs = [self.styles.run_format(el, r) for r in text_runs(el)]
        return Para(el, paragraph_text(el), self.styles.paragraph_format(el), runs, self.styles.run_format(el))

    def paragraphs(self) -> list[Para]:
        """Every paragraph in document order, those inside tables included."""
        return [self.para(p) for p in self.body.iter(w("p"))]

    def find(self, text: str, *, startswith: bool = False) -> Para:
        for p in self.paragraphs():
            if p.text == text or (startswith and p.text.startswith(text)):
                return p
        raise AssertionError(f"no paragraph {'starting with' if startswith else 'reading'} {text!r}")

    def find_all(self, predicate) -> list[Para]:
        return [p for p in self.paragraphs() if predicate(p)]

    def sections(self) -> list[etree._Element]:
        """sectPr elements in order: paragraph-level ones, then the body's own."""
        return list(self.body.iter(w("sectPr")))

    def section_of(self, el: etree._Element) -> etree._Element:
        """The sectPr that closes the section holding el."""
        following = el.xpath("following::w:sectPr", namespaces=NS)
        if el.tag == w("p") and el.find("w:pPr/w:sectPr", NS) is not None:
            return el.find("w:pPr/w:sectPr", NS)
        return following[0]

    def part_xml(self, rel_id: str) -> etree._Element:
        rels = etree.fromstring(self.parts["word/_rels/document.xml.rels"])
        for rel in rels:
            if rel.get("Id") == rel_id:
                return etree.fromstring(self.parts["word/" + rel.get("Target")])
        raise KeyError(rel_id)

    def header_footer(self, sect: etree._Element, kind: str, which: str) -> etree._Element | None:
        ref = sect.find(f"w:{kind}Reference[@w:type='{which}']", NS)
        if ref is None:
            return None
        return self.part_xml(ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"))

    def tables(self) -> list[etree._Element]:
        return self.body.findall("w:tbl", NS)

    def cell_width_mm(self, el: etree._Element) -> float:
        """Width of the table cell holding el."""
        tc = el.xpath("ancestor::w:tc[1]", namespaces=NS)[0]
        return twips_to_mm(int(tc.find("w:tcPr/w:tcW", NS).get(w("w"))))


def mm(twips: int) -> float:
    return twips_to_mm(twips)
