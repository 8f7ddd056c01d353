"""The contests in the catalogue and their editions still to come, with the form that opens a
submission for one of them."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.requests import Request
from starlette.responses import Response

from contestflow.accounts import Permission
from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import Edition, Submission
from contestflow.identity import local_today
from contestflow.web.deps import Office, Viewer, render
from schemas.contest import ContestDefinition
from schemas.contest import Edition as EditionDefinition

router = APIRouter(prefix="/coordinator", tags=["contests"])


@dataclass(frozen=True)
class ComingEdition:
    contest: ContestDefinition
    edition: EditionDefinition
    submissions: list[tuple[int, str, str]]  # (id, nomination, state) already opened


def coming_editions(session: Session) -> list[ComingEdition]:
    """Every edition whose deadline is today or later, soonest first."""
    today = local_today()
    opened: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
    query = select(Submission, Edition).join(Edition, Submission.edition_id == Edition.id)
    for submission, edition in session.execute(query):
        opened.setdefault((edition.contest_id, edition.key), []).append(
            (submission.id, submission.nomination, submission.state))
    coming = [ComingEdition(contest, edition, opened.get((contest.id, edition.key), []))
              for contest in catalog_for(session) for edition in contest.editions
              if edition.deadline >= today]
    return sorted(coming, key=lambda c: (c.edition.deadline, c.contest.id))


@router.get("/contests")
def contests(request: Request, office: Viewer) -> Response:
    return contests_page(request, office)


def contests_page(request: Request, office: Office, *, error: str = "",
                  status: int = 200) -> Response:
    with session_scope(read_only=True) as session:
        coming = coming_editions(session)
    return render(request, "coordinator/contests.html", {
        "coming": coming, "office": office, "csrf": office.csrf, "error": error,
        "may_coordinate": office.person.may(Permission.COORDINATE)}, status=status)
