"""Generated pieces of a document: rules, marks, Kính gửi, signatures, appendices.

Each takes plain values (never the record model) and returns WordprocessingML.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..nd30 import layout, texts
from ..nd30.authority import SignatureLines
from ..nd30.dates import date_line_condense_pt
from ..ooxml import write as x
from ..textwidth import text_width_mm
from .body import body_xml, simple_table

E = layout.ELEMENTS
STAMP_RED = layout.STAMP_COLOR


def with_ending(text: str, ending: str, own: tuple[str, ...]) -> str:
    """text ending as the decree asks: its own ending kept where the decree allows it (own),
    otherwise a stray ',' or ';' replaced by `ending`, or `ending` added."""
    text = text.rstrip()
    if text.endswith(own):
        return text
    return text.rstrip(" ,;.") + ending


def short_rule(lines: list[str], element: str, available_mm: float, after_pt: float = 0) -> str:
    """Rule under a text block: SHORT_RULE_CHOSEN of its longest printed line, centred."""
    e = E[element]
    longest = max((text_width_mm(line, e.size, e.bold, e.italic) for line in lines if line), default=0.0)
    longest = min(longest, available_mm)
    return x.rule_paragraph(available_mm, longest * layout.SHORT_RULE_CHOSEN, after_pt=after_pt)


def mark_box(label: str, element: str, width_mm: float | None = None, height_mm: float = layout.STAMP_HEIGHT_MM,
             red: bool = True) -> str:
    """A stamp-like mark: the text in a single-bordered box of a fixed size, centred."""
    e = E[element]
    if width_mm is None:  # no fixed size in the decree: fit the text with a margin
        width_mm = text_width_mm(label, e.size, e.bold) + layout.STAMP_TEXT_MARGIN_MM
    color = STAMP_RED if red else "000000"
    box_borders = "".join(x.border(side, layout.STAMP_BORDER_PT, color=color, space=0)
                          for side in ("top", "left", "bottom", "right"))
    para = x.paragraph(x.run(label, x.rpr(color=color if red else None)),
                       x.ppr(style=e.style_id, align="center"))
    row = x.row(x.cell(para, width_mm, v_align="center"), height_mm=height_mm, exact=True)
    spacer = x.paragraph("", x.ppr(before_pt=0, after_pt=0, line_exact_pt=6, mark_rpr=x.rpr(size=4)))
    return spacer + x.table(row, [width_mm], borders=box_borders, align="center")


def marks_xml(do_mat: str | None, do_khan: str | None, luu_hanh: str | None) -> str:
    """Ô 10a (secrecy), 10b (urgency) and 11 (circulation) under Số, in the left column."""
    parts = []
    if do_mat:
        parts.append(mark_box(do_mat, "dau_mat"))
    if do_khan:
        width, height = texts.DO_KHAN[do_khan]
        parts.append(mark_box(do_khan, "dau_khan", width, height))
    if luu_hanh:
        parts.append(mark_box(luu_hanh, "luu_hanh", red=False))
    if not parts:
        return ""
    # A table cell must end with a paragraph.
    return "".join(parts) + x.paragraph("", x.ppr(line_exact_pt=2, mark_rpr=x.rpr(size=2)))


def date_line_xml(text: str, place: str) -> str:
    """Ô 4 as a paragraph of its own: the date line, condensed where its place name needs it."""
    condense = date_line_condense_pt(place) or 0.0
    spacing = -round(condense + 0.05, 1) if condense else None
    return x.paragraph(x.run(text, x.rpr(spacing_pt=spacing)) if text else "",
                       x.ppr(style=E["dia_danh_ngay"].style_id, before_pt=layout.HEADER_LINE_SPACE_PT))


def kinh_gui_xml(recipients: list[str]) -> str:
    """Ô 9a. One recipient on the label's line; several on lines of their own, the dashes
    under the colon, ';' after each and '.' after the last."""
    if not recipients:
        return ""
    style = E["kinh_gui"].style_id
    label = texts.KINH_GUI_LABEL
    if len(recipients) == 1:
        single = with_ending(recipients[0], ".", own=(".", "!", "?", "…"))
        return x.styled(style, f"{label} {single}", align="center",
                        before_pt=layout.KINH_GUI_SPACE_BEFORE_PT, after_pt=layout.KINH_GUI_SPACE_AFTER_PT)
    indent = layout.KINH_GUI_INDENT_MM
    colon_at = indent + text_width_mm(label[:-1], E["kinh_gui"].size)
    out = [x.styled(style, label, left_mm=indent, before_pt=layout.KINH_GUI_SPACE_BEFORE_PT)]
    for i, name in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        out.append(x.styled(style, f"- {name.rstrip('.;')}{end}", left_mm=colon_at,
                            after_pt=layout.KINH_GUI_SPACE_AFTER_PT if end == "." else 0))
    return "".join(out)


def telegram_xml(sender: str, recipients: list[str]) -> str:
    """Mẫu 1.6: '<SENDER> điện:' (the sender in bold capitals), then the recipients, one per line
    at the right, ';' after each and '.' after the last."""
    style = E["kinh_gui"].style_id
    out = [x.paragraph(x.run(sender.upper(), x.rpr(bold=True)) + x.run(" điện:"),
                       x.ppr(style=style, before_pt=layout.KINH_GUI_SPACE_BEFORE_PT, first_line_mm=
                             layout.FIRST_LINE_INDENT_MM))]
    for i, name in enumerate(recipients):
        end = "." if i == len(recipients) - 1 else ";"
        out.append(x.styled(style, f"- {name.rstrip('.;')}{end}", left_mm=layout.KINH_GUI_INDENT_MM,
                            after_pt=layout.KINH_GUI_SPACE_AFTER_PT if end == "." else 0))
    return "".join(out)


# Between a group of Nơi nhận lines and the note that covers them ('\t} (để b/c)').
GROUP_NOTE = "\t} "


def noi_nhan_lines(items: list, *, nhu_tren: bool, luu_units: list[str], so_ban_luu: int | None,
                   luu_note: str | None = None) -> list[str]:
    """Ô 9b: '- X;' per recipient, then '- Lưu: VT, UNIT(nn).' last, with the agency's own note
    after it where it writes one ('- Lưu: VT, KGVX. Cương (3b)'). A group of recipients that one
    note covers puts it once, after a tab, on the group's middle line."""
    lines: list[str] = []
    for item in items:
        if isinstance(item, str):
            entry = item.strip().lstrip("-").strip().rstrip(".;")
            if entry:
                lines.append(f"- {entry};")
            continue
        members = [m.strip().lstrip("-").strip().rstrip(".;") for m in item.nhom if m.strip()]
        middle = (len(members) - 1) // 2
        lines += [f"- {m};" + (f"{GROUP_NOTE}{item.ghi_chu.strip()}" if i == middle else "")
                  for i, m in enumerate(members)]
    if nhu_tren and not any(line[2:].lower().startswith("như trên") for line in lines):
        lines.insert(0, f"- {texts.NHU_TREN};")
    keep = ", ".join([texts.LUU_VAN_THU, *luu_units])
    if so_ban_luu:
        keep += f"({so_ban_luu:02d})"
    return lines + [f"- Lưu: {keep}." + (f" {luu_note.strip()}" if luu_note else "")]


