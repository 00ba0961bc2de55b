"""What several rules read the same way: element lists, printed text, line widths."""

from __future__ import annotations

from ...docview import DocumentView, Paragraph
from ...i18n import _
from ...nd30 import layout
from ...textwidth import text_width_mm
from ..rule import Finding, at

E = layout.ELEMENTS


def one(p: Paragraph | None) -> list[Paragraph]:
    return [p] if p else []


def printed(p: Paragraph) -> str:
    """The paragraph's text with its spacing as one reads it (no-break spaces included)."""
    return " ".join(p.text.replace("\u00a0", " ").split())


def signer_parts(doc: DocumentView) -> tuple[list[Paragraph], list[Paragraph]]:
    """(authority and title lines, name lines) of the signature cell(s)."""
    lines = doc.signer_lines
    if not lines:
        return [], []
    by_cell: dict[tuple, list[Paragraph]] = {}
    for p in lines:
        by_cell.setdefault(p.cell, []).append(p)
    titles, names = [], []
    for cell_lines in by_cell.values():
        names.append(cell_lines[-1])
        titles += [p for p in cell_lines[:-1] if not p.text.strip().startswith("(")]
    return titles, names


def appendix_parts(doc: DocumentView) -> tuple[list[Paragraph], list[Paragraph], list[Paragraph]]:
    """(Phụ lục headings, their titles, their '(Kèm theo …)' lines)."""
    headings, titles, kem_theo = [], [], []
    for heading in doc.appendix_headings:
        headings.append(heading)
        title = doc.next_text(heading)
        if title:
            titles.append(title)
            following = doc.next_text(title)
            if following and following.text.strip().startswith("(Kèm theo"):
                kem_theo.append(following)
    return headings, titles, kem_theo


def line_width(p: Paragraph, doc: DocumentView) -> float:
    """Printed width of the paragraph's longest line, at most the width it has."""
    size = next((r.size for r in p.runs if r.size), E["noi_dung"].size)
    bold = bool(p.runs) and all(r.bold for r in p.runs)
    longest = max((text_width_mm(line, size, bold) for line in p.text.split("\n")), default=0.0)
    return min(longest, doc.available_width_mm(p))


def rule_findings(doc: DocumentView, p: Paragraph | None, low: float, high: float, label: str) -> list[Finding] | None:
    """Findings on the line drawn under p, expected low–high mm long (within the tolerance)."""
    if p is None:
        return None
    drawn = doc.rule_under(p, doc.available_width_mm(p))
    if drawn is None:
        return [at(p, _("no line under the {element}").format(element=label))]
    if drawn.kind == "underline":
        return [at(p, _("the {element} is underlined as characters; the decree asks for a separate solid line")
                   .format(element=label))]
    if drawn.length_mm is None:
        return []
    low, high = low - layout.RULE_TOLERANCE_MM, high + layout.RULE_TOLERANCE_MM
    if not low <= drawn.length_mm <= high:
        return [at(p, _("line under the {element} is {length:.0f} mm; expected {low:.0f}–{high:.0f} mm").format(
            element=label, length=drawn.length_mm, low=low, high=high))]
    return []
