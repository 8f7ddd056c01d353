"""The calendar export, and the reminder about results the organisers should have announced."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import vobject
from icalendar import Calendar
from sqlalchemy import select

from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import Edition, Submission
from contestflow.editions import confirm_dates
from contestflow.lifecycle import transition
from contestflow.results.ical import upcoming_events, write_calendar
from contestflow.results.reminders import remind_awaiting_results
from contestflow.submission.opening import open_submission
from tests.results.helpers import sent_submission


def test_calendar_holds_every_upcoming_date_once(tmp_path: Path) -> None:
    today = dt.date(2024, 1, 1)
    with session_scope() as session:
        catalog = catalog_for(session)
        submission_id = open_submission(session, "uclg-culture21", "2026", late=True).id
        events = write_calendar(session, tmp_path / "deadlines.ics", today=today, lang="en")
    # No edition has a finished submission: every deadline ahead is still to be met.
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
    assert f"Submission #{submission_id}: draft" in str(uclg["DESCRIPTION"])
    assert "Organiser: UCLG Committee on Culture" in str(uclg["DESCRIPTION"])
    assert uclg.walk("VALARM"), "a deadline warns a week ahead"
    # Only the announcement a submission waits for.
    announcements = [str(v["UID"]) for v in vevents
                     if str(v["UID"]).endswith("-results@contestflow")]
    assert announcements == ["uclg-culture21-2026-results@contestflow"]
    # Past dates are left out.
    with session_scope() as session:
        later = write_calendar(session, tmp_path / "later.ics", today=dt.date(2100, 1, 1))
    assert later == []


def _uids(events: list) -> set[str]:
    return {event.uid for event in events}


def test_a_sent_submission_leaves_only_its_announcement(tmp_path: Path) -> None:
    sent = sent_submission(edition="2026")
    today = dt.date(2025, 12, 1)
    with session_scope() as session:
        open_submission(session, "iac-city-media", "2026")
        events = upcoming_events(session, today=today, lang="en")
    uids = _uids(events)
    assert "uclg-culture21-2026-application-deadline@contestflow" not in uids
    assert "uclg-culture21-2026-application-internal_due@contestflow" not in uids
    assert "uclg-culture21-2026-results@contestflow" in uids  # the result is still awaited
    assert any(uid.startswith("iac-city-media-2026-") and uid.endswith("-deadline@contestflow")
               for uid in uids)  # an open submission keeps its deadline
    assert "uclg-culture21-2028-application-deadline@contestflow" in uids  # a coming edition

    # Once its result is recorded, or the entry withdrawn, nothing of it is ahead.
    with session_scope() as session:
        transition(session, sent, "sent", "result_recorded", actor="test")
        other = open_submission(session, "iac-city-media", "2026",
                                nomination="Помним и гордимся!").id
        first = session.scalars(select(Submission.id).where(Submission.id != sent,
                                                            Submission.id != other)).one()
        transition(session, first, "draft", "withdrawn", actor="test")
        assert not [u for u in _uids(upcoming_events(session, today=today))
                    if u.startswith("uclg-culture21-2026-")]
        # One of two entries to an edition still open keeps its deadline.
        assert any(u.startswith("iac-city-media-2026-") and u.endswith("-deadline@contestflow")
                   for u in _uids(upcoming_events(session, today=today)))
        transition(session, other, "draft", "withdrawn", actor="test")
        assert not [u for u in _uids(upcoming_events(session, today=today))
                    if u.startswith("iac-city-media-2026-")]


def test_expected_dates_are_tentative_and_say_so(tmp_path: Path) -> None:
    today = dt.date(2025, 1, 1)
    with session_scope() as session:
        write_calendar(session, tmp_path / "en.ics", today=today, lang="en")
        write_calendar(session, tmp_path / "ru.ics", today=today, lang="ru")
    events = {str(v["UID"]): v for v in
              Calendar.from_ical((tmp_path / "en.ics").read_bytes()).walk("VEVENT")}
    confirmed = events["uclg-culture21-2026-application-deadline@contestflow"]
    assert str(confirmed["STATUS"]) == "CONFIRMED"
    assert "expected" not in str(confirmed["SUMMARY"])
    assert str(confirmed["URL"]) == "https://www.agenda21culture.net/es/node/6125"
    for uid in ("uclg-culture21-2028-application-deadline@contestflow",
                "uclg-culture21-2028-application-internal_due@contestflow",
                "unhabitat-scroll-2027-nomination-deadline@contestflow"):
        assert str(events[uid]["STATUS"]) == "TENTATIVE", uid
        assert str(events[uid]["SUMMARY"]).endswith("(expected, from the last cycle)"), uid
    russian = (tmp_path / "ru.ics").read_bytes().decode()
    assert "STATUS:TENTATIVE" in russian
    assert "ожидается, по прошлому циклу" in " ".join(
        str(v["SUMMARY"]) for v in Calendar.from_ical(russian).walk("VEVENT"))
    # Once confirmed from the organiser's call, the event is confirmed.
    with session_scope() as session:
        confirm_dates(session, "uclg-culture21", "2028", deadline=dt.date(2028, 3, 17),
                      source="https://www.agenda21culture.net/es/node/7000")
        events = {e.uid: e for e in upcoming_events(session, today=today, lang="en")}
    deadline = events["uclg-culture21-2028-application-deadline@contestflow"]
    assert deadline.tentative is False and deadline.day == dt.date(2028, 3, 17)
    assert deadline.url == "https://www.agenda21culture.net/es/node/7000"


LATIN_WORD = re.compile(r"\b[A-Za-z]{3,}\b")


def _words(text: str) -> str:
    return re.sub(r"https?://\S+", "", text)


def test_the_russian_calendar_is_russian_and_the_english_one_english(tmp_path: Path) -> None:
    today = dt.date(2023, 11, 1)
    with session_scope() as session:
        open_submission(session, "uclg-culture21", "2024", nomination="Казачья культура",
                        late=True)
        write_calendar(session, tmp_path / "ru.ics", today=today, lang="ru")
        write_calendar(session, tmp_path / "en.ics", today=today, lang="en")
    for lang in ("ru", "en"):
        with (tmp_path / f"{lang}.ics").open(encoding="utf-8") as handle:
            calendar = vobject.readOne(handle)  # another reader than the one that wrote it
        events = calendar.vevent_list
        assert events
        for event in events:
            text = _words(event.summary.value + "\n" + event.description.value)
            if lang == "ru":
                # Latin letters only in the organisers' own abbreviations (UCLG, IAC).
                assert not [w for w in LATIN_WORD.findall(text) if not w.isupper()], text
            else:
                assert not re.search("[А-Яа-яЁё]", text.replace("Казачья культура", "")), text
        uclg = next(e for e in events if e.uid.value.startswith("uclg-culture21-2024-short"))
        description = uclg.description.value
        if lang == "ru":
            assert "Краткая анкета" in uclg.summary.value
            assert "Заявка #1 (Казачья культура): черновик" in description
            assert "87 заявок" in description and "Организатор:" in description
        else:
            assert "Short form" in uclg.summary.value
            assert "Submission #1 (Казачья культура): draft" in description
            assert "87 bids" in description


def test_the_calendar_help_says_what_the_language_is_for() -> None:
    from typer.testing import CliRunner

    from contestflow.cli.main import app

    result = CliRunner().invoke(app, ["calendar", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Language of the events' summaries and descriptions" in result.stdout
    assert "Language of the report" not in result.stdout


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
    # The coordinator reads it in Russian, and is sent to the office's page, not to a command.
    assert f"заявка {submission_id}, uclg-culture21 2024" in messages[0].body
    assert "Записать результат" in messages[0].body
    assert messages[0].subject == "Не записан 1 результат: запишите его"
