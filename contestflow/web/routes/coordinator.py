"""The coordinator's pages: every submission at a glance, one submission's requests, and the
actions on a request (accept, reopen with a comment, a new link, revoke links, download)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response

from contestflow.db import session_scope
from contestflow.db.models import Material, MaterialRequest
from contestflow.intake.requests import accept_request, reopen_and_notify
from contestflow.intake.tokens import default_expiry, mint_token, revoke_tokens
from contestflow.intake.views import all_overviews
from contestflow.materials import MaterialError
from contestflow.store import get_store
from contestflow.web.deps import Coordinator, Refused, Viewer, render

router = APIRouter(prefix="/coordinator", tags=["coordinator"])
CsrfField = Annotated[str, Form(alias="csrf_token")]


@router.get("")
def overview(request: Request, office: Viewer) -> Response:
    """Every submission: its state, deadlines and per-department progress."""
    with session_scope() as session:
        rows = all_overviews(session)
    return render(request, "coordinator/index.html", {"rows": rows, "office": office})


def _submission_of(session_request: MaterialRequest | None) -> int:
    if session_request is None:
        raise HTTPException(status_code=404, detail="no such request")
    return session_request.submission_id


@router.post("/requests/{request_id}/accept")
def accept(request_id: int, office: Coordinator, csrf_token: CsrfField = "") -> Response:
    office.check_form(csrf_token)
    with session_scope() as session:
        submission_id = _submission_of(session.get(MaterialRequest, request_id))
        try:
            accept_request(session, request_id, actor=office.person.actor)
        except MaterialError as error:
            raise Refused(409, error) from None
    return RedirectResponse(
        f"/coordinator/submissions/{submission_id}?done=accepted", status_code=303
    )


@router.post("/requests/{request_id}/reopen")
def reopen(
    request: Request,
    request_id: int,
    office: Coordinator,
    comment: Annotated[str, Form()] = "",
    csrf_token: CsrfField = "",
) -> Response:
    office.check_form(csrf_token)
    with session_scope() as session:
        submission_id = _submission_of(session.get(MaterialRequest, request_id))
        try:
            reopen_and_notify(session, request_id, comment, actor=office.person.actor)
        except MaterialError as error:
            raise Refused(422, error) from None
    request.app.state.background.deliver()
    return RedirectResponse(
        f"/coordinator/submissions/{submission_id}?done=reopened", status_code=303
    )


@router.post("/requests/{request_id}/link")
def new_link(
    request: Request, request_id: int, office: Coordinator, csrf_token: CsrfField = ""
) -> Response:
    """Mint a link to hand over by other means (a phone call, a messenger)."""
    office.check_form(csrf_token)
    from contestflow.config import get_settings
    from contestflow.db.base import utcnow

    with session_scope() as session:
        target = session.get(MaterialRequest, request_id)
        submission_id = _submission_of(target)
        assert target is not None
        expires = default_expiry(target, utcnow())
        token = mint_token(session, target, actor=office.person.actor, expires_at=expires)
    link = f"{get_settings().base_url.rstrip('/')}/intake/{request_id}?token={quote(token)}"
    return render(
        request,
        "coordinator/link.html",
        {"link": link, "expires": expires, "submission_id": submission_id},
    )


@router.post("/requests/{request_id}/revoke")
def revoke(request_id: int, office: Coordinator, csrf_token: CsrfField = "") -> Response:
    office.check_form(csrf_token)
    with session_scope() as session:
        submission_id = _submission_of(session.get(MaterialRequest, request_id))
        revoke_tokens(session, request_id, actor=office.person.actor)
    return RedirectResponse(
        f"/coordinator/submissions/{submission_id}?done=revoked", status_code=303
    )


@router.get("/materials/{material_id}")
def download(material_id: int, office: Viewer) -> Response:
    """A stored version, as an attachment under its cleaned original name."""
    with session_scope() as session:
        material = session.get(Material, material_id)
        if material is None:
            raise HTTPException(status_code=404, detail="no such material")
        digest, filename, media_type = material.sha256, material.filename, material.media_type
    return FileResponse(
        get_store().path(digest),
        media_type=media_type,
        filename=filename,
        headers={"X-Content-Type-Options": "nosniff"},
    )
