"""Small builders shared by the results tests."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import Result
from contestflow.lifecycle import transition
from contestflow.submission.opening import open_submission

HEADER = "year,contest,edition,nomination,department,outcome,notes\n"
TO_SENT = ("collecting", "translating", "assembling", "in_review", "approved", "sent")


def csv_bytes(*rows: str, header: str = HEADER, encoding: str = "utf-8") -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode(encoding)


def sent_submission(contest_id: str = "uclg-culture21", edition: str = "2024",
                    nomination: str = "") -> int:
    """A submission moved to ``sent`` through the real lifecycle; in an edition of several
    phases (UCLG 2024), sent for its last one, so that its result can be recorded."""
    with session_scope() as session:
        submission = open_submission(session, contest_id, edition, nomination=nomination,
                                     late=True)
        phases = catalog_for(session).get(contest_id).edition(edition).phases
        submission.phase = phases[-1].id if len(phases) > 1 else ""
        state = "draft"
        for new in TO_SENT:
            transition(session, submission.id, state, new, actor="test")
            state = new
        return submission.id


def ledger_counts() -> tuple[int, int, Counter[int | None]]:
    """(entries, awarded, entries per year) computed straight from the table and catalog."""
    with session_scope() as session:
        catalog = catalog_for(session)
        rows = list(session.scalars(select(Result)))
        awarded = 0
        for row in rows:
            vocabulary = {o.id: o.awarded for o in catalog.get(row.contest_id).outcomes}
            awarded += vocabulary[row.outcome]
        return len(rows), awarded, Counter(row.year for row in rows)
