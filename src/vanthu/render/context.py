"""From a VanBan to the variables a template sees (documented in docs/records.md).

Plain values serve any template, the user's own included; the *_xml values are ready-made
WordprocessingML for the built-in templates, marked safe so autoescape leaves them alone.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..model import Bang, VanBan
from ..nd30 import layout
from ..nd30.authority import signature_lines
from ..nd30.dates import date_line, date_phrase, time_phrase
from ..nd30.doc_types import HEADING_CONG_VAN, HEADING_TEN_LOAI, KINH_GUI_BLOCK, KINH_GUI_TELEGRAM
from ..nd30.numbering import format_number, roman, so_line
from ..ooxml import write as x
from . import fragments
from .body import body_xml
from .markup import Block, Segment, parse

E = layout.ELEMENTS


def _with_punctuation(lines: list[str], last: str) -> list[str]:
    """Căn cứ lines end with ';', the last with `last`."""
    out = [line.rstrip(" ;.,") + ";" for line in lines]
    if out:
        out[-1] = out[-1][:-1] + last
    return out


def _grouped(table: Bang) -> tuple[list[list[str]], int | None]:
    """Rows with the same group key brought together (first-seen order), for vertical merging."""
    rows = [list(map(str, row)) for row in table.dong]
    if not table.nhom_theo:
        return [list(table.cot)] + rows, None
    column = table.cot.index(table.nhom_theo)
    order: dict[str, list[list[str]]] = {}
    for row in rows:
        order.setdefault(row[column], []).append(row)
    return [list(table.cot)] + [row for group in order.values() for row in group], column


def _event_blocks(doc: VanBan) -> list[Block]:
    """The event's lines in Mẫu 1.7's order: Chủ trì, Thời gian, Địa điểm, Thành phần, then the notes."""
    ev = doc.su_kien
    if ev is None:
        return []
    when = ev.thoi_gian or time_phrase(ev.bat_dau)
    if ev.ket_thuc and not ev.thoi_gian:
        same_day = ev.ket_thuc.date() == ev.bat_dau.date()
        until = f"{ev.ket_thuc.hour:02d} giờ {ev.ket_thuc.minute:02d} phút" if same_day else time_phrase(ev.ket_thuc)
        when = f"{when} đến {until}"
    lines = []
    if ev.chu_tri:
        lines.append(("Chủ trì: ", ev.chu_tri))
    lines.append(("Thời gian: ", when))
    lines.append(("Địa điểm: ", ev.dia_diem))
    if ev.thanh_phan:
        lines.append(("Thành phần: ", "; ".join(ev.thanh_phan)))
    ended = [(label, fragments.with_ending(value, ".", own=(".", "!", "?"))) for label, value in lines]
    blocks = [Block("doan", "", [Segment(label, bold=True), Segment(value)]) for label, value in ended]
    if ev.ghi_chu:
        blocks.append(Block("doan", "", [Segment(ev.ghi_chu)]))
    return blocks


def _invitation(doc: VanBan) -> list[Block]:
    """Mẫu 1.7: the lead-in, '… trân trọng kính mời:' and the invitees (one per line when
    several), 'Tới dự …', then the event's lines."""
    ev = doc.su_kien
    assert ev is not None
    out = [Block("doan", "", [Segment(ev.loi_dan)])] if ev.loi_dan else []
    invitation = f"{doc.co_quan[0].name_in_text} trân trọng kính mời"
    if len(doc.kinh_gui) > 1:
        out.append(Block("doan", "", [Segment(invitation + ":")]))
        for i, invitee in enumerate(doc.kinh_gui):
            end = "." if i == len(doc.kinh_gui) - 1 else ";"
            out.append(Block("gach", "-", [Segment(invitee.rstrip(" .;"), bold=True), Segment(end)]))
    else:
        out.append(Block("doan", "", [Segment(invitation + ": "), Segment("; ".join(doc.kinh_gui), bold=True)]))
    out.append(Block("doan", "", [Segment("Tới dự "), Segment(ev.ten, bold=True), Segment(".")]))
    return out + _event_blocks(doc)


