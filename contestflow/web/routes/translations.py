"""The translation review pages: a submission's translations, and one translation's segments
side by side with their origin, QA flags and an editable target.

A page shows at most ``PAGE_SIZE`` segments, so one save stays a small form whatever the size
of the document; rows not on the page keep what is stored.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, HTTPException
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from contestflow.accounts import Permission
from contestflow.db import session_scope
from contestflow.errors import SubmissionError, said_in
from contestflow.store import get_store
from contestflow.submission.translations import (
    SegmentRow,
    StaleTranslation,
    TranslationPage,
    save_segment_edits,
    submission_translations,
    translation_page,
)
from contestflow.translation.errors import ReviewError
from contestflow.translation.review import SegmentEdit
from contestflow.web.deps import Office, Refused, Reviewer, Viewer, render
from contestflow.web.i18n import pick_language

router = APIRouter(prefix="/coordinator", tags=["translation review"])
PAGE_SIZE = 100
# Three fields per row plus a few for the form itself, with room to spare.
MAX_FORM_FIELDS = PAGE_SIZE * 3 + 20


@router.get("/submissions/{submission_id}/translations")
def translations(request: Request, submission_id: int, office: Viewer) -> Response:
    with session_scope(read_only=True) as session:
        try:
            rows = submission_translations(session, submission_id)
        except SubmissionError as error:
            raise Refused(404, error) from None
    return render(request, "coordinator/translations.html",
                  {"rows": rows, "submission_id": submission_id, "office": office})


@router.get("/translations/{document_id}")
def translation(request: Request, document_id: int, office: Viewer, page: int = 1,
                attention: bool = False, done: str | None = None) -> Response:
    with session_scope(read_only=True) as session:
        view = _load(session, document_id)
    return _render_page(request, view, office, page=page, attention=attention, done=done)


@router.post("/translations/{document_id}")
async def save(request: Request, document_id: int, office: Reviewer) -> Response:
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=0)
    office.check_form(str(form.get("csrf_token", "")))
    edits = _edits_from(form)
    page, attention = _int(form.get("page"), 1) or 1, bool(form.get("attention"))
    try:
        with session_scope() as session:
            summary = save_segment_edits(session, get_store(), document_id, edits,
                                         seen_version=str(form.get("version", "")),
                                         reviewer=office.person.actor)
    except (SubmissionError, ReviewError) as error:
        with session_scope(read_only=True) as session:
            view = _load(session, document_id)
        if not isinstance(error, StaleTranslation):
            # Nothing was saved; the reviewer's typing is shown again rather than lost. After
            # someone else's save it is not: saving it again would undo their work unseen.
            view.rows = [_with_edit(row, edits.get(row.position)) for row in view.rows]
        return _render_page(request, view, office, page=page, attention=attention, done=None,
                            error=said_in(pick_language(request), error),
                            status=409 if isinstance(error, StaleTranslation) else 422)
    if not summary.untranslated:
        # The flow waits in "translating" for exactly this; it moves on by itself.
        request.app.state.background.advance(summary.submission_id)
    query = f"page={page}&done=saved" + ("&attention=true" if attention else "")
    return RedirectResponse(f"/coordinator/translations/{document_id}?{query}", status_code=303)


def _load(session: Any, document_id: int) -> TranslationPage:
    try:
        return translation_page(session, document_id)
    except SubmissionError as error:
        raise Refused(404, error) from None


def _render_page(request: Request, view: TranslationPage, office: Office, *, page: int,
                 attention: bool, done: str | None, error: str = "",
                 status: int = 200) -> Response:
    rows = [row for row in view.rows if row.needs_attention] if attention else view.rows
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(max(page, 1), pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    return render(request, "coordinator/translation.html", {
        "view": view, "summary": view.summary, "rows": shown, "csrf": office.csrf, "page": page,
        "office": office, "may_review": office.person.may(Permission.REVIEW),
        "pages": pages, "attention": attention, "done": done, "error": error,
    }, status=status)


def _with_edit(row: SegmentRow, edit: SegmentEdit | None) -> SegmentRow:
    if edit is None:
        return row
    state = "approved" if edit.state == "approved" else row.review_state
    return replace(row, target=edit.target, comment=edit.comment, review_state=state)


def _edits_from(form: FormData) -> dict[int, SegmentEdit]:
    """One edit per row on the page: ``target-N``, ``comment-N`` and the ``approve-N`` box."""
    edits: dict[int, SegmentEdit] = {}
    for key, value in form.multi_items():
        if not key.startswith("target-"):
            continue
        position = _int(key.removeprefix("target-"), None)
        if position is None:
            raise HTTPException(status_code=422, detail=f"the form has an unknown field {key}")
        state = "approved" if form.get(f"approve-{position}") else ""
        edits[position] = SegmentEdit(str(value), state, str(form.get(f"comment-{position}", "")))
    return edits


def _int(value: Any, default: int | None) -> int | None:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return default