def _noi_nhan_cell(lines: list[str], drafter: str | None) -> str:
    out = [x.styled(E["noi_nhan_label"].style_id, texts.NOI_NHAN_LABEL)]
    style = E["noi_nhan_list"].style_id
    for line in lines:
        if GROUP_NOTE in line:  # the note of a group, at the column's right edge
            text, note = line.split(GROUP_NOTE, 1)
            out.append(x.paragraph(x.run(text) + x.tab() + x.run("} " + note),
                                   x.ppr(style=style, right_tab_mm=layout.SIGNATURE_LEFT_COLUMN_MM - 2)))
        else:
            out.append(x.styled(style, line))
    if drafter:
        out.append(x.styled(E["noi_nhan_list"].style_id, drafter))
    return "".join(out)


def signer_cell(lines: SignatureLines) -> str:
    """Ô 7a/7b/7c: authority and title in bold caps, room for signature and seal, the name."""
    style = E["quyen_han"].style_id
    out = []
    for line in lines.authority_lines:  # each level on a line of its own, bold capitals
        out.append(x.styled(style, line))
    if lines.title_line:
        out.append(x.styled(style, lines.title_line))
    out += [x.paragraph("", x.ppr(style=style))] * layout.SIGNATURE_GAP_LINES
    out.append(x.styled(E["ho_ten"].style_id, lines.name))
    return "".join(out)


def signature_xml(signers: list[SignatureLines], noi_nhan: list[str], drafter: str | None,
                  with_noi_nhan: bool = True) -> str:
    """The block at the end: Nơi nhận at the left, level with the authority line; signer at
    the right. Two signers (a joint document, a Biên bản's chair and secretary) sign side by
    side, Nơi nhận below them (a Biên bản has none)."""
    return _signature_xml(tuple(signers), tuple(noi_nhan), drafter, with_noi_nhan)


@lru_cache(maxsize=64)  # a batch from one agency repeats its signers and distribution lists
def _signature_xml(signers: tuple[SignatureLines, ...], noi_nhan: tuple[str, ...], drafter: str | None,
                   with_noi_nhan: bool = True) -> str:
    left, right = layout.SIGNATURE_LEFT_COLUMN_MM, layout.SIGNATURE_RIGHT_COLUMN_MM
    spacer = x.paragraph("", x.ppr(after_pt=0, line_exact_pt=12, keep_next=True))
    nn = _noi_nhan_cell(list(noi_nhan), drafter)
    if len(signers) == 1:
        rows = x.row(x.cell(nn, left) + x.cell(signer_cell(signers[0]), right), cant_split=True)
        return spacer + x.table(rows, [left, right])
    half = layout.TEXT_WIDTH_MM / 2
    rows = x.row(x.cell(signer_cell(signers[1]), half) + x.cell(signer_cell(signers[0]), half), cant_split=True)
    if with_noi_nhan:
        rows += x.row(x.cell(nn, half) + x.cell("", half))
    return spacer + x.table(rows, [half, half])


