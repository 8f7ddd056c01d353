"""What the submission flow owes: a durable record per event, and the one way to pay it.

``owe_advance`` is called inside the transaction of the upload, applied review or decision
that asked for a run, so "acknowledged" and "owed" are committed together. ``advance_pending``
is what any front end calls to pay what is owed: the embedded server at start and on its
schedule, and (issue 12) a server deployment's trigger with a runner that starts the
``advance-submission`` deployment. A record is marked done only after ``run`` returned for an
advance that began after the record was written; a run that fails leaves it pending, to be
retried later each time.

The runner is passed in: this module is below flows/ and must not know how a flow is run.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from contestflow.db import get_engine, session_scope
from contestflow.db.base import utcnow
from contestflow.db.models import PendingAdvance

logger = logging.getLogger("contestflow.advances")

Runner = Callable[[int], Any]
RETRY_FIRST_SECONDS = 30
RETRY_MOST_SECONDS = 3600
# Advisory lock keys are one bigint namespace for the whole database: ours are offset so
# that another user of advisory locks on the same database is unlikely to collide.
ADVANCE_LOCK_BASE = 0x636F6E7465 << 24  # "conte"


def owe_advance(session: Session, submission_id: int, reason: str) -> None:
    """Record, in the caller's transaction, that ``submission_id`` must be advanced."""
    session.add(PendingAdvance(submission_id=submission_id, reason=reason[:64]))
    session.flush()


def pending_submissions(session: Session, *, due_only: bool = True) -> dict[int, int]:
    """Each submission owed an advance, with the newest record's id (what a run settles)."""
    query = select(PendingAdvance.submission_id, func.max(PendingAdvance.id)).where(
        PendingAdvance.done_at.is_(None))
    if due_only:
        query = query.where(PendingAdvance.next_attempt_at <= utcnow())
    rows = session.execute(query.group_by(PendingAdvance.submission_id)).all()
    return {int(submission_id): int(newest) for submission_id, newest in rows}


def newest_pending(session: Session, submission_id: int) -> int | None:
    return session.scalar(select(func.max(PendingAdvance.id)).where(
        PendingAdvance.submission_id == submission_id, PendingAdvance.done_at.is_(None)))


def advance_now(run: Runner, submission_id: int) -> Any:
    """Run the advance for ``submission_id`` and settle the records written before it began.

    Records written while it ran stay pending: the run may have read the state before them.
    If ``run`` raises, nothing is settled, the failure is noted for a later retry, and the
    error goes on to the caller.
    """
    with session_scope(read_only=True) as session:
        up_to = newest_pending(session, submission_id)
    try:
        outcome = run(submission_id)
    except Exception as error:
        if up_to is not None:
            _note_failure(submission_id, up_to, error)
        raise
    if up_to is not None:
        with session_scope() as session:
            session.execute(
                update(PendingAdvance)
                .where(PendingAdvance.submission_id == submission_id,
                       PendingAdvance.id <= up_to, PendingAdvance.done_at.is_(None))
                .values(done_at=utcnow(), last_error="")
                .execution_options(synchronize_session=False))
    return outcome


def advance_pending(run: Runner, *, skip: Collection[int] = ()) -> list[int]:
    """Advance every submission owed a run whose retry time has come; returns the ids that ran.

    ``skip``: submissions the caller is advancing already. One failure does not stop the
    others: it is logged and retried later.
    """
    with session_scope(read_only=True) as session:
        owed = sorted(pending_submissions(session))
    done = []
    for submission_id in owed:
        if submission_id in skip:
            continue
        try:
            advance_now(run, submission_id)
        except Exception:  # noted on the record; the next schedule tick tries again
            logger.exception("advancing submission %s failed; it stays pending", submission_id)
            continue
        done.append(submission_id)
    return done


def _note_failure(submission_id: int, up_to: int, error: Exception) -> None:
    with session_scope() as session:
        rows = session.scalars(select(PendingAdvance).where(
            PendingAdvance.submission_id == submission_id, PendingAdvance.id <= up_to,
            PendingAdvance.done_at.is_(None))).all()
        for row in rows:
            row.attempts += 1
            wait = min(RETRY_FIRST_SECONDS * 2 ** (row.attempts - 1), RETRY_MOST_SECONDS)
            row.next_attempt_at = utcnow() + dt.timedelta(seconds=wait)
            row.last_error = f"{type(error).__name__}: {error}"[:2000]


@contextmanager
def one_run_at_a_time(submission_id: int, *, poll_seconds: float = 0.25) -> Iterator[None]:
    """Hold ``submission_id``'s advance lock for the ``with`` block; waits while another
    process (another worker, another host) holds it.

    On PostgreSQL a session advisory lock on a connection of its own: if the holder dies
    (SIGKILL), the server drops its connection and the lock with it, so no crashed run keeps
    a submission locked. It is taken by polling, not by a blocking call, which the statement
    timeout would cancel. On SQLite (the embedded default, one process) there is nothing to
    hold: state changes are compare-and-set either way.
    """
    engine = get_engine()
    if engine.dialect.name != "postgresql":
        yield
        return
    key = ADVANCE_LOCK_BASE + submission_id
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        while not connection.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": key}):
            time.sleep(poll_seconds)
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
