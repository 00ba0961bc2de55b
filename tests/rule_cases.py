"""The checker's rule cases (tests/fixtures/rules/<CODE>.yml): what each edit does, and how a
case becomes a .docx.

Each case names a rendered example (`thong-bao`, `ke-hoach` …: the first part of its file
name) or a corpus document made without vanthu (`corpus/01-thong-bao-border-below`), and a
list of edits made to it with python-docx, as a clerk would in Word:

- `paragraph: START` picks the first paragraph (body or table) whose text starts so; with it
  `text: NEW` retypes it, `replace: [OLD, NEW]` replaces in it, `font: {size, bold, italic,
  underline, name, east_asia, color}` sets its first run, `drop_border_after: true` removes the
  border of the paragraph under it, `indent_after_mm: N` indents that paragraph on the left,
  `rule_after_fits: {size, bold}` makes the line under it as long as its text at that weight.
- `section: {page_width_mm, page_height_mm, left_margin_mm}` changes the first section.
- `remove_title_page: true` gives page 1 the same header as the others.

A fail case names where its finding is (`fails_at`, in the location) and may name words of
its message (`message`, English); a pass case (`passes: true`) is a conformant document.
"""

from __future__ import annotations

from pathlib import Path

import docx
import yaml
from docx.shared import Mm, Pt

from vanthu.ooxml.namespaces import NS, w

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
CORPUS = Path(__file__).resolve().parent / "corpus"  # documents made without vanthu (build_corpus.py)


def load_cases() -> list[tuple[str, dict]]:
    """(rule code, case) for every case of every fixture file, in code order."""
    out = []
    for path in sorted(FIXTURES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert data["rule"] == path.stem, path
        out += [(data["rule"], case) for case in data["cases"]]
    return out


def case_id(item: tuple[str, dict]) -> str:
    return f"{item[0]}-{item[1]['name']}"


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
                for inner in cell.tables:
                    for r in inner.rows:
                        for c in r.cells:
                            yield from c.paragraphs


def para(document, start: str):
    for paragraph in _all_paragraphs(document):
        if paragraph.text.startswith(start):
            return paragraph
    raise AssertionError(f"no paragraph starts with {start!r}")


def set_text(paragraph, text: str) -> None:
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def following(paragraph):
    return docx.text.paragraph.Paragraph(paragraph._p.getnext(), paragraph._parent)


def _font(paragraph, values: dict) -> None:
    font = paragraph.runs[0].font
    for key, value in values.items():
        if key == "size":
            font.size = Pt(value)
        elif key == "color":
            from docx.shared import RGBColor

            font.color.rgb = RGBColor.from_string(value)
        elif key == "east_asia":
            paragraph.runs[0]._r.get_or_add_rPr().get_or_add_rFonts().set(w("eastAsia"), value)
        else:
            setattr(font, key, value)


def _rule_fits(paragraph, values: dict) -> None:
    from vanthu.textwidth import text_width_mm

    cell_width = paragraph._parent.width.mm if hasattr(paragraph._parent, "width") and paragraph._parent.width \
        else None
    side = (cell_width - text_width_mm(paragraph.text, values["size"], values.get("bold", False))) / 2
    rule = following(paragraph).paragraph_format
    rule.left_indent = rule.right_indent = Mm(side)


def apply_edit(document, edit: dict) -> None:
    if "section" in edit:
        section = document.sections[0]
        for key, value in edit["section"].items():
            setattr(section, key.removesuffix("_mm"), Mm(value))
        return
    if edit.get("remove_title_page"):
        title_page = document.sections[0]._sectPr.find("w:titlePg", NS)
        title_page.getparent().remove(title_page)
        return
    paragraph = para(document, edit["paragraph"])
    if "text" in edit:
        set_text(paragraph, edit["text"])
    if "replace" in edit:
        old, new = edit["replace"]
        set_text(paragraph, paragraph.text.replace(old, new))
    if "font" in edit:
        _font(paragraph, edit["font"])
    if edit.get("drop_border_after"):
        borders = following(paragraph)._p.find("w:pPr/w:pBdr", NS)
        borders.getparent().remove(borders)
    if "indent_after_mm" in edit:
        following(paragraph).paragraph_format.left_indent = Mm(edit["indent_after_mm"])
    if "rule_after_fits" in edit:
        _rule_fits(paragraph, edit["rule_after_fits"])


def source(examples: dict[str, Path], name: str) -> Path:
    """A rendered example by its type ('thong-bao'), or a corpus document ('corpus/01-…')."""
    return CORPUS / f"{name.removeprefix('corpus/')}.docx" if name.startswith("corpus/") else examples[name]


def build(examples: dict[str, Path], case: dict, target: Path) -> Path:
    document = docx.Document(source(examples, case["document"]))
    for edit in case["edits"]:
        apply_edit(document, edit)
    document.save(target)
    return target
