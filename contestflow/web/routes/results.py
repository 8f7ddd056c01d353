"""Results pages for the coordinator: the ledger, recording a result, the printable report.

Independent of the rest of the web app: its own templates (``templates/results``), its own
sessions (``contestflow.db.session_scope``). Every route needs the coordinator: ``coordinator_
csrf`` asks the web app's coordinator session (401 without one) and the record form echoes its
CSRF token. Include it with ``app.include_router(results.router)``.
"""

from __future__ import annotations

import datetime as dt
import hmac
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.db import session_scope
from contestflow.db.models import Department, Edition, Result, Submission
from contestflow.results.i18n import labels, percent
from contestflow.store import CHUNK_SIZE, get_store

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))
TEMPLATES.env.filters["percent"] = percent
LANG_COOKIE = "cf_lang"  # the web app's remembered language choice, read only
RECORDABLE = ("sent", "result_recorded", "withdrawn")

router = APIRouter(prefix="/results", tags=["results"])


def coordinator_csrf(request: Request) -> str:
    """The coordinator session's CSRF token; 401 without a session (the web app's check)."""
    from contestflow.web.deps import require_coordinator

    return require_coordinator(request)


def page_language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return asked if asked in ("ru", "en") else "ru"


Csrf = Annotated[str, Depends(coordinator_csrf)]
Lang = Annotated[str, Depends(page_language)]


def _page(request: Request, name: str, lang: str, status: int = 200, **context: Any) -> Response:
    return TEMPLATES.TemplateResponse(request, f"results/{name}", {
        "lang": lang, "w": labels(lang), "other_lang": "en" if lang == "ru" else "ru", **context,
    }, status_code=status)


def _submissions(session: Session) -> list[dict[str, Any]]:
    query = (select(Submission, Edition).join(Edition, Submission.edition_id == Edition.id)
             .where(Submission.state.in_(RECORDABLE)).order_by(Submission.id.desc()))
    return [{"id": s.id, "contest_id": e.contest_id, "edition": e.key,
             "nomination": s.nomination, "state": s.state,
             "expected": e.results_expected_on} for s, e in session.execute(query)]


@router.get("", response_class=HTMLResponse)
def ledger_page(request: Request, _csrf: Csrf, lang: Lang, year_from: int | None = None,
                year_to: int | None = None, recorded: int | None = None,
                again: int | None = None) -> Response:
    """The ledger, the submissions waiting for a result, and the tallies by year."""
    from contestflow.results.summary import build_summary

    with session_scope() as session:
        try:
            summary = build_summary(session, year_from=year_from, year_to=year_to, lang=lang)
        except ValueError as error:
            raise HTTPException(status_code=400, detail=str(error)) from None
        submissions = _submissions(session)
    return _page(request, "ledger.html", lang, s=summary, total=summary.total,
                 submissions=submissions, recorded=recorded, again=again,
                 year_from=year_from, year_to=year_to)


def _form_context(session: Session, submission_id: int, lang: str) -> dict[str, Any]:
    from contestflow.results.ledger import default_department
    from contestflow.submission.service import SubmissionError, definition_of, get_submission

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
        "recordable": submission.state in RECORDABLE,
    }


@router.get("/record/{submission_id}", response_class=HTMLResponse)
def record_form(request: Request, submission_id: int, csrf: Csrf, lang: Lang) -> Response:
    """The form: outcomes from the contest's own vocabulary."""
    with session_scope() as session:
        context = _form_context(session, submission_id, lang)
    return _page(request, "record.html", lang, csrf=csrf, form={}, error=None, **context)


def _read_form_date(text: str) -> dt.date | None:
    from contestflow.results.ledger import ResultError

    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ResultError(f"announced on {text!r} is not a date (YYYY-MM-DD)") from None


@router.post("/record/{submission_id}", response_class=HTMLResponse)
def record_submit(
    request: Request,
    submission_id: int,
    csrf: Csrf,
    lang: Lang,
    outcome: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    nomination: Annotated[str, Form()] = "",
    department: Annotated[str, Form()] = "",
    announced_on: Annotated[str, Form()] = "",
    prize_amount: Annotated[str, Form()] = "",
    prize_currency: Annotated[str, Form()] = "",
    notes: Annotated[str, Form()] = "",
    certificate: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Record the result; a refusal shows the form again with the reason (400)."""
    from contestflow.results.certificates import CertificateRefused
    from contestflow.results.ledger import Certificate, ResultError, ResultInput, record_result

    if not hmac.compare_digest(csrf.encode(), csrf_token.encode()):
        raise HTTPException(status_code=403, detail="the form has expired; open it again")
    form = {"outcome": outcome, "nomination": nomination, "department": department,
            "announced_on": announced_on, "prize_amount": prize_amount,
            "prize_currency": prize_currency, "notes": notes}
    upload = None
    if certificate is not None and certificate.filename:
        stream = certificate.file
        upload = Certificate(Path(certificate.filename).name,
                             iter(lambda: stream.read(CHUNK_SIZE), b""))
    try:
        with session_scope() as session:
            data = ResultInput(outcome=outcome, nomination=nomination, department=department,
                               announced_on=_read_form_date(announced_on),
                               prize_amount=prize_amount, prize_currency=prize_currency,
                               notes=notes)
            recorded = record_result(session, submission_id, data, actor="coordinator",
                                     certificate=upload)
            result_id, created = recorded.result.id, recorded.created
    except (ResultError, CertificateRefused) as error:
        with session_scope() as session:
            context = _form_context(session, submission_id, lang)
        return _page(request, "record.html", lang, status=400, csrf=csrf, form=form,
                     error=str(error), **context)
    flag = "recorded" if created else "again"
    return RedirectResponse(f"{router.prefix}?{flag}={result_id}&lang={lang}", status_code=303)


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
