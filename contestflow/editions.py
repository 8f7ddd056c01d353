"""What the office learns about an edition after the YAML shipped, kept as edition overlays.

Two things: a coordinator confirms a phase's dates when the organiser's call appears (with its
address), and makes next cycle's edition from the last one (its dates shifted by the contest's
cycle and marked expected). Both are one overlay row per edition (contestflow.catalog lays it
over the YAML), an audit event, and the edition's row brought up to date; a confirmation also
moves the departments' due dates of the edition's open submissions, so their reminders follow.
Every refusal leaves nothing behind: all is checked before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import CatalogError, catalog_for, sync_contest
from contestflow.db.models import Edition, EditionOverlay, MaterialRequest, Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.states import FINISHED
from schemas import ContestDefinition
from schemas.contest import Edition as EditionDefinition
from schemas.contest import Phase

CYCLE_YEARS = {"yearly": 1, "biennial": 2}
# An edition's name goes into addresses (/coordinator/contests/<contest>/<edition>/…).
EDITION_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


@dataclass(frozen=True)
class ConfirmedDates:
    contest: str
    edition: str
    phase: Phase
    before: Phase
    moved_requests: int


def _definition(session: Session, contest_id: str) -> ContestDefinition:
    try:
        return catalog_for(session).get(contest_id)
    except CatalogError as error:
        raise SubmissionError(str(error)) from error


def _edition(definition: ContestDefinition, key: str) -> EditionDefinition:
    try:
        return definition.edition(key)
    except KeyError:
        raise SubmissionError(
            N_("contest %(contest)s has no edition %(edition)s (known: %(known)s)"),
            contest=definition.id, edition=key,
            known=", ".join(e.key for e in definition.editions)) from None


def _save(session: Session, definition: ContestDefinition, edition: EditionDefinition, *,
          actor: str, made_from: str | None = None, confirmed: str | None = None) -> None:
    sync_contest(session, definition)  # the contest's row, which the overlay refers to
    row = session.scalars(select(EditionOverlay).where(
        EditionOverlay.contest_id == definition.id, EditionOverlay.key == edition.key)).first()
    if row is None:
        row = EditionOverlay(contest_id=definition.id, key=edition.key, made_from=made_from,
                             confirmed_phases=[])
        session.add(row)
    row.edition = edition.model_dump(mode="json")
    if confirmed and confirmed not in row.confirmed_phases:
        row.confirmed_phases = [*row.confirmed_phases, confirmed]  # a new list: JSON is compared
    row.updated_by = actor
    session.flush()
    sync_contest(session, catalog_for(session).get(definition.id))


def _check_source(source: str) -> str:
    source = source.strip()
    if not source.startswith(("https://", "http://")) or " " in source:
        raise SubmissionError(N_("give the address of the organiser's call the dates come "
                                 "from, starting with https:// (--source)"))
    return source


def confirm_dates(
    session: Session,
    contest_id: str,
    edition_key: str,
    *,
    deadline: dt.date,
    source: str,
    phase_id: str | None = None,
    opens_on: dt.date | None = None,
    actor: str = "coordinator",
) -> ConfirmedDates:
    """Confirm one phase's dates from the organiser's call at ``source``.

    The phase's opening date stays as it was unless ``opens_on`` is given. Refused (and nothing
    changed) for an unknown edition or phase, a missing source, a deadline before the opening
    or out of order with the edition's other phases.
    """
    definition = _definition(session, contest_id)
    edition = _edition(definition, edition_key)
    if phase_id is None and len(edition.phases) > 1:
        raise SubmissionError(N_("edition %(edition)s has several phases: say which one "
                                 "(--phase %(phases)s)"), edition=edition_key,
                              phases=" | ".join(p.id for p in edition.phases))
    try:
        before = edition.phase(phase_id)
    except KeyError:
        raise SubmissionError(N_("edition %(edition)s has no phase %(phase)s (known: "
                                 "%(known)s)"), edition=edition_key, phase=phase_id,
                              known=", ".join(p.id for p in edition.phases)) from None
    source = _check_source(source)
    opening = opens_on or before.opens_on
    if opening and deadline < opening:
        raise SubmissionError(N_("the deadline %(deadline)s is before the opening date "
                                 "%(opens)s"), deadline=deadline.isoformat(),
                              opens=opening.isoformat())
    phase = before.model_copy(update={"opens_on": opening, "deadline": deadline,
                                      "status": "confirmed", "source": source})
    try:
        confirmed = EditionDefinition.model_validate({
            **edition.model_dump(),
            "phases": [(phase if p.id == before.id else p).model_dump() for p in edition.phases],
        })
    except ValidationError:
        raise SubmissionError(N_("the deadline %(deadline)s is out of order with the "
                                 "edition's other phases: %(phases)s"),
                              deadline=deadline.isoformat(), phases="; ".join(
                                  f"{p.id} {p.deadline.isoformat()}" for p in edition.phases
                                  if p.id != before.id)) from None
    _save(session, definition, confirmed, actor=actor, confirmed=phase.id)
    moved = _move_due_dates(session, catalog_for(session).get(contest_id), confirmed, phase)
    record_event(session, actor=actor, action="edition.dates_confirmed", subject_type="edition",
                 subject_id=f"{contest_id}/{edition_key}", phase=phase.id, source=source,
                 deadline=deadline.isoformat(),
                 opens_on=opening.isoformat() if opening else None,
                 was={"deadline": before.deadline.isoformat(), "status": before.status,
                      "opens_on": before.opens_on.isoformat() if before.opens_on else None},
                 moved_requests=moved)
    session.flush()
    return ConfirmedDates(contest_id, edition_key, phase, before, moved)


def _move_due_dates(session: Session, definition: ContestDefinition,
                    edition: EditionDefinition, phase: Phase) -> int:
    """The departments' due dates of the edition's open submissions, for the phase's items."""
    items = {item.id for item in definition.items_in_phase(edition, phase.id)}
    due = definition.internal_due(phase)
    requests = session.scalars(
        select(MaterialRequest).join(Submission).join(Edition)
        .where(Edition.contest_id == definition.id, Edition.key == edition.key,
               Submission.state.not_in([str(s) for s in FINISHED]),
               MaterialRequest.item_id.in_(items))
    )
    moved = 0
    for request in requests:
        if request.due_on != due:
            request.due_on = due
            moved += 1
    return moved


