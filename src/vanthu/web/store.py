"""The web application's state: people, sessions, API tokens, documents with their versions,
the audit log. SQLite under the data folder by default, PostgreSQL by URL.

Files (records, drafts, PDFs) live on disk under the data folder; the rows say where. The audit
log is only ever inserted into: no route updates or deletes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from ..errors import ConfigurationError
from ..i18n import _
from ..register.store import with_psycopg

metadata = MetaData()

users = Table(
    "web_users", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)
tokens = Table(
    "web_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", ForeignKey("web_users.id"), nullable=False),
    Column("sha256", String(64), nullable=False, unique=True),  # the token itself is never stored
    Column("created", DateTime(timezone=True), nullable=False),
)
sessions = Table(
    "web_sessions", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("user_id", ForeignKey("web_users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires", DateTime(timezone=True), nullable=False),
)
login_failures = Table(
    "web_login_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False),
    Column("address", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
)
documents = Table(
    "web_documents", metadata,
    Column("id", Integer, primary_key=True),
    Column("loai", String(20), nullable=False),
    Column("trich_yeu", Text, nullable=False),
    # du-thao (draft) → cho-duyet (submitted) → da-duyet (approved) → da-ban-hanh (issued);
    # tra-lai (returned) goes back to the drafter
    Column("state", String(20), nullable=False),
    Column("author_id", ForeignKey("web_users.id"), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
    Column("updated", DateTime(timezone=True), nullable=False),
    Column("so_ky_hieu", String(100)),  # once issued
    Column("ngay_ban_hanh", Date),  # once issued
    Column("comment", Text),  # the leader's, when returned
)
versions = Table(
    "web_versions", metadata,
    Column("id", Integer, primary_key=True),
    Column("document_id", ForeignKey("web_documents.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("author_id", ForeignKey("web_users.id"), nullable=False),
    Column("created", DateTime(timezone=True), nullable=False),
)
audit = Table(
    "web_audit", metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("user_name", String(100), nullable=False),
    Column("action", String(40), nullable=False),
    Column("document_id", Integer),
    Column("detail", Text, nullable=False, default=""),
)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str


@dataclass(frozen=True)
class Document:
    id: int
    loai: str
    trich_yeu: str
    state: str
    author_id: int
    author: str
    created: dt.datetime
    updated: dt.datetime
    so_ky_hieu: str | None
    ngay_ban_hanh: dt.date | None
    comment: str | None
    versions: int


def _aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class WebStore:
    def __init__(self, url: str):
        try:
            parsed = make_url(with_psycopg(url))
        except ArgumentError:
            raise ConfigurationError(_("'{url}' is not a database URL (sqlite:///FILE or postgresql://…)").format(
                url=url)) from None
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite:
            self.engine = create_engine(parsed, connect_args={"timeout": 60, "check_same_thread": False})

            @event.listens_for(self.engine, "connect")
            def _connect(dbapi_connection, _record) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA foreign_keys=ON")
                cursor.close()
        else:
            self.engine = create_engine(parsed, pool_pre_ping=True)
        try:
            with self.engine.begin() as conn:
                metadata.create_all(conn, checkfirst=True)
        except DBAPIError as exc:
            raise ConfigurationError(_("cannot open the database {url}: {detail}").format(
                url=parsed.render_as_string(hide_password=True), detail=str(exc.orig).splitlines()[0])) from None

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    # ---- people ------------------------------------------------------------------------------

    def add_user(self, name: str, role: str, password_hash: str) -> User:
        with self.begin() as conn:
            found = conn.execute(select(users.c.id).where(users.c.name == name)).scalar()
            if found is not None:
                conn.execute(update(users).where(users.c.id == found).values(role=role, password_hash=password_hash))
                user_id = found
            else:
                user_id = conn.execute(insert(users).values(name=name, role=role, password_hash=password_hash,
                                                            created=now())).inserted_primary_key[0]
        return User(user_id, name, role)

    def user_by_name(self, name: str) -> tuple[User, str] | None:
        with self.begin() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        return (User(row.id, row.name, row.role), row.password_hash) if row else None

    def set_password_hash(self, user: User, password_hash: str) -> None:
        with self.begin() as conn:
            conn.execute(update(users).where(users.c.id == user.id).values(password_hash=password_hash))

    def add_token(self, user: User, sha256: str) -> None:
        with self.begin() as conn:
            conn.execute(insert(tokens).values(user_id=user.id, sha256=sha256, created=now()))

    def user_by_token(self, sha256: str) -> User | None:
        with self.begin() as conn:
            row = conn.execute(select(users).join(tokens, tokens.c.user_id == users.c.id)
                               .where(tokens.c.sha256 == sha256)).first()
        return User(row.id, row.name, row.role) if row else None

    # ---- sessions and login throttling -------------------------------------------------------

    def add_session(self, sha256: str, user: User, csrf: str, expires: dt.datetime) -> None:
        with self.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.expires < now()))
            conn.execute(insert(sessions).values(sha256=sha256, user_id=user.id, csrf=csrf, expires=expires))

    def session(self, sha256: str) -> tuple[User, str] | None:
        with self.begin() as conn:
            row = conn.execute(select(users.c.id, users.c.name, users.c.role, sessions.c.csrf, sessions.c.expires)
                               .join(sessions, sessions.c.user_id == users.c.id)
                               .where(sessions.c.sha256 == sha256)).first()
        if row is None or _aware(row.expires) < now():
            return None
        return User(row.id, row.name, row.role), row.csrf

    def end_session(self, sha256: str) -> None:
        with self.begin() as conn:
            conn.execute(sessions.delete().where(sessions.c.sha256 == sha256))

    def add_login_failure(self, name: str, address: str) -> None:
        with self.begin() as conn:
            conn.execute(insert(login_failures).values(name=name[:100], address=address[:64], at=now()))

    def login_failures_since(self, since: dt.datetime, name: str, address: str) -> tuple[int, int]:
        """Failed logins since then: for this name, and from this address."""
        with self.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.at < since))

            def count(condition) -> int:
                return conn.execute(select(func.count()).select_from(login_failures).where(condition)).scalar() or 0

            return count(login_failures.c.name == name[:100]), count(login_failures.c.address == address[:64])

    def clear_login_failures(self, name: str) -> None:
        with self.begin() as conn:
            conn.execute(login_failures.delete().where(login_failures.c.name == name[:100]))

    # ---- documents -----------------------------------------------------------------------------

    def _select_documents(self):
        count = select(func.count()).where(versions.c.document_id == documents.c.id).scalar_subquery()
        return select(documents, users.c.name.label("author"), count.label("versions")).join(
            users, users.c.id == documents.c.author_id)

    @staticmethod
    def _document(row) -> Document:
        return Document(row.id, row.loai, row.trich_yeu, row.state, row.author_id, row.author, _aware(row.created),
                        _aware(row.updated), row.so_ky_hieu, row.ngay_ban_hanh, row.comment, row.versions)

    def add_document(self, conn: Connection, loai: str, trich_yeu: str, author: User) -> int:
        stamp = now()
        return conn.execute(insert(documents).values(loai=loai, trich_yeu=trich_yeu, state="du-thao",
                                                     author_id=author.id, created=stamp, updated=stamp)
                            ).inserted_primary_key[0]

    def add_version(self, conn: Connection, document_id: int, author: User, trich_yeu: str | None = None) -> int:
        number = (conn.execute(select(func.max(versions.c.number)).where(versions.c.document_id == document_id))
                  .scalar() or 0) + 1
        conn.execute(insert(versions).values(document_id=document_id, number=number, author_id=author.id,
                                             created=now()))
        values: dict[str, object] = {"updated": now()}
        if trich_yeu is not None:
            values["trich_yeu"] = trich_yeu
        conn.execute(update(documents).where(documents.c.id == document_id).values(**values))
        return number

    def document(self, document_id: int) -> Document | None:
        with self.begin() as conn:
            row = conn.execute(self._select_documents().where(documents.c.id == document_id)).first()
        return self._document(row) if row else None

    def documents(self, *, states: tuple[str, ...] = (), author_id: int | None = None,
                  issued_from: dt.date | None = None, issued_to: dt.date | None = None,
                  limit: int | None = None, offset: int = 0) -> list[Document]:
        """Newest first; a page of them with limit and offset (a list page never holds them all)."""
        query = self._select_documents().order_by(documents.c.updated.desc(), documents.c.id.desc())
        if states:
            query = query.where(documents.c.state.in_(states))
        if author_id is not None:
            query = query.where(documents.c.author_id == author_id)
        if issued_from is not None:
            query = query.where(documents.c.ngay_ban_hanh >= issued_from)
        if issued_to is not None:
            query = query.where(documents.c.ngay_ban_hanh <= issued_to)
        if limit is not None:
            query = query.limit(limit).offset(offset)
        with self.begin() as conn:
            return [self._document(row) for row in conn.execute(query)]

    def set_state(self, conn: Connection, document_id: int, state: str, **values: object) -> None:
        conn.execute(update(documents).where(documents.c.id == document_id).values(state=state, updated=now(),
                                                                                   **values))

    # ---- audit -----------------------------------------------------------------------------------

    def log(self, conn: Connection, user: str, action: str, document_id: int | None = None, detail: str = "") -> None:
        conn.execute(insert(audit).values(at=now(), user_name=user, action=action, document_id=document_id,
                                          detail=detail))

    def audit_entries(self, document_id: int | None = None, limit: int = 500) -> list[dict]:
        query = select(audit).order_by(audit.c.id.desc()).limit(limit)
        if document_id is not None:
            query = query.where(audit.c.document_id == document_id)
        with self.begin() as conn:
            return [{"at": _aware(r.at), "user": r.user_name, "action": r.action, "document_id": r.document_id,
                     "detail": r.detail} for r in conn.execute(query)]

