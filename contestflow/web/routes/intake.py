"""A department's upload page and the upload API, both at ``/intake/{request_id}``.

GET with ``?token=`` checks the link, turns it into a session cookie and redirects to the clean
address (so the token leaves the address bar and the history). POST takes one file in the
multipart field ``file``: with ``Accept: application/json`` it answers ``201`` with
``{"material_id", "version", "sha256"}`` or a 4xx with ``{"error": "<one sentence>"}``.
A POST authorised by the session cookie must carry the page's CSRF token (``X-CSRF-Token``
header, or a ``csrf_token`` field before the file); one authorised by ``?token=`` needs none,
since a forged cross-site request cannot know the token.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from fastapi import APIRouter
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from contestflow.audit import record_event
from contestflow.db import session_scope
from contestflow.intake.accept import (
    Accepted,
    UploadTarget,
    owe_advance_if_ready,
    receive_upload,
    record_refusal,
    retrying,
    upload_target,
)
from contestflow.intake.drafts import DraftAnswered, DraftClosed, confirm_draft
from contestflow.intake.errors import AccessRefused, IntakeError, UploadRefused
from contestflow.intake.fields import check_piece, describe_file, receive_fields
from contestflow.intake.tokens import Grant, check_grant, verify_token
from contestflow.intake.views import request_page
from contestflow.materials import MaterialError, remove_file
from contestflow.web.deps import intake_tmp_dir, refusal_response, render
from contestflow.web.guessing import TooManyGuesses, guard
from contestflow.web.multipart import UploadReceiver, drain_unless_huge
from contestflow.web.sessions import (
    CSRF_FIELD,
    CSRF_HEADER,
    DepartmentSession,
    csrf_matches,
    read_department_session,
    write_department_session,
)

router = APIRouter(tags=["intake"])
T = TypeVar("T")


def _session_grant(cookie: DepartmentSession | None, request_id: int) -> Grant:
    if cookie is None:
        raise AccessRefused("no_session")
    found = cookie.grant_for(request_id)
    if found is None:
        raise AccessRefused("wrong_request")
    token_id, expires_at = found
    with session_scope() as session:
        return check_grant(session, request_id, cookie.department_id, token_id, expires_at)


def _verify_link(token: str, request_id: int) -> Grant:
    with session_scope() as session:
        grant = verify_token(session, token, request_id)
        record_event(session, actor=f"department:{grant.department_id}",
                     action="intake.link_opened", subject_type="material_request",
                     subject_id=request_id, token_id=grant.token_id)
        return grant


@router.get("/intake/{request_id}")
def show_request(request: Request, request_id: int, token: str | None = None,
                 done: int | None = None) -> Response:
    """The upload page: what is asked, the limits, the versions so far, the upload form."""
    guard(request).check(request)
    cookie = read_department_session(request)
    try:
        if token is not None:
            grant = _verify_link(token, request_id)
            if cookie is None or cookie.department_id != grant.department_id:
                cookie = DepartmentSession(grant.department_id)  # never mix two departments
            cookie.add(grant)
            # a new CSRF value with every link: one read from an earlier page (or planted
            # before the link was opened) no longer works
            cookie.renew_csrf()
            response: Response = RedirectResponse(f"/intake/{request_id}", status_code=303)
            write_department_session(response, cookie)
            return response
        _session_grant(cookie, request_id)
    except AccessRefused as refusal:
        guard(request).missed(request, refusal.code)  # counted per minute, not a row each
        return refusal_response(request, refusal)
    assert cookie is not None
    with session_scope() as session:
        page = request_page(session, request_id, cookie.grants.keys())
    return render(request, "intake/request.html",
                  {"page": page, "csrf": cookie.csrf, "done": done})


@router.get("/intake")
def list_requests(request: Request) -> Response:
    """A department's requests in this browser session (the links it opened)."""
    cookie = read_department_session(request)
    if cookie is None or not cookie.grants:
        return refusal_response(request, AccessRefused("no_session"))
    return RedirectResponse(f"/intake/{min(cookie.grants)}", status_code=303)


def _authorize_upload(request: Request, request_id: int, token: str | None
                      ) -> tuple[Grant, str | None]:
    """The grant for this upload, and the CSRF token still to be found in the form (if any)."""
    if token is not None:
        with session_scope() as session:
            return verify_token(session, token, request_id), None
    cookie = read_department_session(request)
    grant = _session_grant(cookie, request_id)
    assert cookie is not None
    header = request.headers.get(CSRF_HEADER)
    if header is not None:
        if not csrf_matches(cookie.csrf, header):
            raise AccessRefused("csrf")
        return grant, None
    return grant, cookie.csrf


def _target(request_id: int) -> UploadTarget:
    try:
        return retrying(lambda session: upload_target(session, request_id))
    except MaterialError:
        raise AccessRefused("not_found") from None


