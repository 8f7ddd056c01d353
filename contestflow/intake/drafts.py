"""Last edition's approved text as a starting draft, for items that rarely change.

When a submission opens, each request for a ``reusable`` item (the city's description, the
mayor's details, memberships) is pointed at the city's last request for the same item of the
same contest whose submission was approved or sent: "this is what you sent last time: confirm
or update". Confirming makes those files this request's material: the same stored files under
new Material rows, each naming the one it repeats, audited. Its approved translation comes back
through the translation memory, segment by segment, when the submission is translated. An
upload (or new fields) in its place simply replaces the draft, as any new version does.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.db.models import Edition, Material, MaterialRequest, Submission
from contestflow.i18n import N_
from contestflow.materials import MaterialError, current_files, get_request
from contestflow.states import (
    OPEN_FOR_MATERIAL,
    WAITING_FOR_DEPARTMENT,
    RequestState,
    SubmissionState,
    state_name,
)
from contestflow.store import FileStore, get_store

# The city stood by these: what a reviewer approved, whether or not it has gone out yet.
APPROVED_OR_SENT = frozenset({SubmissionState.APPROVED, SubmissionState.SENT,
                              SubmissionState.RESULT_RECORDED})


class DraftRefused(MaterialError):
    """A draft that cannot be confirmed as asked; the message says what to do instead."""


class NoDraft(DraftRefused):
    """Nothing from last time is offered (or its files are gone): upload instead."""


class DraftAnswered(DraftRefused):
    """The request already has its material (confirmed before, or uploaded)."""


class DraftClosed(DraftRefused):
    """The submission takes no more material."""


@dataclass(frozen=True)
class Draft:
    """What a request is offered: the earlier request's files and the edition they went to."""

    request_id: int  # the earlier request
    edition: str
    files: tuple[Material, ...]

    @property
    def filenames(self) -> str:
        return ", ".join(m.filename for m in self.files)


def last_approved_request(session: Session, submission: Submission,
                          item_id: str) -> MaterialRequest | None:
    """The city's latest request for ``item_id`` in an earlier edition of the same contest whose
    submission was approved or sent, and that still has files; None if there is none."""
    edition = session.get(Edition, submission.edition_id)
    assert edition is not None
    earlier = Edition.year < edition.year
    if edition.deadline is not None:
        earlier = earlier | (Edition.deadline < edition.deadline)
    query = (
        select(MaterialRequest)
        .join(Submission, MaterialRequest.submission_id == Submission.id)
        .join(Edition, Submission.edition_id == Edition.id)
        .where(Edition.contest_id == edition.contest_id, Edition.id != edition.id, earlier,
               Submission.state.in_(APPROVED_OR_SENT), MaterialRequest.item_id == item_id)
        .order_by(Edition.year.desc(), Edition.deadline.desc().nulls_last(),
                  Submission.sent_at.desc().nulls_last(), Submission.id.desc())
    )
    return next((r for r in session.scalars(query) if current_files(r)), None)


def offer_drafts(session: Session, submission: Submission, *, actor: str) -> int:
    """Point each reusable item's request at last edition's approved material; the number of
    requests offered one. Running it again offers nothing new."""
    definition, _ = definition_of(session, submission)
    offered = 0
    for request in submission.requests:
        if request.draft_from_id is not None or not definition.item(request.item_id).reusable:
            continue
        earlier = last_approved_request(session, submission, request.item_id)
        if earlier is None:
            continue
        request.draft_from_id = earlier.id
        record_event(session, actor=actor, action="material_request.draft_offered",
                     subject_type="material_request", subject_id=request.id,
                     draft_from=earlier.id, submission=earlier.submission_id,
                     materials=[m.id for m in current_files(earlier)])
        offered += 1
    session.flush()
    return offered


def draft_for(session: Session, request: MaterialRequest) -> Draft | None:
    """The draft a request is offered, whatever its state (None if it was offered none)."""
    if request.draft_from_id is None:
        return None
    earlier = session.get(MaterialRequest, request.draft_from_id)
    if earlier is None:
        return None
    edition = session.get(Edition, earlier.submission.edition_id)
    files = tuple(current_files(earlier))
    return Draft(earlier.id, edition.key if edition else "", files) if files else None


def draft_pending(session: Session, request: MaterialRequest) -> Draft | None:
    """The draft, while the department has still to confirm or replace it."""
    if request.state not in WAITING_FOR_DEPARTMENT or current_files(request):
        return None
    return draft_for(session, request)


def confirm_draft(session: Session, request_id: int, *, actor: str,
                  store: FileStore | None = None) -> list[Material]:
    """Make the offered draft this request's material: the same stored files, new rows.

    Refused, changing nothing, when no draft is offered, when the request already has its
    material (confirmed before, or uploaded), or when the submission takes no more material.
    """
    session.execute(
        select(MaterialRequest.id).where(MaterialRequest.id == request_id).with_for_update()
    )
    request = get_request(session, request_id)
    session.refresh(request)
    submission = request.submission
    if submission.state not in OPEN_FOR_MATERIAL:
        raise DraftClosed(N_("submission %(id)s is %(state)s and takes no more material"),
                           id=submission.id, state=state_name(submission.state))
    draft = draft_for(session, request)
    if draft is None:
        raise NoDraft(N_("request %(id)s is offered no earlier material to confirm: "
                              "upload the material instead"), id=request_id)
    if request.state not in WAITING_FOR_DEPARTMENT or current_files(request):
        raise DraftAnswered(N_("request %(id)s already has its material: to change it, upload "
                              "a new version"), id=request_id)
    store = store or get_store()
    missing = [m.filename for m in draft.files if not store.exists(m.sha256)]
    if missing:
        raise NoDraft(N_("the earlier file %(files)s is no longer in the store: upload the "
                              "material instead"), files=", ".join(missing))
    latest = max((m.version for m in request.materials), default=0)
    confirmed = []
    for offset, earlier in enumerate(draft.files, start=1):
        material = Material(
            request_id=request.id, version=latest + offset, slot=earlier.slot,
            details=dict(earlier.details or {}), sha256=earlier.sha256,
            filename=earlier.filename, media_type=earlier.media_type, size=earlier.size,
            language=earlier.language, uploaded_by=actor, reused_from_id=earlier.id)
        session.add(material)
        confirmed.append(material)
    session.execute(
        update(MaterialRequest)
        .where(MaterialRequest.id == request.id,
               MaterialRequest.state.in_(WAITING_FOR_DEPARTMENT))
        .values(state=RequestState.RECEIVED)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    record_event(session, actor=actor, action="material.draft_confirmed",
                 subject_type="material_request", subject_id=request.id,
                 draft_from=draft.request_id, edition=draft.edition,
                 materials=[m.id for m in confirmed],
                 reused=[m.reused_from_id for m in confirmed],
                 sha256=[m.sha256 for m in confirmed])
    session.refresh(request)
    return confirmed
