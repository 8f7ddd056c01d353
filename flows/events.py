"""What happened to a submission, told to a Prefect server as an event (server mode only).

The web app and the CLI do not run the submission flow themselves on a server: the upload, the
applied review file or the decision is already on record as owed (``contestflow.advances``,
written in the same transaction), and the event lets the ``advance-submission`` deployment's
trigger start a run for that submission at once. If the event is lost (the server was down),
the ``advance-pending`` schedule finds the record and asks again: the record is the promise,
the event only makes it quick.
"""

from __future__ import annotations

from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import PendingAdvance

# Event names are the pending records' reasons (contestflow/advances.py callers) under our
# prefix; the trigger expects any of them.
PREFIX = "contestflow."
REQUESTED = "advance.requested"  # a person asked for a run with nothing owed on record
SUBMISSION_LABEL = "contestflow.submission-id"


def resource_id(submission_id: int) -> str:
    return f"{PREFIX}submission.{submission_id}"


def reason_owed(submission_id: int) -> str:
    """The newest unpaid record's reason (``material.accepted``, ``review.applied``, ...)."""
    with session_scope(read_only=True) as session:
        reason = session.scalar(
            select(PendingAdvance.reason)
            .where(PendingAdvance.submission_id == submission_id,
                   PendingAdvance.done_at.is_(None))
            .order_by(PendingAdvance.id.desc()).limit(1))
    return reason or REQUESTED


def announce(submission_id: int, reason: str | None = None, *,
             mt_provider: str | None = None) -> str:
    """Emit ``contestflow.<reason>`` for ``submission_id``; returns the event's name.
    ``mt_provider``: the run's provider, instead of the workers' CONTESTFLOW_MT_PROVIDER.

    Raises when the server does not take it (what is owed stays on record either way). Not
    for a running event loop's thread: it runs one of its own.
    """
    import asyncio

    from prefect.events import Event
    from prefect.events.clients import get_events_client

    name = PREFIX + (reason or reason_owed(submission_id))
    event = Event(event=name, resource={"prefect.resource.id": resource_id(submission_id),
                                        SUBMISSION_LABEL: str(submission_id)},
                  payload={"mt_provider": mt_provider or ""})

    # Sent and closed here, not through Prefect's background events thread: the CLI exits
    # right after, and the caller must know whether the server took it.
    async def send() -> None:
        async with get_events_client(checkpoint_every=1) as client:
            await client.emit(event)

    asyncio.run(send())
    return name
