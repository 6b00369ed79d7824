"""Opening a ledger's database: its URL, an engine that echoes no values, and the schema
brought up to date (or refused when it is not)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, make_url
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from aidrules.casework.errors import LedgerError, NotFound
from aidrules.ledger import migrate

SQLITE_BUSY_MS = 5000  # how long an SQLite writer waits for another's lock (then Conflict)


def database_url(url_or_path: str | Path) -> str:
    """A URL as given, or ``sqlite:///path`` for a plain file path."""
    text = str(url_or_path)
    return text if "://" in text else f"sqlite:///{text}"


def engine_for(url: str) -> Engine:
    """An engine whose errors never echo a statement's parameters (names, identity
    numbers). On SQLite a writing transaction (:func:`writing`) takes the write lock when
    it begins (``BEGIN IMMEDIATE``), waiting up to :data:`SQLITE_BUSY_MS` for another
    writer: two writers take turns, and one held up longer gets ConflictError, never
    "database is locked" half-way through a move."""
    engine = create_engine(url, hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def writing(engine: Engine) -> Engine:
    """The engine for transactions that write (on SQLite: BEGIN IMMEDIATE)."""
    return engine.execution_options(aidrules_writes=True)


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver begins nothing; _sqlite_begin does
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_MS}")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """A writing transaction holds the write lock from its start; a reading one begins
    nothing (each statement reads on its own, as the driver did before)."""
    if connection.get_execution_options().get("aidrules_writes"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def shown(url_or_path: str | Path) -> str:
    """A path as given; a URL with its password masked."""
    text = str(url_or_path)
    return make_url(text).render_as_string() if "://" in text else text


def no_ledger(url_or_path: str | Path) -> str:
    where = shown(url_or_path)
    return f"{where}: no ledger here; create one with 'aidrules ledger upgrade {where}'"


def no_sqlite_file(url: str) -> bool:
    path = url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else None
    return path is not None and path not in ("", ":memory:") and not Path(path).is_file()


def bring_up(engine: Engine, url_or_path: str | Path, upgrade: bool | None,
             create: bool) -> tuple[str | None, str | None]:
    """Upgrade where asked; the revision the database is at and the one needed. A file that
    is not a database, or a directory that does not exist, is a LedgerError, not a traceback."""
    at = revision(engine, url_or_path)
    try:
        if at is None and not create:
            raise NotFound(no_ledger(url_or_path))
        if upgrade if upgrade is not None else engine.dialect.name == "sqlite":
            migrate.upgrade(writing(engine))
            at = migrate.current_revision(engine)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise LedgerError(f"{shown(url_or_path)}: cannot open it as a ledger ({reason})") from None
    return at, migrate.head_revision()


def revision(engine: Engine, url_or_path: str | Path) -> str | None:
    try:
        return migrate.current_revision(engine)
    except DBAPIError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        raise LedgerError(f"{shown(url_or_path)}: cannot open it as a ledger ({reason})") from None