@dataclass
class _Attempt:
    """What is known about an upload so far, for the audit entry if it is refused."""

    actor: str = "anonymous"
    receiver: UploadReceiver | None = None


async def _receive(request: Request, request_id: int, token: str | None,
                   attempt: _Attempt, replace: int | None = None) -> Accepted:
    """Authorise, stream the body to a temp file, then check, store and record it."""
    grant, csrf_expected = await run_in_threadpool(_authorize_upload, request, request_id, token)
    attempt.actor = f"department:{grant.department_id}"
    target = await run_in_threadpool(_target, request_id)
    if not target.open:
        raise UploadRefused("closed")
    limit = {"limit_mb": target.policy.max_mb, **target.policy.titles}
    attempt.receiver = UploadReceiver(request.headers.get("content-type", ""), intake_tmp_dir(),
                                      target.policy.max_bytes, csrf_expected, limit)
    attempt.receiver.refuse_declared(request.headers.get("content-length", ""))
    received = await attempt.receiver.receive(request.stream())
    described = {k: v for k, v in received.fields.items() if k != CSRF_FIELD}
    details = None
    if target.file_fields and any(v.strip() for v in described.values()):
        # Checked before the file is stored: a piece outside the window leaves nothing.
        details = await run_in_threadpool(_checked_details, request_id, described)
    return await run_in_threadpool(functools.partial(
        receive_upload, request_id, received.path, filename=received.filename,
        actor=attempt.actor, replace=replace, details=details))


def _checked_details(request_id: int, values: dict[str, str]) -> dict[str, str]:
    """The details sent with a file, checked; a refusal says the file was not accepted."""
    try:
        return retrying(lambda session: check_piece(session, request_id, values))
    except UploadRefused as refusal:
        if refusal.code == "bad_fields":
            raise UploadRefused("bad_details", **refusal.params) from None
        raise


async def _refuse(request: Request, request_id: int, refusal: IntakeError,
                  attempt: _Attempt) -> Response:
    await drain_unless_huge(request.headers.get("content-length", ""), request.stream())
    receiver = attempt.receiver
    await _audit_refusal(request, request_id, refusal, actor=attempt.actor,
                         filename=receiver.filename if receiver else "",
                         size=receiver.size if receiver else None)
    return refusal_response(request, refusal, back=f"/intake/{request_id}")


async def _audit_refusal(request: Request, request_id: int, refusal: IntakeError, *,
                         actor: str, filename: str = "", size: int | None = None) -> None:
    """A refused link, session or form is counted per address and minute (and spends one of
    the address's attempts); a refused file from a department gets its own audit row."""
    if isinstance(refusal, AccessRefused):
        await run_in_threadpool(guard(request).missed, request, refusal.code)
        return
    await run_in_threadpool(functools.partial(record_refusal, request_id, refusal,
                                              actor=actor, filename=filename, size=size))


async def _check_attempts(request: Request) -> None:
    """429 for an address that has spent its attempts; the body is drained first, so the
    client reads the answer instead of a reset connection."""
    try:
        await run_in_threadpool(guard(request).check, request)
    except TooManyGuesses:
        await drain_unless_huge(request.headers.get("content-length", ""), request.stream())
        raise


@router.post("/intake/{request_id}", status_code=201)
async def upload(request: Request, request_id: int, token: str | None = None,
                 replace: int | None = None) -> Response:
    """Receive one file for the request (another file of the item, or with ``replace`` a new
    version of that file); see the module docstring for the contract."""
    await _check_attempts(request)
    attempt = _Attempt()
    try:
        accepted = await _receive(request, request_id, token, attempt, replace)
    except IntakeError as refusal:
        return await _refuse(request, request_id, refusal, attempt)
    except ClientDisconnect:  # the sender went away mid-upload: nothing kept, nobody to tell
        return Response(status_code=400)
    finally:
        if attempt.receiver is not None:
            attempt.receiver.discard()  # the temp file; what was accepted is in the store
    if accepted.ready_to_advance:
        request.app.state.background.advance(accepted.submission_id)
    return _answer(request, {"material_id": accepted.material_id, "version": accepted.version,
                             "sha256": accepted.sha256},
                   f"/intake/{request_id}?done={accepted.version}", status_code=201)


async def _department_action(request: Request, request_id: int, token: str | None,
                             work: Callable[[str, dict[str, str]], T]) -> T | Response:
    """A department's form or API call that is not an upload: authorise it (the link's token,
    or the session with its CSRF field), read its fields, run ``work(actor, values)`` off the
    event loop. A refusal is audited and answered as a page or JSON, which is returned."""
    await _check_attempts(request)
    actor = "anonymous"
    try:
        grant, csrf_expected = await run_in_threadpool(_authorize_upload, request, request_id,
                                                       token)
        actor = f"department:{grant.department_id}"
        values = await _field_values(request, csrf_expected)
        return await run_in_threadpool(work, actor, values)
    except IntakeError as refusal:
        await _audit_refusal(request, request_id, refusal, actor=actor)
        return refusal_response(request, refusal, back=f"/intake/{request_id}")


