"""Engines and sessions.

SQLite is the embedded default and must behave under concurrent writers: WAL, ``BEGIN
IMMEDIATE`` (a writer takes the lock at the start of its transaction, so it waits on the busy
timeout instead of failing half-way), ``synchronous=FULL`` (an acknowledged commit survives a
power cut). PostgreSQL is the production database.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from contestflow.config import get_settings

SQLITE_BUSY_TIMEOUT_MS = 30_000
_POOL_TIMEOUT_S = 30  # waiting for a free pooled connection is bounded too
READ_ONLY_OPTION = "contestflow_read_only"

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own BEGIN is deferred).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        # A reader must not take the write lock: WAL lets it read beside a writer.
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """A new engine for ``url``, configured for our write discipline. Does not migrate."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(url, pool_pre_ping=True, pool_timeout=_POOL_TIMEOUT_S,
                             connect_args=postgres_timeouts())
    return create_engine(url, pool_pre_ping=True)


def postgres_timeouts() -> dict[str, object]:
    """libpq settings so that no command waits on PostgreSQL without end: a server that
    accepts and never answers fails the connection after ``db_connect_timeout``; a statement
    (or its wait for a lock) is cancelled after ``db_statement_timeout``; a connection whose
    peer vanished is noticed by TCP keepalives within about half a minute."""
    settings = get_settings()
    statement_ms = int(settings.db_statement_timeout * 1000)
    return {
        "connect_timeout": max(1, round(settings.db_connect_timeout)),
        "options": f"-c statement_timeout={statement_ms} -c lock_timeout={statement_ms}",
        "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
        "keepalives_count": 3, "tcp_user_timeout": 30_000,
    }


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured one), migrated to head."""
    url = url or get_settings().resolved_database_url
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            from contestflow.db.migrate import upgrade_to_head

            engine = make_engine(url)
            upgrade_to_head(engine)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


@contextmanager
def session_scope(url: str | None = None, *, read_only: bool = False) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error: nothing half-done.

    ``read_only=True`` is for long reads (a translation run that waits on MT): on SQLite it
    does not take the write lock, and any attempt to write through it fails at flush.
    """
    engine = get_engine(url)
    if not read_only:
        with sessionmaker(engine, expire_on_commit=False)() as session, session.begin():
            yield session
        return
    reader = engine.execution_options(**{READ_ONLY_OPTION: True})
    with sessionmaker(reader, expire_on_commit=False)() as session:
        session.info[READ_ONLY_OPTION] = True
        try:
            yield session
        finally:
            session.rollback()


class ReadOnlySession(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_writes_when_read_only(session: Session, _context: object, _instances: object) -> None:
    if session.info.get(READ_ONLY_OPTION) and (session.new or session.dirty or session.deleted):
        raise ReadOnlySession("this session was opened read-only")
