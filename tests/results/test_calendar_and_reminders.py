"""The calendar export, and the reminder about results the organisers should have announced."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import select

from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import Edition, Submission
from contestflow.results.ical import write_calendar
from contestflow.results.reminders import remind_awaiting_results
from contestflow.submission.opening import open_submission
from tests.results.helpers import sent_submission


def test_calendar_holds_every_upcoming_date_once(tmp_path: Path) -> None:
    today = dt.date(2024, 1, 1)
    with session_scope() as session:
        catalog = catalog_for(session)
        submission_id = open_submission(session, "uclg-culture21", "2026").id
        events = write_calendar(session, tmp_path / "deadlines.ics", today=today, lang="en")
    expected_deadlines = {
        (d.id, e.key, p.id) for d in catalog for e in d.editions for p in e.phases
        if p.deadline >= today
    }
    calendar = Calendar.from_ical((tmp_path / "deadlines.ics").read_bytes())
    vevents = calendar.walk("VEVENT")
    assert len(vevents) == len(events)
    uids = [str(v["UID"]) for v in vevents]
    assert len(set(uids)) == len(uids)
    deadlines = [v for v in vevents if str(v["UID"]).endswith("-deadline@contestflow")]
    assert len(deadlines) == len(expected_deadlines)
    assert all(v.decoded("DTSTART") >= today for v in vevents)
    uclg = next(v for v in deadlines if str(v["UID"]).startswith("uclg-culture21-2026-"))
    assert str(uclg["SUMMARY"]).startswith("Deadline: International Award")
    assert f"#{submission_id}: draft" in str(uclg["DESCRIPTION"])
    assert uclg.walk("VALARM"), "a deadline warns a week ahead"
    announcements = [v for v in vevents if str(v["UID"]).endswith("-results@contestflow")]
    assert len(announcements) == sum(
        1 for d in catalog for e in d.editions
        if e.results_expected_on and e.results_expected_on >= today)
    # Russian by default; past dates are left out.
    with session_scope() as session:
        later = write_calendar(session, tmp_path / "later.ics", today=dt.date(2100, 1, 1))
    assert later == []


def test_reminder_lists_overdue_results_once_a_week(database_url: str) -> None:
    from contestflow.db.models import OutboxMessage

    submission_id = sent_submission(edition="2024")
    with session_scope() as session:
        expected = session.scalar(select(Edition.results_expected_on).join(Submission)
                                  .where(Submission.id == submission_id))
    assert expected is not None
    with session_scope() as session:
        nothing = remind_awaiting_results(session, today=expected)
    assert not nothing.awaiting and not nothing.queued
    monday = expected + dt.timedelta(days=14 - expected.weekday())
    with session_scope() as session:
        first = remind_awaiting_results(session, today=monday)
    with session_scope() as session:
        same_week = remind_awaiting_results(session, today=monday + dt.timedelta(days=2))
        next_week = remind_awaiting_results(session, today=monday + dt.timedelta(days=7))
        messages = list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
    assert first.queued and not same_week.queued and next_week.queued
    assert first.to == "international@stavropol.example"
    assert len(messages) == 2
    assert f"#{submission_id} uclg-culture21 2024" in messages[0].body
    assert "contestflow results record" in messages[0].body