def _person(ho_ten: str, chuc_vu: str, don_vi: str) -> list[Block]:
    lines = [Block("doan", "", [Segment("Ông (bà): "), Segment(ho_ten, bold=True)])]
    title = ", ".join(p for p in (chuc_vu, don_vi) if p)
    if title:
        lines.append(Block("doan", "", [Segment(f"Chức vụ: {title}")]))
    return lines


def _introduction(doc: VanBan) -> list[Block]:
    """Mẫu 1.8: '… trân trọng giới thiệu:', the person, Được cử đến, Về việc, the request, the validity."""
    g = doc.gioi_thieu
    assert g is not None
    until = (f"Giấy này có giá trị đến hết ngày {g.hieu_luc_den.strftime('%d/%m/%Y')}"
             if g.hieu_luc_den else "")
    out = [Block("doan", "", [Segment(f"{doc.co_quan[0].name_in_text} trân trọng giới thiệu:")]),
           *_person(g.ho_ten, g.chuc_vu, g.don_vi),
           Block("doan", "", [Segment(f"Được cử đến: {g.noi_den.rstrip(' .')}")]),
           Block("doan", "", [Segment(f"Về việc: {fragments.with_ending(g.ve_viec, '.', own=('.',))}")]),
           Block("doan", "", [Segment("Đề nghị Quý cơ quan tạo điều kiện để ông (bà) có tên ở trên hoàn thành "
                                      "nhiệm vụ.")])]
    if until:
        out.append(Block("doan", "", [Segment(until)]))
    return out


def _leave(doc: VanBan) -> list[Block]:
    """Mẫu 1.10: the request, '… cấp cho:', the person, the leave's dates and place, what it counts as."""
    n = doc.nghi_phep
    assert n is not None
    days = (n.den_ngay - n.tu_ngay).days + 1
    fmt = "%d/%m/%Y"
    request = f" ngày {n.ngay_don.strftime(fmt)}" if n.ngay_don else ""
    return [Block("doan", "", [Segment(f"Xét Đơn đề nghị nghỉ phép{request} của ông (bà) {n.ho_ten},")]),
            Block("doan", "", [Segment(f"{doc.co_quan[0].name_in_text} cấp cho:")]),
            *_person(n.ho_ten, n.chuc_vu, n.don_vi),
            Block("doan", "", [Segment(f"Được nghỉ phép trong thời gian {days:02d} ngày, kể từ ngày "
                                       f"{n.tu_ngay.strftime(fmt)} đến hết ngày {n.den_ngay.strftime(fmt)} tại "
                                       f"{n.noi_nghi.rstrip(' .')}.")]),
            Block("doan", "", [Segment(f"Số ngày nghỉ phép nêu trên được tính vào thời gian "
                                       f"{n.tinh_vao.rstrip(' .')}.")])]


def _minutes(doc: VanBan) -> tuple[list[Block], list[Block]]:
    """Mẫu 1.9: the meeting's lines before the proceedings, and the closing line after them."""
    b = doc.bien_ban
    assert b is not None
    before = [Block("doan", "", [Segment("Thời gian bắt đầu: "), Segment(time_phrase(b.bat_dau))]),
              Block("doan", "", [Segment("Địa điểm: "), Segment(b.dia_diem.rstrip(" ."))])]
    if b.thanh_phan:
        before.append(Block("doan", "", [Segment("Thành phần tham dự: "), Segment("; ".join(b.thanh_phan))]))
    before += [Block("doan", "", [Segment("Chủ trì (chủ tọa): "), Segment(b.chu_tri)]),
               Block("doan", "", [Segment("Thư ký (người ghi biên bản): "), Segment(b.thu_ky)]),
               Block("doan", "", [Segment("Nội dung (theo diễn biến cuộc họp):", bold=True)])]
    end = b.ket_thuc
    after = [Block("doan", "", [Segment(f"Cuộc họp kết thúc vào {end.hour:02d} giờ {end.minute:02d}, "
                                        f"{date_phrase(end.date())}.")])]
    return before, after


