"""The contests in the catalogue and their editions: those still to come, with the form that
opens a submission, the coordinator's confirmation of their dates from the organiser's call and
the next cycle's edition made from one; and the past ones, which open only as a late or
historical entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from contestflow.accounts import Permission
from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import Edition, Submission
from contestflow.editions import confirm_dates, new_edition
from contestflow.errors import SubmissionError, said_in
from contestflow.i18n import N_
from contestflow.identity import local_today
from contestflow.web.deps import Coordinator, Office, Viewer, render
from contestflow.web.i18n import pick_language
from schemas.contest import ContestDefinition
from schemas.contest import Edition as EditionDefinition

router = APIRouter(prefix="/coordinator", tags=["contests"])
CsrfField = Annotated[str, Form(alias="csrf_token")]
DONE = {"confirmed": N_("The dates are confirmed; the departments' due dates follow them."),
        "created": N_("The new edition is made; its dates are expected until confirmed.")}


@dataclass(frozen=True)
class ComingEdition:
    contest: ContestDefinition
    edition: EditionDefinition
    submissions: list[tuple[int, str, str]]  # (id, nomination, state) already opened


def _editions(session: Session) -> list[ComingEdition]:
    opened: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    query = select(Submission, Edition).join(Edition, Submission.edition_id == Edition.id)
    for submission, edition in session.execute(query):
        opened.setdefault((edition.contest_id, edition.key), []).append(
            (submission.id, submission.nomination, submission.state))
    return [ComingEdition(contest, edition, opened.get((contest.id, edition.key), []))
            for contest in catalog_for(session) for edition in contest.editions]


def coming_editions(session: Session) -> list[ComingEdition]:
    """Every edition whose deadline is today or later, soonest first."""
    today = local_today()
    return sorted((c for c in _editions(session) if c.edition.deadline >= today),
                  key=lambda c: (c.edition.deadline, c.contest.id))


def past_editions(session: Session) -> list[ComingEdition]:
    """Every edition whose deadline has passed, latest first."""
    today = local_today()
    return sorted((c for c in _editions(session) if c.edition.deadline < today),
                  key=lambda c: (c.edition.deadline, c.contest.id), reverse=True)


@router.get("/contests")
def contests(request: Request, office: Viewer, done: str | None = None) -> Response:
    return contests_page(request, office, done=done)


def contests_page(request: Request, office: Office, *, error: str = "", done: str | None = None,
                  status: int = 200) -> Response:
    with session_scope(read_only=True) as session:
        coming, past = coming_editions(session), past_editions(session)
    return render(request, "coordinator/contests.html", {
        "coming": coming, "past": past, "office": office, "csrf": office.csrf, "error": error,
        "done": DONE.get(done or ""), "today": local_today(),
        "may_coordinate": office.person.may(Permission.COORDINATE)}, status=status)


def _day(value: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise SubmissionError(N_("a date is written YYYY-MM-DD: %(value)s"), value=value
                              ) from None


@router.post("/contests/{contest_id}/{edition_key}/confirm")
def confirm(
    request: Request,
    contest_id: str,
    edition_key: str,
    office: Coordinator,
    deadline: Annotated[str, Form()] = "",
    source: Annotated[str, Form()] = "",
    phase: Annotated[str, Form()] = "",
    opens: Annotated[str, Form()] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Confirm a phase's dates from the organiser's call, as `contestflow contests confirm`."""
    office.check_form(csrf_token)
    try:
        day = _day(deadline)
        if day is None:
            raise SubmissionError(N_("give the deadline from the organiser's call"))
        with session_scope() as session:
            confirm_dates(session, contest_id, edition_key, deadline=day, opens_on=_day(opens),
                          source=source, phase_id=phase or None, actor=office.person.actor)
    except SubmissionError as error:
        return contests_page(request, office, error=said_in(pick_language(request), error),
                             status=409)
    return RedirectResponse(f"/coordinator/contests?done=confirmed#{contest_id}-{edition_key}",
                            status_code=303)


@router.post("/contests/{contest_id}/{edition_key}/new-edition")
def make_edition(
    request: Request,
    contest_id: str,
    edition_key: str,
    office: Coordinator,
    key: Annotated[str, Form()] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """Next cycle's edition from this one, as `contestflow contests new-edition`."""
    office.check_form(csrf_token)
    try:
        with session_scope() as session:
            made = new_edition(session, contest_id, key, made_from=edition_key,
                               actor=office.person.actor)
    except SubmissionError as error:
        return contests_page(request, office, error=said_in(pick_language(request), error),
                             status=409)
    return RedirectResponse(f"/coordinator/contests?done=created#{contest_id}-{made.key}",
                            status_code=303)
