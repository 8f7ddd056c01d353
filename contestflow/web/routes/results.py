"""Results pages for the coordinator: the ledger, recording a result, the printable report.

Independent of the rest of the web app: its own templates (``templates/results``), its own
sessions (``contestflow.db.session_scope``). Every route needs the coordinator: ``coordinator_
csrf`` asks the web app's coordinator session (401 without one) and the record form echoes its
CSRF token. Include it with ``app.include_router(results.router)``.

The one other thing it shares is the intake's upload receiver (``contestflow.web.multipart``):
the record form's certificate streams to a temp file in the workspace, never the system temp
folder, and is refused at the first byte past the store's cap, before anything is stored.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from contestflow.db import session_scope
from contestflow.db.models import Department, Edition, Result, Submission
from contestflow.errors import said_in
from contestflow.i18n import N_
from contestflow.intake.errors import AccessRefused, UploadRefused
from contestflow.results.certificates import MAX_CERTIFICATE_BYTES
from contestflow.results.i18n import labels, percent
from contestflow.states import RESULT_PAGE
from contestflow.store import get_store
from contestflow.web.multipart import ReceivedFile, UploadReceiver, drain_unless_huge
from contestflow.web.sessions import CSRF_FIELD, csrf_matches

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))
TEMPLATES.env.filters["percent"] = percent
LANG_COOKIE = "cf_lang"  # the web app's remembered language choice, read only
FORM_FIELDS = ("outcome", "nomination", "department", "announced_on", "prize_amount",
               "prize_currency", "notes")
FORM_EXPIRED = "the form has expired; open it again"
MAX_FORM_FIELDS = 12  # the record form sends 8; a few to spare, never an unbounded number
FIELD_BYTES = 64 * 1024  # the notes are the longest field: pages of text, not megabytes

router = APIRouter(prefix="/results", tags=["results"])


def coordinator_csrf(request: Request) -> str:
    """The coordinator session's CSRF token; 401 without a session (the web app's check)."""
    from contestflow.web.deps import require_coordinator

    return require_coordinator(request)


def page_language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in ("ru", "en") else "ru"


def office_actor(request: Request) -> str:
    """The signed-in person, as the audit log names them."""
    from contestflow.web.deps import signed_in

    return signed_in(request).person.actor


Csrf = Annotated[str, Depends(coordinator_csrf)]
Actor = Annotated[str, Depends(office_actor)]
Lang = Annotated[str, Depends(page_language)]


def _page(request: Request, name: str, lang: str, status: int = 200, **context: Any) -> Response:
    from contestflow.web.i18n import date_text, name_of

    return TEMPLATES.TemplateResponse(request, f"results/{name}", {
        "lang": lang, "w": labels(lang), "other_lang": "en" if lang == "ru" else "ru",
        "named": lambda kind, value: name_of(lang, kind, value),
        "date": lambda day: date_text(day, lang), **context,
    }, status_code=status)


def _submissions(session: Session) -> list[dict[str, Any]]:
    query = (select(Submission, Edition).join(Edition, Submission.edition_id == Edition.id)
             .where(Submission.state.in_(RESULT_PAGE)).order_by(Submission.id.desc()))
    from contestflow.catalog import catalog_for

    catalog = catalog_for(session)
    return [{"id": s.id, "contest_id": e.contest_id, "edition": e.key,
             "contest": catalog.get(e.contest_id).names,
             "nomination": s.nomination, "state": s.state,
             "expected": e.results_expected_on} for s, e in session.execute(query)]


@router.get("", response_class=HTMLResponse)
def ledger_page(request: Request, _csrf: Csrf, lang: Lang, year_from: int | None = None,
                year_to: int | None = None, recorded: int | None = None,
                again: int | None = None, changed: int | None = None,
                removed: int | None = None) -> Response:
    """The ledger, the submissions waiting for a result, and the tallies by year."""
    from contestflow.results.summary import build_summary

    with session_scope() as session:
        try:
            summary = build_summary(session, year_from=year_from, year_to=year_to, lang=lang)
        except ValueError as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        submissions = _submissions(session)
    return _page(request, "ledger.html", lang, s=summary, total=summary.total,
                 submissions=submissions, recorded=recorded, again=again, changed=changed,
                 removed=removed, csrf=_csrf,
                 year_from=year_from, year_to=year_to)


def _form_context(session: Session, submission_id: int, lang: str) -> dict[str, Any]:
    from contestflow.catalog import definition_of
    from contestflow.errors import SubmissionError
    from contestflow.lifecycle import get_submission
    from contestflow.results.ledger import default_department

    try:
        submission = get_submission(session, submission_id)
    except SubmissionError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    definition, edition = definition_of(session, submission)
    departments = [(d.id, d.name_ru if lang == "ru" else d.name_en)
                   for d in session.scalars(select(Department).where(Department.active)
                                            .order_by(Department.id))]
    return {
        "submission": submission, "edition": edition, "definition": definition,
        "contest_name": definition.names.ru if lang == "ru" else definition.names.en,
        "outcomes": [(o.id, o.names.ru if lang == "ru" else o.names.en, o.awarded)
                     for o in definition.outcomes],
        "departments": departments, "default_department": default_department(definition),
        "recordable": submission.state in RESULT_PAGE,
    }


@router.get("/record/{submission_id}", response_class=HTMLResponse)
def record_form(request: Request, submission_id: int, csrf: Csrf, lang: Lang) -> Response:
    """The form: outcomes from the contest's own vocabulary."""
    from contestflow.results.ledger import recorded_result

    with session_scope() as session:
        context = _form_context(session, submission_id, lang)
        existing = recorded_result(session, submission_id)
        form = {} if existing is None else {  # correcting: the form shows what is recorded
            "outcome": existing.outcome, "nomination": existing.nomination,
            "department": existing.department_id or "",
            "announced_on": existing.announced_on.isoformat() if existing.announced_on else "",
            "prize_amount": "" if existing.prize_amount is None else str(existing.prize_amount),
            "prize_currency": existing.prize_currency or "", "notes": existing.notes}
    return _page(request, "record.html", lang, csrf=csrf, form=form, error=None,
                 existing=existing.id if existing else None, **context)