def event_view(doc: VanBan) -> dict[str, Any] | None:
    ev = doc.su_kien
    if ev is None:
        return None
    return {"ten": ev.ten, "bat_dau": ev.bat_dau.strftime("%d/%m/%Y %H:%M"),
            "thoi_gian": ev.thoi_gian or time_phrase(ev.bat_dau),
            "ket_thuc": ev.ket_thuc.strftime("%d/%m/%Y %H:%M") if ev.ket_thuc else "",
            "dia_diem": ev.dia_diem, "chu_tri": ev.chu_tri or "", "thanh_phan": list(ev.thanh_phan),
            "ghi_chu": ev.ghi_chu, "loi_dan": ev.loi_dan or ""}


def _contacts(doc: VanBan) -> str:
    c = doc.lien_he
    if c is None:
        return ""
    parts = [("Địa chỉ: ", c.dia_chi), ("ĐT: ", c.dien_thoai), ("Fax: ", c.fax), ("E-mail: ", c.email),
             ("Website: ", c.website)]
    return "; ".join(f"{label}{value}" for label, value in parts if value)


def build_context(doc: VanBan, *, main_sectpr: str = "", appendix_footer_rid: str = "rIdFooterDefault") -> dict:
    t = doc.loai
    symbol = doc.ky_hieu
    agency_names = [a.ten.upper() for a in doc.co_quan]
    parents = [a.chu_quan.upper() for a in doc.co_quan if a.chu_quan]
    signers = [signature_lines(s.quyen_han, s.thay_mat, s.chuc_vu, s.ho_ten) for s in doc.nguoi_ky]
    has_kinh_gui = bool(doc.kinh_gui) and t.kinh_gui == KINH_GUI_BLOCK
    noi_nhan = fragments.noi_nhan_lines(doc.noi_nhan, nhu_tren=has_kinh_gui or t.nhu_tren, luu_units=doc.luu,
                                        so_ban_luu=doc.so_ban_luu, luu_note=doc.luu_ghi_chu)
    drafter = f"{doc.nguoi_soan}.({doc.so_ban_phat_hanh})" if doc.nguoi_soan and doc.so_ban_phat_hanh \
        else doc.nguoi_soan
    year = doc.number_year
    issued = doc.so_ky_hieu
    place_date = date_line(doc.dia_danh, doc.ngay, doc.nam)

    # A giấy mời states its event in the decree's lines (Mẫu 1.7); other types write it in the body.
    before: list[Block] = []
    if t.event and doc.su_kien:
        before = _invitation(doc)
    elif doc.gioi_thieu is not None:
        before = _introduction(doc)
    elif doc.nghi_phep is not None:
        before = _leave(doc)
    after: list[Block] = []
    if doc.bien_ban is not None:
        before, after = _minutes(doc)

    appendices = []
    for i, ap in enumerate(doc.phu_luc):
        kem_theo = ap.kem_theo or (f"(Kèm theo {t.name} số {issued} {date_phrase(doc.ngay, doc.nam)} "
                                   f"của {doc.co_quan[0].name_in_text})")
        rows, group = _grouped(ap.bang) if ap.bang else (None, None)
        appendices.append(fragments.AppendixView(roman(i + 1), ap.tieu_de, kem_theo, ap.noi_dung, rows,
                                                 ap.bang.do_rong if ap.bang else None, group, ap.ngang))
    attached = None
    if doc.van_ban_kem_theo is not None:
        a = doc.van_ban_kem_theo
        kem_theo = a.kem_theo or (f"(Ban hành kèm theo {t.name} số {issued} {date_phrase(doc.ngay, doc.nam)} "
                                  f"của {doc.co_quan[0].name_in_text})")
        attached = fragments.AttachedView("\n".join(parents), "\n".join(agency_names), a.loai.title, a.trich_yeu,
                                          kem_theo, a.noi_dung)
    phu_luc_xml, final_sectpr = fragments.appendices_xml(appendices, main_sectpr, appendix_footer_rid, attached)

    blocks = parse(doc.noi_dung) + after
    can_cu = _with_punctuation(doc.can_cu, ";" if doc.theo_de_nghi else ".")
    if doc.theo_de_nghi:
        can_cu.append(fragments.with_ending(doc.theo_de_nghi, ".", own=(".", ";")))
    title_lines = [doc.trich_yeu] if doc.trich_yeu and t.heading == HEADING_TEN_LOAI else [t.title]

    return {
        # plain values, for any template
        "loai": t.key,
        "ten_loai": t.title,
        "ten_loai_thuong": t.name,
        "so": format_number(doc.so).strip(),
        "ky_hieu": symbol,
        "so_ky_hieu": issued,
        "so_line": so_line(doc.so, symbol, year),
        "co_quan_chu_quan": "\n".join(parents),
        "co_quan_ban_hanh": "\n".join(agency_names),
        "co_quan_viet_tat": doc.co_quan[0].viet_tat,
        "co_quan_ten_goi": doc.co_quan[0].name_in_text,
        "dia_danh": doc.dia_danh,
        "ngay": doc.ngay.strftime("%d/%m/%Y") if doc.ngay else "",
        "dia_danh_ngay": place_date,
        "trich_yeu": doc.trich_yeu,
        "trich_yeu_cong_van": f"V/v {doc.trich_yeu}" if t.heading == HEADING_CONG_VAN else "",
        "tieu_de_tai_lieu": f"{t.name} {issued}: {doc.trich_yeu}".strip(),
        "kinh_gui": list(doc.kinh_gui),
        "tham_quyen": (doc.tham_quyen or "").upper(),
        "can_cu": can_cu,
        "noi_dung": [b.plain for b in blocks],
        "nguoi_ky": [{"quyen_han": s.authority_line or "", "chuc_vu": s.title_line or "", "ho_ten": s.name}
                     for s in signers],
        "noi_nhan": noi_nhan,
        "lien_he": _contacts(doc),
        "su_kien": event_view(doc),
        "phu_luc": [{"so": a.number, "tieu_de": a.title, "kem_theo": a.kem_theo} for a in appendices],
        "do_khan": doc.do_khan or "",
        "do_mat": doc.do_mat or "",
        "luu_hanh": doc.luu_hanh or "",
        "du_lieu": dict(doc.du_lieu),
        # ready-made XML, for the built-in templates
        "rule_co_quan": Markup(fragments.short_rule(
            [line for name in agency_names for line in name.split("\n")], "co_quan_ban_hanh",
            layout.HEADER_LEFT_COLUMN_MM)),
        "dau_xml": Markup(fragments.marks_xml(doc.do_mat, doc.do_khan, doc.luu_hanh)),
        "dia_danh_ngay_xml": Markup(fragments.date_line_xml(place_date, doc.dia_danh) if t.date_line else
                                    x.paragraph("")),
        "rule_trich_yeu": Markup("" if t.heading == HEADING_CONG_VAN else fragments.short_rule(
            title_lines, "trich_yeu" if doc.trich_yeu else "ten_loai", layout.TEXT_WIDTH_MM,
            after_pt=layout.TITLE_RULE_SPACE_AFTER_PT)),
        "kinh_gui_xml": Markup(fragments.kinh_gui_xml(doc.kinh_gui) if has_kinh_gui else
                               fragments.telegram_xml(doc.tham_quyen or "", list(doc.kinh_gui))
                               if t.kinh_gui == KINH_GUI_TELEGRAM else ""),
        "noi_dung_xml": Markup(body_xml(blocks, extra_before=before)),
        "chu_ky_xml": Markup(fragments.signature_xml(signers, noi_nhan, drafter, with_noi_nhan=t.noi_nhan)),
        "phu_luc_xml": Markup(phu_luc_xml),
        "final_sectpr": Markup(final_sectpr),
    }
