"""Reading the register and the văn thư's changes to it: list, show, void, sequences."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, delete, select, update

from ..errors import ConfigurationError
from ..i18n import _
from ..nd30.dates import VIETNAM
from ..nd30.doc_types import DOC_TYPES, find_doc_type
from ..nd30.numbering import parse_so_ky_hieu
from ..nd30.register import SEQUENCE_ADVISORY, SEQUENCE_COPY, SEQUENCE_SECRET
from . import schema
from .store import Register


@dataclass(frozen=True)
class Entry:
    """One line of the register."""

    id: int
    agency: str
    agency_ten: str
    year: int
    sequence: str
    so: int
    ky_hieu: str
    so_ky_hieu: str
    ngay: dt.date | None
    loai: str
    ten_loai: str
    trich_yeu: str
    nguoi_ky: str
    noi_nhan: str
    luu: str
    so_ban: int | None
    record_key: str | None
    source: str
    auto: bool
    status: str
    note: str

    @classmethod
    def of(cls, row, agency_ten: str) -> Entry:
        return cls(row["id"], row["agency"], agency_ten, row["year"], row["sequence"], row["so"], row["ky_hieu"],
                   row["so_ky_hieu"], row["ngay"], row["loai"], row["ten_loai"], row["trich_yeu"], row["nguoi_ky"],
                   row["noi_nhan"], row["luu"], row["so_ban"], row["record_key"], row["source"], bool(row["auto"]),
                   row["status"], row["note"])


@dataclass(frozen=True)
class Agency:
    key: str
    ten: str
    chu_quan: str | None
    viet_tat: str


def agencies(register: Register) -> list[Agency]:
    with register.read() as conn:
        rows = conn.execute(select(schema.agencies).order_by(schema.agencies.c.key)).mappings()
        return [Agency(r["key"], r["ten"], r["chu_quan"], r["viet_tat"]) for r in rows]


def find_agency(register: Register, name: str | None) -> Agency:
    """The agency a command is about: by abbreviation, name or key; the only one when not said."""
    known = agencies(register)
    if name is None:
        if len(known) == 1:
            return known[0]
        if not known:
            raise ConfigurationError(_("the register {url} holds no agency yet").format(url=register.display))
        raise ConfigurationError(_("the register holds several agencies; say which with --agency: {names}").format(
            names=", ".join(a.viet_tat for a in known)))
    folded = " ".join(name.casefold().split())
    found = [a for a in known if folded in (a.key, a.viet_tat.casefold(), " ".join(a.ten.casefold().split()))]
    if len(found) == 1:
        return found[0]
    raise ConfigurationError(_("no agency '{name}' in the register; it holds: {names}").format(
        name=name, names=", ".join(a.viet_tat for a in known) or "-"))


def entries(register: Register, *, agency: str | None = None, year: int | None = None,
            sequence: str | None = None, status: str | None = None) -> list[Entry]:
    """The register's lines, by agency, year, sequence and number."""
    e = schema.entries.c
    query = select(schema.entries, schema.agencies.c.ten.label("agency_ten")).join(
        schema.agencies, schema.agencies.c.key == e.agency)
    if agency is not None:
        query = query.where(e.agency == agency)
    if year is not None:
        query = query.where(e.year == year)
    if sequence is not None:
        query = query.where(e.sequence == sequence)
    if status is not None:
        query = query.where(e.status == status)
    query = query.order_by(e.agency, e.year, e.sequence, e.so, e.id)
    with register.read() as conn:
        return [Entry.of(row, row["agency_ten"]) for row in conn.execute(query).mappings()]


def find_entry(register: Register, number: str, *, agency: str | None = None, year: int | None = None) -> Entry:
    """One line by its printed number ('05/TB-SCT'), in a year (the current one by default)."""
    year = year or dt.datetime.now(VIETNAM).year
    parsed = parse_so_ky_hieu(_without_year(number))
    if parsed is None:
        raise ConfigurationError(_("'{number}' is not a số/ký hiệu such as 05/TB-SCT").format(number=number))
    so, symbol = parsed
    found = [x for x in entries(register, agency=agency, year=year) if x.so == so and x.ky_hieu == symbol]
    if not found:
        raise ConfigurationError(_("{number} is not in the register for {year}").format(number=number, year=year))
    if len(found) > 1:
        raise ConfigurationError(_("{number} stands for several agencies in {year}; say which with --agency").format(
            number=number, year=year))
    return found[0]


def _without_year(number: str) -> str:
    """'12/2026/QĐ-UBND' → '12/QĐ-UBND' (the register keys numbers without the printed year)."""
    parts = number.strip().split("/")
    return f"{parts[0]}/{parts[2]}" if len(parts) == 3 and parts[1].isdigit() and len(parts[1]) == 4 else number


def void(register: Register, entry: Entry, reason: str) -> Entry:
    """Mark a number void: it stays in the register and its export, and is never given again."""
    reason = " ".join(reason.split())
    if not reason:
        raise ConfigurationError(_("say why the number is voided (--reason)"))
    if entry.status == "void":
        raise ConfigurationError(_("{number} is void already: {reason}").format(number=entry.so_ky_hieu,
                                                                                 reason=entry.note))

    def work(conn: Connection) -> None:
        conn.execute(update(schema.entries).where(schema.entries.c.id == entry.id).values(
            status="void", note=reason, updated=dt.datetime.now(VIETNAM)))
    register.write(work)
    return next(x for x in entries(register, agency=entry.agency, year=entry.year) if x.id == entry.id)


def sequence_groups(register: Register, agency: Agency) -> dict[str, str]:
    """doc type key → sequence, as the head of the agency decided (empty: one shared sequence)."""
    g = schema.sequence_groups.c
    with register.read() as conn:
        return dict(conn.execute(select(g.doc_type, g.sequence).where(g.agency == agency.key)).all())


def set_sequence_groups(register: Register, agency: Agency, groups: dict[str, list[str]]) -> dict[str, str]:
    """Give each named group its own sequence (Điều 15.1.c): {'QĐ': ['quyet_dinh'], …}; {} = one shared.

    Types are named by key or abbreviation. The reserved sequences (secret, advisory) cannot be
    taken by a group.
    """
    mapping: dict[str, str] = {}
    for name, types in groups.items():
        name = name.strip()
        if not name or name in (SEQUENCE_SECRET, SEQUENCE_ADVISORY, SEQUENCE_COPY):
            raise ConfigurationError(_("'{name}' cannot name a sequence group").format(name=name))
        for text in types:
            doc_type = DOC_TYPES.get(text.strip()) or find_doc_type(text)
            if doc_type is None:
                raise ConfigurationError(_("'{value}' is not a document type of Decree 30; `vanthu types` lists "
                                           "them").format(value=text))
            if doc_type.key in mapping and mapping[doc_type.key] != name:
                raise ConfigurationError(_("{type} is in two groups: {first} and {second}").format(
                    type=doc_type.name, first=mapping[doc_type.key], second=name))
            mapping[doc_type.key] = name

    def work(conn: Connection) -> None:
        g = schema.sequence_groups
        conn.execute(delete(g).where(g.c.agency == agency.key))
        for doc_type, seq in sorted(mapping.items()):
            conn.execute(g.insert().values(agency=agency.key, doc_type=doc_type, sequence=seq))
    register.write(work)
    return mapping
