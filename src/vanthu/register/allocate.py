"""Numbers for a batch: allocated (so: auto) or registered as typed, in one transaction.

An allocation belongs to the record's identity (its `ma`, or its file and position): a rerun
gets the same number, an edited record keeps its number. A number that cannot stay with its
record (the record moved to another year, sequence or agency, or now types its own number) is
voided with the reason, never reused, and the record gets a fresh one.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy import Connection, and_, func, select, update

from ..i18n import _
from ..model import VanBan
from ..nd30.dates import VIETNAM
from ..nd30.numbering import so_ky_hieu
from ..nd30.register import SEQUENCE_ADVISORY, SEQUENCE_COPY, SEQUENCE_SECRET, SEQUENCE_SHARED, is_advisory_body
from . import schema
from .store import Register


def agency_key(ten: str, chu_quan: str | None) -> str:
    """One agency whatever its case or spacing: 'ubnd tỉnh hà giang / sở công thương'."""
    def norm(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())
    return f"{norm(chu_quan)} / {norm(ten)}" if chu_quan else norm(ten)


@dataclass(frozen=True)
class Request:
    """What one record asks of the register."""

    key: str  # the record's identity: 'ma:…' or 'file:/abs/path#3'
    source: str  # where the record is, for messages
    agency: str
    agency_ten: str
    agency_chu_quan: str | None
    agency_viet_tat: str
    loai: str
    ten_loai: str
    ky_hieu: str
    so: int | None  # typed by hand; None: allocate
    ngay: dt.date | None
    number_year: bool  # a legal-normative document prints the year in its number
    secret: bool
    advisory: bool
    trich_yeu: str = ""
    nguoi_ky: str = ""
    noi_nhan: str = ""
    luu: str = ""
    so_ban: int | None = None
    copy: bool = False  # a copy (SY, TrS, SL): the copies' own sequence

    @classmethod
    def of(cls, doc: VanBan, key: str, source: str, auto: bool) -> Request:
        lead = doc.co_quan[0]  # a joint document is numbered by the agency that leads it
        return cls(
            key=key, source=source, agency=agency_key(lead.ten, lead.chu_quan), agency_ten=lead.ten,
            agency_chu_quan=lead.chu_quan, agency_viet_tat=lead.viet_tat, loai=doc.loai.key,
            ten_loai=doc.loai.name, ky_hieu=doc.ky_hieu, so=None if auto else doc.so, ngay=doc.ngay,
            number_year=doc.quy_pham_phap_luat, secret=bool(doc.do_mat), advisory=is_advisory_body(lead.ten),
            trich_yeu=doc.trich_yeu, nguoi_ky="; ".join(s.ho_ten for s in doc.nguoi_ky),
            noi_nhan="; ".join(n if isinstance(n, str) else ", ".join(n.nhom) for n in doc.noi_nhan),
            luu=", ".join(doc.luu), so_ban=doc.so_ban_phat_hanh)


@dataclass(frozen=True)
class Allocation:
    """A record's number in the register."""

    key: str
    so: int
    ngay: dt.date
    so_ky_hieu: str
    sequence: str
    fresh: bool  # allocated by this call
    voided: str = ""  # the number it held before, voided by this call ('05/TB-SCT')


@dataclass(frozen=True)
class Refusal:
    """A record the register refused (its hand-typed number is another document's)."""

    key: str
    source: str
    message: str


def printed(so: int, ky_hieu: str, year: int | None) -> str:
    return so_ky_hieu(so, ky_hieu, year)


def allocate(register: Register, requests: list[Request], today: dt.date | None = None
             ) -> list[Allocation | Refusal]:
    """Every request's number, in order, in one transaction: all of them or none."""
    today = today or dt.datetime.now(VIETNAM).date()
    seen: dict[str, str] = {}
    for r in requests:  # one identity, one number: two records with one mã would share it
        if r.key in seen:
            raise ValueError(f"{r.key} asked twice ({seen[r.key]}, {r.source})")
        seen[r.key] = r.source
    if not requests:
        return []
    return register.write(lambda conn: _allocate(conn, requests, today))


