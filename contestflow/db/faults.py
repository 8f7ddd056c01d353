"""A database that is down, full, silent or busy, said in one sentence a person can act on.

The front doors (the CLI's ``main``, the web app's error handlers) call ``database_fault`` on
whatever escaped a command or a request: a driver's error chain becomes one catalogued
refusal naming where the database is (never its password) and what to do. Anything else is
``None`` and stays the caller's to describe.
"""

from __future__ import annotations

import errno

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from contestflow.config import get_settings
from contestflow.errors import Refusal
from contestflow.i18n import N_


class DatabaseUnavailable(Refusal, RuntimeError):
    """The database could not do what was asked; nothing of the command was saved."""

    def __init__(self, message: str, /, *, kind: str, **params: object) -> None:
        super().__init__(message, **params)
        self.kind = kind


# Words the drivers (psycopg, sqlite3) put in their messages, by what they mean for a person.
_SILENT = ("timeout expired", "timed out", "statement timeout", "lock timeout",
           "canceling statement")
_UNREACHABLE = ("connection refused", "could not connect", "connection is bad",
                "server closed the connection", "could not translate host name",
                "connection to server", "network is unreachable", "no route to host",
                "terminating connection", "connection already closed", "ssl syscall error",
                "the connection is lost", "consuming input failed")
_FULL = ("database or disk is full", "disk is full", "no space left", "could not extend file",
         "could not write")
_BUSY = ("database is locked", "database is busy", "deadlock detected")


def where() -> str:
    """The configured database, as a person may see it: host and port, or the file."""
    url = make_url(get_settings().resolved_database_url)
    if url.get_backend_name() == "sqlite":
        return url.database or "SQLite"
    return f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"


def database_fault(error: BaseException) -> DatabaseUnavailable | None:
    """``error`` (or what caused it) as a database fault, or ``None`` if it is none."""
    if isinstance(error, DatabaseUnavailable):
        return error
    chain: list[BaseException] = []
    seen: BaseException | None = error
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    if not any(isinstance(e, SQLAlchemyError) or _is_driver_error(e) for e in chain):
        if any(isinstance(e, OSError) and e.errno == errno.ENOSPC for e in chain):
            return _full()
        return None
    text = " ".join(str(e) for e in chain).lower()
    settings = get_settings()
    if any(word in text for word in _FULL):
        return _full()
    if any(word in text for word in _SILENT):
        return DatabaseUnavailable(
            N_("the database at %(where)s did not answer in time (%(seconds)s s): nothing was "
               "saved; check that it runs and is reachable, then try again"),
            kind="timeout", where=where(), seconds=f"{settings.db_connect_timeout:g}"
            if "timeout expired" in text else f"{settings.db_statement_timeout:g}")
    if any(word in text for word in _BUSY):
        return DatabaseUnavailable(
            N_("the database at %(where)s is busy with other work: nothing was saved; try "
               "again in a minute"), kind="busy", where=where())
    if any(word in text for word in _UNREACHABLE) or "unable to open database" in text:
        return DatabaseUnavailable(
            N_("cannot reach the database at %(where)s: %(why)s; nothing was saved. Check "
               "that it runs and CONTESTFLOW_DATABASE_URL, then try again"),
            kind="unreachable", where=where(), why=_first_line(chain))
    if any(isinstance(e, DBAPIError) for e in chain):
        return DatabaseUnavailable(
            N_("the database at %(where)s refused the work: %(why)s; nothing was saved"),
            kind="refused", where=where(), why=_first_line(chain))
    return None


def _full() -> DatabaseUnavailable:
    return DatabaseUnavailable(
        N_("there is no room left on the disk of the workspace or the database (%(where)s): "
           "nothing was saved; free some space and try again"), kind="full", where=where())


def _is_driver_error(error: BaseException) -> bool:
    module = type(error).__module__ or ""
    return module.startswith(("psycopg", "sqlite3"))


def _first_line(chain: list[BaseException]) -> str:
    """The driver's own first line (the innermost error), without SQLAlchemy's links."""
    for error in reversed(chain):
        if _is_driver_error(error) or not isinstance(error, SQLAlchemyError):
            text = str(error).strip().splitlines()
            if text:
                return text[0].rstrip(".")[:300]
    return str(chain[0]).splitlines()[0][:300] if str(chain[0]) else type(chain[0]).__name__
