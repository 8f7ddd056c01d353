"""One submission's page and the lifecycle actions on it, each calling the core function the
CLI calls: send the requests and move on, decide on the package, send it or record how it went,
withdraw; and the downloads (the package, its checklist, the review documents)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from contestflow.accounts import Permission
from contestflow.assembly.approval import package_record
from contestflow.assembly.checklist import checklist_markdown
from contestflow.db import session_scope
from contestflow.errors import SubmissionError, said_in
from contestflow.intake.errors import AccessRefused, UploadRefused
from contestflow.lifecycle import IllegalTransition, StateConflict, get_submission
from contestflow.materials import MaterialError
from contestflow.sending import Proof, mark_sent
from contestflow.sending.by_email import send_and_deliver
from contestflow.store import get_store
from contestflow.submission.dossier import SubmissionFiles, submission_dossier, submission_files
from contestflow.submission.eligibility import confirm_statements
from contestflow.submission.nomination import Nominator, confirm_nominated
from contestflow.submission.opening import open_submission
from contestflow.submission.review import decide, withdraw
from contestflow.web.deps import (
    Coordinator,
    Office,
    Refused,
    Reviewer,
    Viewer,
    intake_tmp_dir,
    render,
)
from contestflow.web.i18n import pick_language
from contestflow.web.multipart import ReceivedFile, UploadReceiver, drain_unless_huge

router = APIRouter(prefix="/coordinator", tags=["submissions"])
CsrfField = Annotated[str, Form(alias="csrf_token")]
REFUSALS = (SubmissionError, IllegalTransition, StateConflict, MaterialError)
MAX_PROOF_BYTES = 20 * 1024 * 1024


def _page(submission_id: int, done: str) -> Response:
    return RedirectResponse(
        f"/coordinator/submissions/{submission_id}?done={done}", status_code=303
    )


def show(
    request: Request,
    office: Office,
    submission_id: int,
    *,
    done: str | None = None,
    error: str = "",
    status: int = 200,
) -> Response:
    """The submission's page; ``error`` says why the last action was not done."""
    with session_scope() as session:
        try:
            dossier = submission_dossier(session, get_store(), submission_id)
        except SubmissionError as refusal:
            raise Refused(404, refusal) from None
    return render(
        request,
        "coordinator/submission.html",
        {
            "d": dossier,
            "row": dossier.overview,
            "record": dossier.record,
            "office": office,
            "csrf": office.csrf,
            "done": done,
            "error": error,
            "may_coordinate": office.person.may(Permission.COORDINATE),
            "may_review": office.person.may(Permission.REVIEW),
        },
        status=status,
    )


def _refused(request: Request, office: Office, submission_id: int, error: Exception) -> Response:
    return show(
        request, office, submission_id, status=409, error=said_in(pick_language(request), error)
    )


@router.get("/submissions/{submission_id}")
def submission_page(
    request: Request, submission_id: int, office: Viewer, done: str | None = None
) -> Response:
    return show(request, office, submission_id, done=done)


@router.post("/submissions")
def open_page(
    request: Request,
    office: Coordinator,
    contest: Annotated[str, Form()],
    edition: Annotated[str, Form()],
    nomination: Annotated[str, Form()] = "",
    title: Annotated[str, Form()] = "",
    nominator: Annotated[str, Form()] = "",
    nominator_contact: Annotated[str, Form()] = "",
    nominator_email: Annotated[str, Form()] = "",
    nominator_language: Annotated[str, Form()] = "",
    allow_public_mt: Annotated[bool, Form()] = False,
    late: Annotated[bool, Form()] = False,
    csrf_token: CsrfField = "",
) -> Response:
    """Open a submission; its requests go out when the coordinator sends them (advance)."""
    from contestflow.web.routes.contests import contests_page

    office.check_form(csrf_token)
    try:
        with session_scope() as session:
            submission = open_submission(
                session,
                contest,
                edition,
                nomination=nomination,
                title=title,
                nominator=Nominator(nominator, nominator_contact, nominator_email,
                                    nominator_language),
                allow_public_mt_for_personal_data=allow_public_mt,
                actor=office.person.actor,
                late=late,
            )
            submission_id = submission.id
    except REFUSALS as error:
        return contests_page(
            request, office, error=said_in(pick_language(request), error), status=409
        )
    return _page(submission_id, "opened")


