"""The register's tables (SQLAlchemy Core, the same on SQLite and PostgreSQL).

A number is taken from a counter row (agency, year, sequence) locked in the transaction that
records the document: a rollback undoes both, so no number is lost. A database SEQUENCE is
not used on purpose: it is not transactional and leaves gaps on rollback.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy import Table as _Table

SCHEMA_VERSION = 1

metadata = MetaData()

# What the register is: its schema version (a newer vanthu may need to migrate it).
info = _Table(
    "vanthu_info", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

agencies = _Table(
    "agencies", metadata,
    Column("key", String(400), primary_key=True),  # casefolded "chủ quản / tên"
    Column("ten", Text, nullable=False),
    Column("chu_quan", Text, nullable=True),
    Column("viet_tat", String(40), nullable=False),
)

counters = _Table(
    "counters", metadata,
    Column("agency", String(400), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("sequence", String(80), primary_key=True),
    Column("last", Integer, nullable=False),
    ForeignKeyConstraint(["agency"], ["agencies.key"]),
)

# Which type goes to which sequence, per agency, when the head of the agency has decided on
# sequences per type group (Điều 15.1.c); no row: one shared sequence.
sequence_groups = _Table(
    "sequence_groups", metadata,
    Column("agency", String(400), primary_key=True),
    Column("doc_type", String(40), primary_key=True),  # a DocType key: 'quyet_dinh'
    Column("sequence", String(80), nullable=False),
    ForeignKeyConstraint(["agency"], ["agencies.key"]),
)

entries = _Table(
    "entries", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("agency", String(400), nullable=False),
    Column("year", Integer, nullable=False),
    Column("sequence", String(80), nullable=False),
    Column("so", Integer, nullable=False),
    Column("ky_hieu", String(120), nullable=False),
    Column("so_ky_hieu", String(160), nullable=False),  # as printed: '05/TB-SCT', '12/2026/QĐ-UBND'
    Column("ngay", Date, nullable=True),
    Column("loai", String(40), nullable=False),  # DocType key
    Column("ten_loai", Text, nullable=False),  # 'Thông báo'
    Column("trich_yeu", Text, nullable=False, default=""),
    Column("nguoi_ky", Text, nullable=False, default=""),
    Column("noi_nhan", Text, nullable=False, default=""),
    Column("luu", Text, nullable=False, default=""),
    Column("so_ban", Integer, nullable=True),
    Column("record_key", Text, nullable=True),  # the record's identity: 'ma:…' or 'file:/path#3'
    Column("source", Text, nullable=False, default=""),  # where the record was, for messages
    Column("auto", Boolean, nullable=False, default=False),  # allocated by the register (so: auto)
    Column("status", String(16), nullable=False),  # allocated, written, void, imported
    Column("note", Text, nullable=False, default=""),  # Ghi chú; a void's reason
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    ForeignKeyConstraint(["agency"], ["agencies.key"]),
    # Điều 15: số + ký hiệu once per agency per year (a voided number stays and is never reused)
    UniqueConstraint("agency", "year", "so", "ky_hieu", name="uq_entries_number"),
)

# A record holds one live number; its voided ones stay for the record too.
Index("ix_entries_live_record", entries.c.record_key, unique=True,
      sqlite_where=text("status != 'void' AND record_key IS NOT NULL"),
      postgresql_where=text("status != 'void' AND record_key IS NOT NULL"))
Index("ix_entries_sequence", entries.c.agency, entries.c.year, entries.c.sequence, entries.c.so)

STATUSES = ("allocated", "written", "void", "imported")