def _read_form_date(text: str) -> dt.date | None:
    from contestflow.results.ledger import ResultError

    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ResultError(N_("announced on “%(text)s” is not a date (YYYY-MM-DD)"),
                          text=text) from None


def _certificate_word(lang: str) -> str:
    """"Certificate or letter" without the formats in brackets, as the ledger page shows it."""
    return labels(lang)["certificate"].split(" (")[0]


def _receiver(request: Request, csrf: str) -> UploadReceiver | None:
    """The streaming receiver for a multipart form; None for any other body."""
    from contestflow.web.deps import intake_tmp_dir

    content_type = request.headers.get("content-type", "")
    if not content_type.lower().startswith("multipart/"):
        return None
    limit = {"limit_mb": MAX_CERTIFICATE_BYTES // (1024 * 1024),
             "item_ru": _certificate_word("ru"), "item_en": _certificate_word("en")}
    return UploadReceiver(content_type, intake_tmp_dir(), MAX_CERTIFICATE_BYTES, csrf, limit,
                          file_field="certificate", max_fields=MAX_FORM_FIELDS,
                          field_limit=FIELD_BYTES)


async def _urlencoded_fields(request: Request) -> dict[str, str]:
    """The fields of a form sent without a file; a body of any other type has none (as
    FastAPI's own form parsing had it). Read up to the limits the multipart form has."""
    if not request.headers.get("content-type", "").startswith(
            "application/x-www-form-urlencoded"):
        return {}
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_FIELDS * FIELD_BYTES:
            raise UploadRefused("malformed")
    pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    if len(pairs) > MAX_FORM_FIELDS:
        raise UploadRefused("malformed")
    return dict(pairs)


async def _read_form(request: Request, receiver: UploadReceiver | None, csrf: str
                     ) -> tuple[dict[str, str], ReceivedFile | None]:
    """The form's fields and its certificate (a temp file in the workspace), CSRF checked."""
    if receiver is None:
        fields = await _urlencoded_fields(request)
        if not csrf_matches(csrf, fields.get(CSRF_FIELD)):
            raise AccessRefused("csrf")
        file = None
    else:
        receiver.refuse_declared(request.headers.get("content-length", ""))
        form = await receiver.receive_form(request.stream())
        fields, file = form.fields, form.file
    if "outcome" not in fields:  # what FastAPI answered when the field was a Form() parameter
        raise RequestValidationError([{"type": "missing", "loc": ("body", "outcome"),
                                       "msg": "Field required", "input": None}])
    return fields, file


def _typed(fields: dict[str, str]) -> dict[str, str]:
    return {name: fields.get(name, "") for name in FORM_FIELDS}


def _form_again(request: Request, submission_id: int, lang: str, csrf: str,
                form: dict[str, str], error: str, status: int) -> Response:
    """The form once more, with the reason it was refused and what was typed."""
    with session_scope() as session:
        context = _form_context(session, submission_id, lang)
    return _page(request, "record.html", lang, status=status, csrf=csrf, form=form,
                 error=error, **context)


