"""What is still ahead, as an iCalendar file for the coordinator.

One all-day event per phase deadline and per internal due date for departments (the deadline
less the contest's lead days) of each edition that is still to be entered or has an open
submission, and per expected announcement of an edition with a submission awaiting its result.
An edition whose submissions have all been sent or withdrawn keeps no deadline in the calendar.
Summaries and descriptions are in one language, from the catalogue. UIDs are stable, so
importing a newer export updates the events instead of duplicating them. A date the organiser
has not published (expected, from the last cycle) is a TENTATIVE event and says so in its
summary; a confirmed one is CONFIRMED, with the organiser's call as its address.
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
from contestflow.i18n import tr
from contestflow.results.i18n import labels
from contestflow.states import FINISHED, SUBMISSION_STATE_NAMES, SubmissionState
from contestflow.wording import EXPECTED_DATE
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
    # None: an announcement, whose date is never more than expected; else the phase's status
    tentative: bool | None = None


# Past these, a submission no longer waits for its announcement either.
NOT_AWAITING_RESULT = frozenset({SubmissionState.RESULT_RECORDED, SubmissionState.WITHDRAWN})


@dataclass(frozen=True)
class _Entered:
    """One submission to an edition, as the calendar describes it."""

    id: int
    nomination: str
    state: str

    def line(self, lang: str) -> str:
        nomination = f" ({self.nomination})" if self.nomination else ""
        state = tr(lang, SUBMISSION_STATE_NAMES[self.state])
        return f"{labels(lang)['submission']} #{self.id}{nomination}: {state}"


def _submissions_by_edition(session: Session) -> dict[tuple[str, str], list[_Entered]]:
    found: dict[tuple[str, str], list[_Entered]] = defaultdict(list)
    query = select(Submission, Edition).join(Edition, Submission.edition_id == Edition.id)
    for submission, edition in session.execute(query.order_by(Submission.id)):
        found[(edition.contest_id, edition.key)].append(
            _Entered(submission.id, submission.nomination or "", submission.state))
    return found


def _edition_events(definition: ContestDefinition, edition: EditionDefinition, lang: str,
                    submissions: list[_Entered]) -> list[CalendarEvent]:
    words = labels(lang)
    name = definition.names.ru if lang == "ru" else definition.names.en
    organiser = definition.organiser_ru if lang == "ru" and definition.organiser_ru \
        else definition.organiser
    notes = edition.notes_ru if lang == "ru" else edition.notes
    details = [f"{words['organiser']}: {organiser}", *(s.line(lang) for s in submissions)]
    if notes:
        details.append(notes)
    base = f"{definition.id}-{edition.key}"
    events = []
    to_enter = not submissions or any(s.state not in FINISHED for s in submissions)
    awaiting = any(s.state not in NOT_AWAITING_RESULT for s in submissions)
    for phase in edition.phases if to_enter else ():
        phase_words = phase.name_ru if lang == "ru" and phase.name_ru else phase.name
        phase_name = f" — {phase_words}" if len(edition.phases) > 1 else ""
        due = definition.internal_due(phase)
        expected = f" ({tr(lang, EXPECTED_DATE)})" if phase.expected else ""
        for kind, day in (("deadline", phase.deadline), ("internal_due", due)):
            events.append(CalendarEvent(
                uid=f"{base}-{phase.id}-{kind}@contestflow", day=day, kind=kind,
                summary=f"{words[kind]}: {name} {edition.key}{phase_name}{expected}",
                description="\n".join(details), url=phase.source or definition.url,
                tentative=phase.expected))
    if edition.results_expected_on and awaiting:
        events.append(CalendarEvent(
            uid=f"{base}-results@contestflow", day=edition.results_expected_on,
            kind="results_announced",
            summary=f"{words['results_announced']}: {name} {edition.key}",
            description="\n".join(details), url=definition.url))
    return events


def upcoming_events(session: Session, *, today: dt.date | None = None,
                    lang: str = "ru") -> list[CalendarEvent]:
    """What is ahead from ``today`` on, by date: the deadlines and internal due dates of the
    editions still to be entered or with an open submission, and the announcements that a
    submission still waits for."""
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
        if item.tentative is not None:
            event.add("status", "TENTATIVE" if item.tentative else "CONFIRMED")
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