@router.post("/submissions/{submission_id}/advance")
def advance(
    request: Request, submission_id: int, office: Coordinator, csrf_token: CsrfField = ""
) -> Response:
    """Send the requests, or move on as far as the state allows: the flow runs on the web
    app's worker, the page says so and shows the new state when reloaded."""
    office.check_form(csrf_token)
    with session_scope(read_only=True) as session:
        try:
            get_submission(session, submission_id)
        except SubmissionError as refusal:
            raise Refused(404, refusal) from None
    background = request.app.state.background
    background.advance(submission_id)
    return _page(submission_id, "queued" if background.announces else "advancing")


@router.post("/submissions/{submission_id}/decision")
def decision(
    request: Request,
    submission_id: int,
    office: Reviewer,
    verdict: Annotated[str, Form()],
    comment: Annotated[str, Form()] = "",
    reopen: Annotated[list[int] | None, Form()] = None,
    seen_state: Annotated[str, Form()] = "in_review",
    seen_package: Annotated[str | None, Form()] = None,
    csrf_token: CsrfField = "",
) -> Response:
    """Approve or send back the package the page showed (``seen_state``, ``seen_package``):
    a decision on a page made stale by another reviewer's is refused and says why."""
    office.check_form(csrf_token)
    if verdict not in ("approve", "changes"):
        raise HTTPException(status_code=422, detail="verdict is approve or changes")
    try:
        with session_scope() as session:
            decide(
                session,
                submission_id,
                reviewer=office.person.actor,
                approve=verdict == "approve",
                comment=comment,
                reopen=reopen or [],
                seen_state=seen_state,
                seen_package=seen_package or None,
            )
    except REFUSALS as error:
        return _refused(request, office, submission_id, error)
    request.app.state.background.advance(submission_id)  # settles the decision's record
    if verdict == "changes":
        request.app.state.background.deliver()  # the departments' letters with the comment
    return _page(submission_id, "approved" if verdict == "approve" else "changes_requested")


@router.post("/submissions/{submission_id}/send")
def send(
    request: Request,
    submission_id: int,
    office: Coordinator,
    to: Annotated[str, Form()],
    cc: Annotated[str, Form()] = "",
    csrf_token: CsrfField = "",
) -> Response:
    office.check_form(csrf_token)
    copies = [address.strip() for address in cc.replace(";", ",").split(",") if address.strip()]
    try:
        send_and_deliver(submission_id, to=to, cc=copies, actor=office.person.actor)
    except REFUSALS as error:
        return _refused(request, office, submission_id, error)
    return _page(submission_id, "sent")


@router.post("/submissions/{submission_id}/sent")
async def record_sending(request: Request, submission_id: int, office: Coordinator) -> Response:
    """How the package went out by other means, with an optional proof file (streamed into
    the workspace, refused past its cap before anything is stored). The page's form is
    multipart; any other body is refused as malformed."""
    receiver: UploadReceiver | None = None
    try:
        receiver = UploadReceiver(
            request.headers.get("content-type", ""),
            intake_tmp_dir(),
            MAX_PROOF_BYTES,
            office.csrf,
            {
                "limit_mb": MAX_PROOF_BYTES // (1024 * 1024),
                "item_ru": "подтверждение",
                "item_en": "the proof",
            },
            file_field="proof",
            max_fields=5,
            field_limit=4096,
        )
        receiver.refuse_declared(request.headers.get("content-length", ""))
        form = await receiver.receive_form(request.stream())
        return await run_in_threadpool(
            _record_sending, request, office, submission_id, form.fields.get("how", ""), form.file,
            form.fields.get("note", ""))
    except AccessRefused:
        raise HTTPException(
            status_code=403, detail="the form did not come from this site"
        ) from None
    except UploadRefused as refusal:
        await drain_unless_huge(request.headers.get("content-length", ""), request.stream())
        return await run_in_threadpool(
            show,
            request,
            office,
            submission_id,
            error=refusal.message(pick_language(request)),
            status=refusal.status,
        )
    except ClientDisconnect:
        return Response(status_code=400)
    finally:
        if receiver is not None:
            receiver.discard()


