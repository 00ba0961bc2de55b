"""Effective formatting of paragraphs and runs, resolved the way Word resolves it.

Run properties → character style → paragraph style and its basedOn chain → document
defaults; theme fonts (asciiTheme …) are looked up in the theme part. Works on any .docx,
whichever program wrote it.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .namespaces import NS, w

FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_TOGGLES = {"b": "bold", "i": "italic", "caps": "caps", "strike": "strike"}


def _on(el: etree._Element) -> bool:
    return el.get(w("val"), "true") not in ("0", "false", "off", "none")


@dataclass
class RunFormat:
    size: float | None = None  # points
    bold: bool = False
    italic: bool = False
    caps: bool = False
    strike: bool = False
    underline: str | None = None
    color: str | None = None
    fonts: dict[str, str | None] = field(default_factory=lambda: dict.fromkeys(FONT_SLOTS))


@dataclass
class ParagraphFormat:
    align: str | None = None  # 'left', 'center', 'both', 'right'
    first_line: int = 0  # twips; negative for a hanging indent
    left: int = 0
    right: int = 0
    before: int = 0  # twips
    after: int = 0
    line: int | None = None
    line_rule: str | None = None
    borders: dict[str, dict] = field(default_factory=dict)  # side -> attributes
    page_break_before: bool = False


class Styles:
    """styles.xml and the theme of one package."""

    def __init__(self, styles_xml: bytes | None, theme_xml: bytes | None = None):
        self.styles: dict[str, etree._Element] = {}
        self.default_paragraph_style: str | None = None
        self.default_rpr: etree._Element | None = None
        self.default_ppr: etree._Element | None = None
        self.theme_fonts: dict[str, str] = {}
        if styles_xml:
            root = etree.fromstring(styles_xml)
            self.default_rpr = root.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
            self.default_ppr = root.find("w:docDefaults/w:pPrDefault/w:pPr", NS)
            for style in root.findall("w:style", NS):
                sid = style.get(w("styleId"))
                self.styles[sid] = style
                if style.get(w("type")) == "paragraph" and _on_attr(style.get(w("default"))):
                    self.default_paragraph_style = sid
        if theme_xml:
            theme = etree.fromstring(theme_xml)
            for kind in ("major", "minor"):
                latin = theme.find(f".//a:{kind}Font/a:latin", NS)
                if latin is not None:
                    self.theme_fonts[kind] = latin.get("typeface")

    @classmethod
    def from_package(cls, path: str | Path) -> Styles:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            styles = archive.read("word/styles.xml") if "word/styles.xml" in names else None
            theme = archive.read("word/theme/theme1.xml") if "word/theme/theme1.xml" in names else None
        return cls(styles, theme)

    def chain(self, style_id: str | None) -> list[etree._Element]:
        """The style and its basedOn ancestors, nearest first."""
        out, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            out.append(style)
            based = style.find("w:basedOn", NS)
            style_id = based.get(w("val")) if based is not None else None
        return out

    def style_name(self, style_id: str | None) -> str | None:
        style = self.styles.get(style_id or "")
        if style is None:
            return None
        name = style.find("w:name", NS)
        return name.get(w("val")) if name is not None else style_id

    # -- runs ------------------------------------------------------------------------------
    def _layers(self, default: etree._Element | None, style_id: str | None, tag: str) -> list[etree._Element]:
        """Property elements (tag: 'rPr' or 'pPr') from the defaults and a style's basedOn chain,
        lowest priority first."""
        layers = [default] if default is not None else []
        for style in reversed(self.chain(style_id)):
            found = style.find(f"w:{tag}", NS)
            if found is not None:
                layers.append(found)
        return layers

    def run_format(self, paragraph: etree._Element, run: etree._Element | None = None) -> RunFormat:
        """Effective run format; with run=None, the paragraph mark's (what an empty run would get)."""
        layers = self._layers(self.default_rpr, self.paragraph_style_id(paragraph), "rPr")
        if run is not None:
            rstyle = run.find("w:rPr/w:rStyle", NS)
            if rstyle is not None:
                layers += self._layers(None, rstyle.get(w("val")), "rPr")
            direct = run.find("w:rPr", NS)
        else:
            direct = paragraph.find("w:pPr/w:rPr", NS)
        if direct is not None:
            layers.append(direct)
        fmt = RunFormat()
        for rpr in layers:
            self._apply_rpr(fmt, rpr)
        return fmt

    def _apply_rpr(self, fmt: RunFormat, rpr: etree._Element) -> None:
        for child in rpr:
            tag = etree.QName(child).localname
            if tag in _TOGGLES:
                setattr(fmt, _TOGGLES[tag], _on(child))
            elif tag == "sz":
                fmt.size = int(child.get(w("val"))) / 2
            elif tag == "u":
                val = child.get(w("val"), "single")
                fmt.underline = None if val == "none" else val
            elif tag == "color":
                fmt.color = child.get(w("val"))
            elif tag == "rFonts":
                for slot in FONT_SLOTS:
                    theme = child.get(w(f"{slot}Theme"))
                    if theme:
                        fmt.fonts[slot] = self.theme_fonts.get("major" if theme.startswith("major") else "minor")
                    elif child.get(w(slot)):
                        fmt.fonts[slot] = child.get(w(slot))

    # -- paragraphs ------------------------------------------------------------------------
    def paragraph_style_id(self, paragraph: etree._Element) -> str | None:
        pstyle = paragraph.find("w:pPr/w:pStyle", NS)
        return pstyle.get(w("val")) if pstyle is not None else self.default_paragraph_style

    def paragraph_format(self, paragraph: etree._Element) -> ParagraphFormat:
        layers = self._layers(self.default_ppr, self.paragraph_style_id(paragraph), "pPr")
        direct = paragraph.find("w:pPr", NS)
        if direct is not None:
            layers.append(direct)
        fmt = ParagraphFormat()
        for ppr in layers:
            for child in ppr:
                tag = etree.QName(child).localname
                if tag == "jc":
                    val = child.get(w("val"))
                    fmt.align = {"start": "left", "end": "right", "distribute": "both"}.get(val, val)
                elif tag == "ind":
                    for attr, name in (("left", "left"), ("start", "left"), ("right", "right"), ("end", "right")):
                        if child.get(w(attr)) is not None:
                            setattr(fmt, name, int(child.get(w(attr))))
                    if child.get(w("firstLine")) is not None:
                        fmt.first_line = int(child.get(w("firstLine")))
                    if child.get(w("hanging")) is not None:
                        fmt.first_line = -int(child.get(w("hanging")))
                elif tag == "spacing":
                    for attr in ("before", "after", "line"):
                        if child.get(w(attr)) is not None:
                            setattr(fmt, attr, int(child.get(w(attr))))
                    if child.get(w("lineRule")) is not None:
                        fmt.line_rule = child.get(w("lineRule"))
                elif tag == "pBdr":
                    for side in child:
                        fmt.borders[etree.QName(side).localname] = {
                            etree.QName(k).localname: v for k, v in side.attrib.items()}
                elif tag == "pageBreakBefore":
                    fmt.page_break_before = _on(child)
        return fmt


def _on_attr(value: str | None) -> bool:
    return value in ("1", "true", "on")


def paragraph_text(paragraph: etree._Element) -> str:
    """The text of a paragraph as printed (tabs as spaces, line breaks as newlines)."""
    out = []
    for el in paragraph.iter(w("t"), w("tab"), w("br"), w("instrText")):
        tag = etree.QName(el).localname
        if tag == "t":
            out.append(el.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag == "br" and el.get(w("type")) in (None, "textWrapping"):
            out.append("\n")
    return "".join(out)


def text_runs(paragraph: etree._Element) -> list[etree._Element]:
    """Runs of the paragraph that print text (fields' instruction runs excluded)."""
    return [r for r in paragraph.iter(w("r")) if r.find("w:t", NS) is not None and (
        "".join(t.text or "" for t in r.findall("w:t", NS)).strip())]
