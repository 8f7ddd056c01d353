"""The organiser's shortlist between the phases of an edition, and the package prepared for an
online form: the same core functions `submission shortlist` and `submission online-form` call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import Response

from contestflow.db import session_scope
from contestflow.errors import SubmissionError
from contestflow.lifecycle import get_submission
from contestflow.store import get_store
from contestflow.submission.dossier import submission_dossier
from contestflow.submission.phases import record_shortlist
from contestflow.web.deps import Coordinator, Refused, render
from contestflow.web.routes.submissions import REFUSALS, CsrfField, _page, _refused

router = APIRouter(prefix="/coordinator", tags=["phases"])


@router.post("/submissions/{submission_id}/shortlist")
def shortlist_page(
    request: Request,
    submission_id: int,
    office: Coordinator,
    shortlisted: Annotated[str, Form()] = "",
    csrf_token: CsrfField = "",
) -> Response:
    office.check_form(csrf_token)
    try:
        with session_scope() as session:
            record_shortlist(session, submission_id, shortlisted=shortlisted == "yes",
                             actor=office.person.actor)
    except REFUSALS as error:
        return _refused(request, office, submission_id, error)
    return _page(submission_id, "shortlisted" if shortlisted == "yes" else "not_shortlisted")


@router.get("/submissions/{submission_id}/online-form")
def online_form_page(request: Request, submission_id: int, office: Coordinator) -> Response:
    """Each field's text in the form's order, to copy in; then the sending with its proof."""
    from contestflow.assembly.online_form import online_form_fields

    with session_scope() as session:
        try:
            dossier = submission_dossier(session, get_store(), submission_id)
            fields = online_form_fields(session, get_store(),
                                        get_submission(session, submission_id))
        except SubmissionError as refusal:
            raise Refused(404, refusal) from None
    return render(request, "coordinator/online_form.html", {
        "d": dossier, "submission_id": submission_id, "fields": fields, "csrf": office.csrf,
        "office": office})
