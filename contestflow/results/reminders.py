"""Reminding the coordinator of results the organisers should have announced by now.

One message lists every sent submission past its edition's announcement date without a
result. Its dedupe key names the ISO week and the submissions, so a daily schedule sends the
same list at most once a week, and a new overdue submission is announced at once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from contestflow.config import get_settings
from contestflow.i18n import N_, ntr, tr
from contestflow.notify import coordinator_address, enqueue_message
from contestflow.results.ledger import AwaitingResult, awaiting_results
from contestflow.wording import date_text, days_text

# The coordinating department: the International and Interregional Relations Department.


@dataclass
class Reminder:
    awaiting: list[AwaitingResult] = field(default_factory=list)
    to: str | None = None
    subject: str = ""
    body: str = ""
    dedupe_key: str = ""
    queued: bool = False


def compose(awaiting: list[AwaitingResult], today: dt.date,
            lang: str = "ru") -> tuple[str, str, str]:
    """Subject, body and dedupe key of the reminder for ``awaiting`` (not empty), in ``lang``."""
    subject = ntr(lang, "%(count)s result overdue: record it", "%(count)s results overdue: "
                  "record them", len(awaiting))
    lines = [tr(lang, N_("These submissions were sent and their organisers' announcement dates "
                         "have passed, but no result is recorded yet:")), ""]
    for item in awaiting:
        nomination = f", {item.nomination}" if item.nomination else ""
        lines.append("— " + tr(lang, N_("submission %(id)s, %(contest)s %(edition)s%(nomination)s: "
                                        "expected %(date)s (%(days)s ago)"),
                                id=item.submission_id, contest=item.contest_id,
                                edition=item.edition_key, nomination=nomination,
                                date=date_text(item.results_expected_on, lang),
                                days=days_text(item.days_overdue, lang)))
    lines += ["", tr(lang, N_("Record each one on the results page of the office (Results → "
                              "Record a result)."))]
    year, week, _ = today.isocalendar()
    ids = ",".join(str(item.submission_id) for item in awaiting)
    return subject, "\n".join(lines), f"results-overdue:{year}-W{week:02d}:{ids}"


def remind_awaiting_results(
    session: Session, *, today: dt.date | None = None, to: str | None = None
) -> Reminder:
    """Queue one reminder listing every overdue result (nothing when none is overdue)."""

    today = today or dt.date.today()
    reminder = Reminder(awaiting=awaiting_results(session, today))
    if not reminder.awaiting:
        return reminder
    reminder.to = to or coordinator_address(session) or get_settings().mail_from
    reminder.subject, reminder.body, reminder.dedupe_key = compose(reminder.awaiting, today)
    reminder.queued = enqueue_message(
        session, to=reminder.to, subject=reminder.subject, body=reminder.body,
        dedupe_key=reminder.dedupe_key,
    )
    return reminder