def _record(request: Request, submission_id: int, lang: str, csrf: str, actor: str,
            form: dict[str, str], file: ReceivedFile | None) -> Response:
    """Store the certificate and record the result, or show the form again saying why."""
    from contestflow.intake.filenames import check_filename
    from contestflow.results.certificates import CertificateRefused, file_chunks
    from contestflow.results.ledger import Certificate, ResultError, ResultInput, record_result

    upload = None
    if file is not None:  # the receiver refused a disguised name; this keeps the clean one
        upload = Certificate(check_filename(file.filename), file_chunks(file.path))
    try:
        with session_scope() as session:
            data = ResultInput(outcome=form["outcome"], nomination=form["nomination"],
                               department=form["department"],
                               announced_on=_read_form_date(form["announced_on"]),
                               prize_amount=form["prize_amount"],
                               prize_currency=form["prize_currency"], notes=form["notes"])
            recorded = record_result(session, submission_id, data, actor=actor,
                                     certificate=upload)
            result_id, created, changed = (recorded.result.id, recorded.created,
                                           recorded.changed)
    except (ResultError, CertificateRefused) as error:
        return _form_again(request, submission_id, lang, csrf, form, said_in(lang, error), 400)
    flag = "recorded" if created else "changed" if changed else "again"
    return RedirectResponse(f"{router.prefix}?{flag}={result_id}&lang={lang}", status_code=303)


@router.post("/record/{submission_id}", response_class=HTMLResponse)
async def record_submit(request: Request, submission_id: int, csrf: Csrf, actor: Actor,
                        lang: Lang) -> Response:
    """Record the result; a refusal shows the form again with the reason (400; 413 for a
    certificate over the cap, refused as it streams in). A wrong CSRF token is a 403."""
    receiver: UploadReceiver | None = None
    try:
        receiver = _receiver(request, csrf)
        fields, file = await _read_form(request, receiver, csrf)
        return await run_in_threadpool(_record, request, submission_id, lang, csrf, actor,
                                       _typed(fields), file)
    except AccessRefused:
        raise HTTPException(status_code=403, detail=FORM_EXPIRED) from None
    except UploadRefused as refusal:
        # Drained so that a browser still sending the body reads the answer, not a reset.
        await drain_unless_huge(request.headers.get("content-length", ""), request.stream())
        received = receiver.fields if receiver is not None else {}
        typed = _typed(received) if received else {}  # nothing arrived: the form's defaults
        return await run_in_threadpool(_form_again, request, submission_id, lang, csrf, typed,
                                       refusal.message(lang), refusal.status)
    except ClientDisconnect:  # the sender went away mid-upload: nothing kept, nobody to tell
        return Response(status_code=400)
    finally:
        if receiver is not None:
            receiver.discard()  # the temp file; an accepted certificate is in the store


@router.post("/{result_id}/remove")
def remove(result_id: int, csrf: Csrf, actor: Actor, lang: Lang,
           csrf_token: Annotated[str, Form()] = "") -> Response:
    """Remove a result recorded by mistake; the submission waits for its result again."""
    from contestflow.results.ledger import ResultError, remove_result

    if not csrf_matches(csrf, csrf_token):
        raise HTTPException(status_code=403, detail=FORM_EXPIRED)
    try:
        with session_scope() as session:
            remove_result(session, result_id, actor=actor)
    except ResultError as error:
        raise HTTPException(status_code=404, detail=str(error)) from None
    return RedirectResponse(f"{router.prefix}?removed={result_id}&lang={lang}", status_code=303)


@router.get("/{result_id}/certificate")
def certificate_file(result_id: int, _csrf: Csrf) -> Response:
    """The stored diploma or letter, with its real type."""
    from contestflow.results.certificates import certificate_kind

    with session_scope() as session:
        result = session.get(Result, result_id)
        digest = result.certificate_sha256 if result else None
    if not digest:
        raise HTTPException(status_code=404, detail=f"result {result_id} has no certificate")
    store = get_store()
    media_type, extension = certificate_kind(store, digest)
    return Response(store.path(digest).read_bytes(), media_type=media_type, headers={
        "Content-Disposition": f'attachment; filename="certificate-{result_id}.{extension}"',
        "X-Content-Type-Options": "nosniff"})


@router.get("/report", response_class=HTMLResponse)
def report_page(_csrf: Csrf, lang: Lang, year_from: int | None = None,
                year_to: int | None = None) -> Response:
    """The printable report, drawn now from the ledger (the same page as ``results report``)."""
    from contestflow.results.report import draw_charts, render_html
    from contestflow.results.summary import build_summary

    with session_scope() as session:
        try:
            summary = build_summary(session, year_from=year_from, year_to=year_to, lang=lang)
        except ValueError as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
    return HTMLResponse(render_html(summary, draw_charts(summary)))


@router.get("/calendar.ics")
def calendar_file(_csrf: Csrf, lang: Lang) -> Response:
    """Upcoming deadlines and announcement dates for the coordinator's calendar."""
    from contestflow.results.ical import build_calendar, upcoming_events

    with session_scope() as session:
        events = upcoming_events(session, lang=lang)
    return Response(build_calendar(events, lang).to_ical(), media_type="text/calendar",
                    headers={"Content-Disposition": 'attachment; filename="contests.ics"'})