def _answer(request: Request, payload: dict[str, object], page: str,
            status_code: int = 200) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse(payload, status_code=status_code)
    return RedirectResponse(page, status_code=303)


@router.post("/intake/{request_id}/files/{slot}/remove")
async def remove(request: Request, request_id: int, slot: int,
                 token: str | None = None) -> Response:
    """Take one file out of the request (its versions stay on record)."""
    def work(actor: str, _values: dict[str, str]) -> None:
        _on_file(request_id, slot, lambda session: remove_file(session, request_id, slot,
                                                               actor=actor))

    outcome = await _department_action(request, request_id, token, work)
    if isinstance(outcome, Response):
        return outcome
    return _answer(request, {"removed": slot}, f"/intake/{request_id}")


@router.post("/intake/{request_id}/files/{slot}/details")
async def save_details(request: Request, request_id: int, slot: int,
                       token: str | None = None) -> Response:
    """What the item records of one file (a press piece's outlet, author, date, kind)."""
    def work(actor: str, values: dict[str, str]) -> None:
        _on_file(request_id, slot, lambda session: describe_file(session, request_id, slot,
                                                                 values, actor=actor))

    outcome = await _department_action(request, request_id, token, work)
    if isinstance(outcome, Response):
        return outcome
    return _answer(request, {"described": slot}, f"/intake/{request_id}")


def _on_file(request_id: int, slot: int, change: Callable[[Session], object]) -> None:
    """Change file number ``slot`` of an open request; a file that is not (or no longer)
    there is refused by its number."""
    target = _target(request_id)
    if not target.open:
        raise UploadRefused("closed")
    if slot not in target.files:
        raise UploadRefused("no_such_file", number=slot, **target.policy.titles)
    try:
        retrying(change)
    except UploadRefused:
        raise
    except MaterialError:  # another tab removed it, or the submission closed meanwhile
        raise UploadRefused("no_such_file", number=slot, **target.policy.titles) from None


@router.post("/intake/{request_id}/draft/confirm", status_code=201)
async def confirm_last_time(request: Request, request_id: int,
                            token: str | None = None) -> Response:
    """"This is what you sent last time": the department confirms it is still true, and last
    edition's approved files become this request's material (one click, audited)."""
    def work(actor: str, _values: dict[str, str]) -> tuple[int, int, bool]:
        target = _target(request_id)

        def confirm(session: Session) -> tuple[int, int, bool]:
            materials = confirm_draft(session, request_id, actor=actor)
            return (materials[-1].version, target.submission_id,
                    owe_advance_if_ready(session, target.submission_id))

        try:
            return retrying(confirm)
        except DraftClosed:
            raise UploadRefused("closed") from None
        except DraftAnswered:
            raise UploadRefused("draft_answered", **target.policy.titles) from None
        except MaterialError:
            raise UploadRefused("no_draft", **target.policy.titles) from None

    outcome = await _department_action(request, request_id, token, work)
    if isinstance(outcome, Response):
        return outcome
    version, submission_id, ready = outcome
    if ready:
        request.app.state.background.advance(submission_id)
    return _answer(request, {"confirmed": True, "version": version},
                   f"/intake/{request_id}?done={version}", status_code=201)


@router.post("/intake/{request_id}/fields", status_code=201)
async def save_fields(request: Request, request_id: int, token: str | None = None) -> Response:
    """A structured item's fields (the mayor's details…), as a form from the page or JSON."""
    outcome = await _department_action(
        request, request_id, token,
        lambda actor, values: receive_fields(request_id, values, actor=actor))
    if isinstance(outcome, Response):
        return outcome
    if outcome.ready_to_advance:
        request.app.state.background.advance(outcome.submission_id)
    return _answer(request, {"material_id": outcome.material_id, "version": outcome.version,
                             "sha256": outcome.sha256},
                   f"/intake/{request_id}?done={outcome.version}", status_code=201)


async def _field_values(request: Request, csrf_expected: str | None) -> dict[str, str]:
    if request.headers.get("content-type", "").startswith("application/json"):
        if csrf_expected is not None:  # a page posts a form; JSON comes with the link's token
            raise AccessRefused("csrf")
        try:
            body = await request.json()
        except ValueError:
            raise UploadRefused("malformed") from None
        if not isinstance(body, dict):
            raise UploadRefused("malformed")
        return {str(k): str(v) for k, v in body.items()}
    form = await request.form()
    if csrf_expected is not None and not csrf_matches(csrf_expected,
                                                      str(form.get(CSRF_FIELD, ""))):
        raise AccessRefused("csrf")
    return {k: str(v) for k, v in form.items() if k != CSRF_FIELD}