def _record_sending(
    request: Request, office: Office, submission_id: int, how: str, file: ReceivedFile | None,
    note: str = "",
) -> Response:
    from contestflow.intake.filenames import check_filename

    proof = None
    if file is not None:
        stored = get_store().put_file(file.path)
        proof = Proof(check_filename(file.filename), stored.sha256, stored.size)
    try:
        with session_scope() as session:
            mark_sent(session, submission_id, actor=office.person.actor, how=how, proof=proof,
                      note=note)
    except REFUSALS as error:
        return _refused(request, office, submission_id, error)
    return _page(submission_id, "sent")


@router.post("/submissions/{submission_id}/nominated")
def nominated(
    request: Request,
    submission_id: int,
    office: Coordinator,
    on: Annotated[dt.date, Form()],
    reference: Annotated[str, Form()] = "",
    csrf_token: CsrfField = "",
) -> Response:
    """The nominating party confirmed it submitted the nomination: that is the sending."""
    office.check_form(csrf_token)
    try:
        with session_scope() as session:
            confirm_nominated(session, submission_id, on=on, reference=reference,
                              actor=office.person.actor)
    except REFUSALS as error:
        return _refused(request, office, submission_id, error)
    return _page(submission_id, "nominated")


@router.post("/submissions/{submission_id}/eligibility")
def confirm(
    request: Request,
    submission_id: int,
    office: Coordinator,
    statement: Annotated[list[int] | None, Form()] = None,
    csrf_token: CsrfField = "",
) -> Response:
    """Confirm the ticked eligibility statements (the package's checklist asks for them)."""
    office.check_form(csrf_token)
    try:
        with session_scope() as session:
            confirm_statements(
                session, get_store(), submission_id, statement or [], actor=office.person.actor
            )
    except REFUSALS as error:
        return _refused(request, office, submission_id, error)
    return _page(submission_id, "confirmed")


@router.post("/submissions/{submission_id}/withdraw")
def withdraw_page(
    request: Request,
    submission_id: int,
    office: Coordinator,
    reason: Annotated[str, Form()] = "",
    csrf_token: CsrfField = "",
) -> Response:
    office.check_form(csrf_token)
    try:
        with session_scope() as session:
            withdraw(session, submission_id, actor=office.person.actor, reason=reason)
    except REFUSALS as error:
        return _refused(request, office, submission_id, error)
    return _page(submission_id, "withdrawn")


@router.get("/submissions/{submission_id}/package")
def package_file(submission_id: int, office: Viewer) -> Response:
    """The package as the store keeps it (the one approval and sending read)."""
    with session_scope(read_only=True) as session:
        files = _files(session, submission_id)
    if files.package_sha256 is None or files.package_name is None:
        raise HTTPException(status_code=404, detail="no package yet")
    return FileResponse(
        get_store().path(files.package_sha256), media_type="application/zip",
        filename=files.package_name,
    )


@router.get("/submissions/{submission_id}/checklist")
def checklist_file(request: Request, submission_id: int, office: Viewer) -> Response:
    """The checklist as a file, in the page's language."""
    with session_scope(read_only=True) as session:
        files = _files(session, submission_id)
        record = package_record(get_store(), get_submission(session, submission_id))
    if record is None or files.package_name is None:
        raise HTTPException(status_code=404, detail="no package yet")
    name = files.package_name.removesuffix(".zip") + ".checklist.md"
    return Response(
        checklist_markdown(record, pick_language(request)).encode("utf-8"),
        media_type="text/markdown; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.get("/submissions/{submission_id}/review/{name}")
def review_file(submission_id: int, name: str, office: Viewer) -> Response:
    """A bilingual review document, by a name from the submission's own list only."""
    with session_scope(read_only=True) as session:
        files = _files(session, submission_id)
    found = next((path for path in files.review_files if path.name == name), None)
    if found is None:
        raise HTTPException(status_code=404, detail="no such review document")
    return FileResponse(
        found,
        filename=found.name,
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def _files(session: Session, submission_id: int) -> SubmissionFiles:
    try:
        return submission_files(session, submission_id)
    except SubmissionError as refusal:
        raise Refused(404, refusal) from None