@dataclass(frozen=True)
class AppendixView:
    """One appendix, ready to print."""

    number: str  # 'I', 'II', …
    title: str
    kem_theo: str
    body: str
    table: list[list[str]] | None
    widths: list[float] | None
    group_column: int | None
    landscape: bool


def _appendix_section(landscape: bool, footer_rid: str) -> str:
    refs = f'<w:footerReference w:type="first" r:id="{footer_rid}"/>'
    return x.section_properties(landscape=landscape, references=refs, restart_numbering=True)


@dataclass(frozen=True)
class AttachedView:
    """A text issued with the decision, ready to print: its own heading block, no number or date."""

    parents: str  # the agency's parent, in capitals ('' when none)
    agency: str  # in capitals
    title: str  # 'QUY CHẾ'
    summary: str
    kem_theo: str  # '(Ban hành kèm theo Quyết định số 09/QĐ-SCT ngày … của …)'
    body: str


def attached_xml(view: AttachedView) -> str:
    """Mẫu "văn bản được ban hành kèm theo quyết định": the agency and the Quốc hiệu at the top,
    then the title, summary, "(Ban hành kèm theo …)" and a rule, then its text."""
    left_w, right_w = layout.HEADER_LEFT_COLUMN_MM, layout.HEADER_RIGHT_COLUMN_MM
    agency = (x.styled(E["co_quan_chu_quan"].style_id, view.parents) if view.parents else "") \
        + x.styled(E["co_quan_ban_hanh"].style_id, view.agency) \
        + short_rule(view.agency.split("\n"), "co_quan_ban_hanh", left_w)
    national = (x.styled(E["quoc_hieu"].style_id, texts.QUOC_HIEU) + x.styled(E["tieu_ngu"].style_id, texts.TIEU_NGU)
                + x.rule_paragraph(right_w, text_width_mm(texts.TIEU_NGU, E["tieu_ngu"].size, E["tieu_ngu"].bold)))
    heading = x.table(x.row(x.cell(agency, left_w) + x.cell(national, right_w)), [left_w, right_w])
    return (heading + x.styled(E["ten_loai"].style_id, view.title) + x.styled(E["trich_yeu"].style_id, view.summary)
            + x.styled(E["phu_luc_kem_theo"].style_id, view.kem_theo)
            + short_rule([view.kem_theo], "phu_luc_kem_theo", layout.TEXT_WIDTH_MM,
                         after_pt=layout.TITLE_RULE_SPACE_AFTER_PT)
            + body_xml(view.body))


def appendices_xml(appendices: list[AppendixView], main_sectpr: str, footer_rid: str,
                   attached: AttachedView | None = None) -> tuple[str, str]:
    """Each appendix on pages of its own with its own numbering: (body XML, final sectPr).

    OOXML closes a section with the sectPr of its last paragraph, and the body's own sectPr
    closes the last one; so the main text's sectPr moves into a paragraph before the first
    appendix, and the last appendix's section becomes the body's.
    """
    if not appendices and attached is None:
        # Word expects a paragraph, not a table, before the body's section properties
        return x.paragraph("", x.ppr(after_pt=0, line_exact_pt=2, mark_rpr=x.rpr(size=2))), main_sectpr
    out = [x.paragraph("", x.ppr(after_pt=0, line_exact_pt=2, mark_rpr=x.rpr(size=2), sect=main_sectpr))]
    final = ""
    if attached is not None:  # the text issued with the decision: pages of its own, numbered from 1
        out.append(attached_xml(attached))
        sect = _appendix_section(False, footer_rid)
        if appendices:
            out.append(x.paragraph("", x.ppr(after_pt=0, line_exact_pt=2, mark_rpr=x.rpr(size=2), sect=sect)))
        else:
            out.append(x.paragraph(""))
            final = sect
    for i, ap in enumerate(appendices):
        width = (layout.PAGE_HEIGHT_MM if ap.landscape else layout.PAGE_WIDTH_MM) \
            - layout.MARGINS_MM["left"] - layout.MARGINS_MM["right"]
        out.append(x.styled(E["phu_luc_so"].style_id, f"Phụ lục {ap.number}"))
        out.append(x.styled(E["phu_luc_tieu_de"].style_id, ap.title.upper()))
        out.append(x.styled(E["phu_luc_kem_theo"].style_id, ap.kem_theo))
        out.append(short_rule([ap.kem_theo], "phu_luc_kem_theo", width))
        out.append(x.paragraph("", x.ppr(after_pt=0, line_exact_pt=6)))
        if ap.body:
            out.append(body_xml(ap.body, closing=False, width_mm=width))
        if ap.table:
            out.append(simple_table(ap.table, width, ap.widths, ap.group_column))
        sect = _appendix_section(ap.landscape, footer_rid)
        if i < len(appendices) - 1:
            out.append(x.paragraph("", x.ppr(after_pt=0, line_exact_pt=2, mark_rpr=x.rpr(size=2), sect=sect)))
        else:
            out.append(x.paragraph(""))
            final = sect
    return "".join(out), final