def _allocate(conn: Connection, requests: list[Request], today: dt.date) -> list[Allocation | Refusal]:
    now = dt.datetime.now(VIETNAM)
    for agency in sorted({(r.agency, r.agency_ten, r.agency_chu_quan, r.agency_viet_tat) for r in requests}):
        ensure_agency(conn, *agency)
    groups = _groups(conn, {r.agency for r in requests})
    dated = _live_dates(conn, [r.key for r in requests if r.ngay is None])
    # an undated record keeps the date (so the year) of the number it holds: a rerun on
    # 2 January of a batch numbered on 31 December is still last year's documents
    keyed = [(r, _sequence(r, groups), (r.ngay or dated.get(r.key) or today).year) for r in requests]
    # lock every counter the batch touches, in one order, before reading any of them
    counters = {(r.agency, year, seq) for r, seq, year in keyed}
    last = {c: lock_counter(conn, *c) for c in sorted(counters)}
    out: list[Allocation | Refusal] = []
    for r, seq, year in keyed:
        out.append(_one(conn, r, seq, year, today, now, last))
    for (agency, year, seq), value in last.items():
        conn.execute(update(schema.counters).where(and_(
            schema.counters.c.agency == agency, schema.counters.c.year == year,
            schema.counters.c.sequence == seq)).values(last=value))
    return out


def _one(conn: Connection, r: Request, seq: str, year: int, today: dt.date, now: dt.datetime,
         last: dict[tuple[str, int, str], int]) -> Allocation | Refusal:
    e = schema.entries.c
    live = conn.execute(select(schema.entries).where(e.record_key == r.key, e.status != "void")).mappings().first()
    ngay = r.ngay or (live["ngay"] if live and live["ngay"] else today)
    fields = {"ngay": ngay, "loai": r.loai, "ten_loai": r.ten_loai, "trich_yeu": r.trich_yeu,
              "nguoi_ky": r.nguoi_ky, "noi_nhan": r.noi_nhan, "luu": r.luu, "so_ban": r.so_ban,
              "source": r.source, "updated": now}
    number_year = year if r.number_year else None
    if live and live["agency"] == r.agency and live["year"] == year and (
            (r.so is None and live["auto"] and live["sequence"] == seq) or (r.so is not None and live["so"] == r.so)):
        # the record keeps its number; its ký hiệu or summary may have changed
        symbol_free = live["ky_hieu"] == r.ky_hieu or _holder(conn, r.agency, year, live["so"], r.ky_hieu) is None
        if symbol_free:
            text = printed(live["so"], r.ky_hieu, number_year)
            conn.execute(update(schema.entries).where(e.id == live["id"]).values(
                ky_hieu=r.ky_hieu, so_ky_hieu=text, sequence=seq, **fields))
            return Allocation(r.key, live["so"], ngay, text, seq, fresh=False)
    if r.so is not None:
        holder = _holder(conn, r.agency, year, r.so, r.ky_hieu)
        if holder is not None and holder["record_key"] != r.key:
            state = _("voided") if holder["status"] == "void" else _("held by")
            return Refusal(r.key, r.source, _(
                "số {number} ({year}) is already in the register, {state} {holder}: a number is given "
                "once in a year (Điều 15)").format(number=printed(r.so, r.ky_hieu, number_year), year=year,
                                                   state=state, holder=_describe(holder)))
        number = r.so
    else:
        key = (r.agency, year, seq)
        number = last[key] + 1
        while _taken(conn, r.agency, year, seq, number, r.ky_hieu):
            number += 1  # a hand-typed or imported number already stands there
        last[key] = number
    voided = ""
    if live:
        voided = live["so_ky_hieu"]
        conn.execute(update(schema.entries).where(e.id == live["id"]).values(
            status="void", updated=now, note=_("replaced by {number} for the same record").format(
                number=printed(number, r.ky_hieu, number_year))))
    text = printed(number, r.ky_hieu, number_year)
    conn.execute(schema.entries.insert().values(
        agency=r.agency, year=year, sequence=seq, so=number, ky_hieu=r.ky_hieu, so_ky_hieu=text,
        record_key=r.key, auto=r.so is None, status="allocated", note="", created=now, **fields))
    return Allocation(r.key, number, ngay, text, seq, fresh=True, voided=voided)


