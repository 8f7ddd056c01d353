"""Asking departments for their materials: what each request needs, and the mail that asks.

A department gets one mail per submission listing every item it owns, each with its own upload
link. Queueing goes through the outbox with a dedupe key, so running the collecting step again
queues nothing new (and mints no new links).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, object_session

from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.config import get_settings
from contestflow.db.models import (
    AuditEvent,
    Department,
    Edition,
    MaterialRequest,
    OutboxMessage,
    Submission,
)
from contestflow.intake.checks import UploadPolicy
from contestflow.intake.drafts import draft_pending
from contestflow.intake.messages import RequestSpec, SubmissionInfo, render
from contestflow.intake.tokens import current_token
from contestflow.materials import MaterialError, reopen_request
from contestflow.notify import enqueue_message
from contestflow.states import WAITING_FOR_DEPARTMENT
from schemas import ContestDefinition
from schemas.contest import ContestItem


def request_link(request: MaterialRequest) -> str:
    """``{CONTESTFLOW_BASE_URL}/intake/{request_id}?token={token}``; reuses a valid token."""
    session = object_session(request)
    if session is None:
        raise ValueError("request_link needs a request attached to a session")
    token = current_token(session, request)
    return f"{get_settings().base_url.rstrip('/')}/intake/{request.id}?token={token}"


def submission_info(session: Session, submission: Submission,
                    definition: ContestDefinition | None = None) -> SubmissionInfo:
    if definition is None:
        definition, edition = definition_of(session, submission)
    else:
        edition = session.get(Edition, submission.edition_id)
    assert edition is not None
    known = {e.key: e for e in definition.editions}.get(edition.key)
    return SubmissionInfo(submission.id, definition.names.ru, definition.names.en, edition.key,
                          submission.nomination,
                          dates_expected=bool(known and any(p.expected for p in known.phases)),
                          late_entry=submission.late_entry)


LANGUAGE_NAMES_RU = {"en": "английский", "fr": "французский", "es": "испанский", "ru": "русский"}


def _language_asked(definition: ContestDefinition, item: ContestItem) -> str:
    """The language a department writes the item in; none for photographs and recordings.

    Fields go into the form as typed, so they are asked in the language of the entry.
    """
    if item.wordless:
        return ""
    return definition.submission_language if item.structured else item.source_language


def request_spec(definition: ContestDefinition, request: MaterialRequest, *,
                 with_link: bool = False) -> RequestSpec:
    """What ``request`` asks for, in words (formats, limits, due date, guidance)."""
    item = definition.item(request.item_id)
    policy = UploadPolicy.for_item(item)
    limit = limit_en = ""
    if item.limit is not None:
        unit_ru = "слов" if item.limit.unit == "words" else "знаков"
        limit = f"не более {item.limit.max} {unit_ru}"
        limit_en = f"at most {item.limit.max} {item.limit.unit}"
        if definition.target_languages(item):
            # The organiser counts the submitted translation, which runs longer than Russian.
            language = definition.submission_language
            limit += f" в переводе ({LANGUAGE_NAMES_RU.get(language, language)})"
            limit_en += f" in the {language.upper()} translation"
    session = object_session(request)
    draft = draft_pending(session, request) if session is not None else None
    return RequestSpec(
        request_id=request.id, department_id=request.department_id, title_ru=item.title.ru,
        title_en=item.title.en, required=item.required,
        language=_language_asked(definition, item),
        formats=policy.formats_text(), max_mb=policy.max_mb, limit=limit, limit_en=limit_en,
        due_on=request.due_on, guidance=item.guidance, guidance_ru=item.guidance_ru,
        comment=request.comment,
        link=request_link(request) if with_link else "", max_files=item.max_files,
        draft_edition=draft.edition if draft else "",
        draft_files=tuple(m.filename for m in draft.files) if draft else (),
    )


def _exists(session: Session, dedupe_key: str) -> bool:
    query = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    return session.scalar(query) is not None


def mail_department(session: Session, department_id: str, kind: str, dedupe_key: str,
                    specs_for: Iterable[MaterialRequest], definition: ContestDefinition,
                    info: SubmissionInfo, **context: object) -> bool:
    """Queue one ``kind`` mail to a department about some requests; False if already queued
    or if the department has no address (recorded in the audit log for the coordinator)."""
    if _exists(session, dedupe_key):
        return False  # checked first: a repeated run must not mint links it will not send
    department = session.get(Department, department_id)
    if department is None or not department.email:
        record_event(session, actor="system", action="message.no_address",
                     subject_type="department", subject_id=department_id, kind=kind,
                     submission_id=info.id)
        return False
    specs = [request_spec(definition, request, with_link=True) for request in specs_for]
    subject, body = render(kind, "ru", info=info, specs=specs, **context)
    return enqueue_message(session, to=department.email, subject=subject, body=body,
                           dedupe_key=dedupe_key)


def notify_material_requests(session: Session, submission: Submission) -> int:
    """Send each department its open request(s) with upload links; returns mails queued."""
    definition, _ = definition_of(session, submission)
    info = submission_info(session, submission, definition)
    by_department: dict[str, list[MaterialRequest]] = defaultdict(list)
    for request in submission.requests:
        if request.state in WAITING_FOR_DEPARTMENT:
            by_department[request.department_id].append(request)
    queued = 0
    for department_id, requests in sorted(by_department.items()):
        key = f"material-request:{submission.id}:{department_id}"
        if submission.phase:  # a later phase asks the same department again
            key += f":{submission.phase}"
        queued += mail_department(session, department_id, "request", key, requests,
                                  definition, info)
    return queued


def reopen_and_notify(session: Session, request_id: int, comment: str, *, actor: str) -> bool:
    """Re-open a request with a comment and mail the department a link to send it again."""
    reopen_request(session, request_id, comment, actor=actor)
    request = session.get(MaterialRequest, request_id)
    assert request is not None
    submission = session.get(Submission, request.submission_id)
    assert submission is not None
    definition, _ = definition_of(session, submission)
    info = submission_info(session, submission, definition)
    reopened = session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "material_request.reopened",
            AuditEvent.subject_id == str(request_id))
    )
    key = f"reopened:{request_id}:{reopened}"
    return mail_department(session, request.department_id, "reopened", key, [request],
                           definition, info)


def accept_request(session: Session, request_id: int, *, actor: str) -> None:
    """The coordinator confirms a received material is what was asked for."""
    request = session.get(MaterialRequest, request_id)
    if request is None:
        raise MaterialError(f"there is no material request {request_id}")
    changed = session.execute(
        update(MaterialRequest)
        .where(MaterialRequest.id == request_id, MaterialRequest.state == "received")
        .values(state="accepted")
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if changed != 1:
        raise MaterialError(f"request {request_id} is {request.state}; only a received "
                            "material can be accepted")
    record_event(session, actor=actor, action="material_request.accepted",
                 subject_type="material_request", subject_id=request_id)
    session.flush()
