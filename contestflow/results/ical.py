"""Upcoming deadlines and announcement dates as an iCalendar file for the coordinator.

One all-day event per phase deadline, per internal due date for departments (the deadline less
the contest's lead days) and per expected announcement. UIDs are stable, so importing a newer
export updates the events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from icalendar import Alarm, Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.catalog import catalog_for
from contestflow.db.models import Edition, Submission
from contestflow.results.i18n import labels
from schemas import ContestDefinition
from schemas.contest import Edition as EditionDefinition

ALARM_DAYS = {"deadline": 7, "internal_due": 2, "results_announced": 0}


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    day: dt.date
    kind: str
    summary: str
    description: str
    url: str | None = None


def _submissions_by_edition(session: Session) -> dict[tuple[str, str], list[str]]:
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    query = select(Submission, Edition).join(Edition, Submission.edition_id == Edition.id)
    for submission, edition in session.execute(query.order_by(Submission.id)):
        nomination = f" ({submission.nomination})" if submission.nomination else ""
        found[(edition.contest_id, edition.key)].append(
            f"#{submission.id}{nomination}: {submission.state}")
    return found


def _edition_events(definition: ContestDefinition, edition: EditionDefinition, lang: str,
                    submissions: list[str]) -> list[CalendarEvent]:
    words = labels(lang)
    name = definition.names.ru if lang == "ru" else definition.names.en
    details = [definition.organiser, *(f"{words['submission']} {s}" for s in submissions)]
    if edition.notes:
        details.append(edition.notes)
    base = f"{definition.id}-{edition.key}"
    events = []
    for phase in edition.phases:
        phase_name = f" — {phase.name}" if len(edition.phases) > 1 else ""
        due = phase.deadline - dt.timedelta(days=definition.internal_lead_days)
        if phase.opens_on:
            due = max(due, phase.opens_on)
        for kind, day in (("deadline", phase.deadline), ("internal_due", due)):
            events.append(CalendarEvent(
                uid=f"{base}-{phase.id}-{kind}@contestflow", day=day, kind=kind,
                summary=f"{words[kind]}: {name} {edition.key}{phase_name}",
                description="\n".join(details), url=definition.url))
    if edition.results_expected_on:
        events.append(CalendarEvent(
            uid=f"{base}-results@contestflow", day=edition.results_expected_on,
            kind="results_announced",
            summary=f"{words['results_announced']}: {name} {edition.key}",
            description="\n".join(details), url=definition.url))
    return events


def upcoming_events(session: Session, *, today: dt.date | None = None,
                    lang: str = "ru") -> list[CalendarEvent]:
    """Every deadline, internal due date and announcement from ``today`` on, by date."""
    today = today or dt.date.today()
    labels(lang)
    submissions = _submissions_by_edition(session)
    events = [
        event
        for definition in catalog_for(session)
        for edition in definition.editions
        for event in _edition_events(definition, edition, lang,
                                     submissions.get((definition.id, edition.key), []))
        if event.day >= today
    ]
    return sorted(events, key=lambda e: (e.day, e.uid))


def build_calendar(events: list[CalendarEvent], lang: str = "ru") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//contestflow//contest deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "contestflow: " + labels(lang)["deadline"].lower())
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + dt.timedelta(days=1))
        event.add("summary", item.summary)
        event.add("description", item.description)
        event.add("categories", [item.kind])
        event.add("transp", "TRANSPARENT")
        if item.url:
            event.add("url", item.url)
        if ALARM_DAYS.get(item.kind):
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", item.summary)
            alarm.add("trigger", dt.timedelta(days=-ALARM_DAYS[item.kind]))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar


def write_calendar(session: Session, path: Path, *, today: dt.date | None = None,
                   lang: str = "ru") -> list[CalendarEvent]:
    """Write the upcoming events to ``path`` (an .ics file); returns them."""
    events = upcoming_events(session, today=today, lang=lang)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build_calendar(events, lang).to_ical())
    return events
