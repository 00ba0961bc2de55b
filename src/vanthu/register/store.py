"""Opening a register by its URL, and the one kind of transaction every change goes through.

SQLite: the write lock is taken up front (BEGIN IMMEDIATE) so two processes never read the
same counter; the journal is written through (WAL, synchronous=FULL) so a number recorded is
a number kept. PostgreSQL: counter rows are locked with SELECT … FOR UPDATE in a fixed order
(no deadlock between batches), and a transaction that loses a race is run again.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, OperationalError

from ..errors import ConfigurationError
from ..i18n import _
from . import schema

DEFAULT_FILE = "vanthu.db"
BUSY_SECONDS = 120  # how long a writer waits for another one (SQLite's busy timeout)
ATTEMPTS = 8  # a transaction that lost a race is run again this many times

T = TypeVar("T")


class RegisterError(ConfigurationError):
    """The register cannot be opened or used (a bad URL, a server that does not answer)."""


def normalise_url(url: str) -> str:
    """An SQLAlchemy URL; a bare path is an SQLite file; postgresql:// uses psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    return with_psycopg(url)


def with_psycopg(url: str) -> str:
    """A PostgreSQL URL with the driver vanthu installs (psycopg 3), whatever the URL names."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def default_url(paths: list[Path]) -> str:
    """vanthu.db beside the records: in the first folder named, or beside the first file."""
    first = paths[0] if paths else Path.cwd()
    folder = first if first.is_dir() else first.parent
    return f"sqlite:///{(folder / DEFAULT_FILE).resolve()}"


class Register:
    """An open register. Every change is one call of `write`; reads use `read`."""

    def __init__(self, url: str, *, create: bool = True):
        try:
            parsed = make_url(normalise_url(url))
        except ArgumentError:
            raise RegisterError(_("'{url}' is not a register URL (sqlite:///FILE or postgresql://…)").format(
                url=url)) from None
        self.display = parsed.render_as_string(hide_password=True)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            raise RegisterError(_("the register needs SQLite or PostgreSQL, not {backend}").format(
                backend=parsed.get_backend_name()))
        if self.sqlite and parsed.database and parsed.database != ":memory:":
            folder = Path(parsed.database).parent
            if not folder.is_dir():
                raise RegisterError(_("cannot open the register {url}: no folder {folder}").format(
                    url=self.display, folder=folder))
            if not create and not Path(parsed.database).is_file():
                raise RegisterError(_("there is no register at {path}").format(path=parsed.database))
        try:
            self.engine = self._engine(parsed)
            self.write(lambda conn: self._prepare(conn))
        except DBAPIError as exc:
            raise RegisterError(_("cannot open the register {url}: {detail}").format(
                url=self.display, detail=_first_line(exc))) from None

    def _engine(self, url) -> Engine:
        if not self.sqlite:
            return create_engine(url, pool_pre_ping=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_SECONDS})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # vanthu says BEGIN itself (below)
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine

    def _prepare(self, conn: Connection) -> None:
        if not self.sqlite:  # eight processes opening a new register at once create it once
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7360271)")
        schema.metadata.create_all(conn, checkfirst=True)
        version = conn.execute(select(schema.info.c.value).where(schema.info.c.key == "schema")).scalar()
        if version is None:
            conn.execute(schema.info.insert().values(key="schema", value=str(schema.SCHEMA_VERSION)))
        elif int(version) > schema.SCHEMA_VERSION:
            raise RegisterError(_("the register {url} was made by a newer vanthu (schema {version}); "
                                  "upgrade vanthu to use it").format(url=self.display, version=version))

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run work in one transaction holding the write lock; again if it lost a race."""
        for attempt in range(ATTEMPTS):
            try:
                with self.engine.begin() as conn:
                    return work(conn)
            except (IntegrityError, OperationalError) as exc:
                if attempt == ATTEMPTS - 1 or not _retryable(exc):
                    raise
                time.sleep(random.uniform(0.01, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _retryable(exc: DBAPIError) -> bool:
    """A lost race: a unique row inserted by another writer meanwhile, a deadlock, a
    serialisation failure, SQLite still busy after its timeout."""
    if isinstance(exc, IntegrityError):
        return True
    code = getattr(exc.orig, "sqlstate", None)
    return code in ("40001", "40P01") or "database is locked" in str(exc.orig)


def _first_line(exc: DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