def _live_dates(conn: Connection, keys: list[str]) -> dict[str, dt.date]:
    e = schema.entries.c
    found: dict[str, dt.date] = {}
    for start in range(0, len(keys), 500):
        rows = conn.execute(select(e.record_key, e.ngay).where(
            e.record_key.in_(keys[start:start + 500]), e.status != "void", e.ngay.is_not(None)))
        found.update({key: ngay for key, ngay in rows})
    return found


def _describe(holder) -> str:
    where = holder["source"] or holder["record_key"] or _("an imported register row")
    summary = f" — {holder['ten_loai']} {holder['trich_yeu']}".rstrip() if holder["trich_yeu"] else ""
    return f"{where}{summary}"


def _holder(conn: Connection, agency: str, year: int, so: int, symbol: str):
    e = schema.entries.c
    return conn.execute(select(schema.entries).where(
        e.agency == agency, e.year == year, e.so == so, e.ky_hieu == symbol)).mappings().first()


def _taken(conn: Connection, agency: str, year: int, seq: str, so: int, symbol: str) -> bool:
    """A number stands in a sequence once, whatever its ký hiệu; and (số, ký hiệu) once a year."""
    e = schema.entries.c
    return conn.execute(select(func.count()).select_from(schema.entries).where(
        e.agency == agency, e.year == year, e.so == so,
        (e.sequence == seq) | (e.ky_hieu == symbol))).scalar_one() > 0


def ensure_agency(conn: Connection, key: str, ten: str, chu_quan: str | None, viet_tat: str) -> None:
    a = schema.agencies.c
    if conn.execute(select(a.key).where(a.key == key)).first() is None:
        conn.execute(_insert_ignore(conn, schema.agencies, {"key": key, "ten": ten, "chu_quan": chu_quan,
                                                            "viet_tat": viet_tat}))


def lock_counter(conn: Connection, agency: str, year: int, seq: str) -> int:
    c = schema.counters.c
    conn.execute(_insert_ignore(conn, schema.counters, {"agency": agency, "year": year, "sequence": seq, "last": 0}))
    query = select(c.last).where(c.agency == agency, c.year == year, c.sequence == seq)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).scalar_one()


def _insert_ignore(conn: Connection, table, values: dict):
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).values(**values).on_conflict_do_nothing()


def _groups(conn: Connection, agencies: set[str]) -> dict[tuple[str, str], str]:
    g = schema.sequence_groups.c
    rows = conn.execute(select(g.agency, g.doc_type, g.sequence).where(g.agency.in_(sorted(agencies))))
    return {(agency, doc_type): seq for agency, doc_type, seq in rows}


def _sequence(r: Request, groups: dict[tuple[str, str], str]) -> str:
    """Copies, secret documents and advisory bodies keep their own; then the agency's type groups."""
    if r.copy:
        return SEQUENCE_COPY
    if r.secret:
        return SEQUENCE_SECRET
    if r.advisory:
        return SEQUENCE_ADVISORY
    return groups.get((r.agency, r.loai), SEQUENCE_SHARED)


def mark_written(register: Register, keys: list[str]) -> None:
    """The documents of these records are written: their numbers are in use."""
    if not keys:
        return
    e = schema.entries.c
    now = dt.datetime.now(VIETNAM)

    def work(conn: Connection) -> None:
        for start in range(0, len(keys), 500):
            conn.execute(update(schema.entries).where(
                e.record_key.in_(keys[start:start + 500]), e.status == "allocated").values(status="written",
                                                                                            updated=now))
    register.write(work)