def _shifted(day: dt.date | None, years: int) -> dt.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def new_edition(session: Session, contest_id: str, key: str, *, made_from: str,
                actor: str = "coordinator") -> EditionDefinition:
    """Next cycle's edition, made from ``made_from``: its phases (and the expected
    announcement and publication window) shifted by the contest's cycle, every date expected.
    Nominations change between editions, so none are copied."""
    definition = _definition(session, contest_id)
    last = _edition(definition, made_from)
    key = key.strip()
    if not EDITION_KEY.match(key):
        raise SubmissionError(N_("an edition's name is 1 to 32 letters, digits, dots or "
                                 "hyphens, like 2030 or 2029-30: “%(edition)s”"), edition=key)
    if any(e.key == key for e in definition.editions):
        raise SubmissionError(N_("contest %(contest)s already has edition %(edition)s"),
                              contest=contest_id, edition=key)
    years = CYCLE_YEARS.get(definition.frequency)
    if years is None:
        raise SubmissionError(N_("contest %(contest)s is held irregularly, so its next dates "
                                 "cannot be estimated: add the edition to its definition "
                                 "file"), contest=contest_id)
    window = last.publication_window
    edition = EditionDefinition.model_validate({
        "key": key,
        "year": last.year + years,
        "phases": [{**p.model_dump(), "opens_on": _shifted(p.opens_on, years),
                    "deadline": _shifted(p.deadline, years), "status": "expected",
                    "source": None} for p in last.phases],
        "results_expected_on": _shifted(last.results_expected_on, years),
        "publication_window": (
            (_shifted(window[0], years), _shifted(window[1], years)) if window else None),
    })
    _save(session, definition, edition, actor=actor, made_from=made_from)
    record_event(session, actor=actor, action="edition.created", subject_type="edition",
                 subject_id=f"{contest_id}/{key}", made_from=made_from, years=years,
                 deadline=edition.deadline.isoformat())
    session.flush()
    return edition
