"""Recording what departments send: a new upload is always a new version."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.db.models import Material, MaterialRequest, Submission
from contestflow.errors import Refusal
from contestflow.i18n import N_
from contestflow.lifecycle import transition_request
from contestflow.states import OPEN_FOR_MATERIAL, WAITING_FOR_DEPARTMENT, RequestState, state_name
from contestflow.store import StoredFile

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')
# Bidirectional marks and overrides: they can show "gpj.exe" as "exe.jpg".
BIDI_MARKS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


class MaterialError(Refusal, ValueError):
    """An upload that cannot be recorded; the message is for the department's staff."""


def clean_filename(name: str, fallback: str = "file") -> str:
    """A file name safe to show and to use in a package, keeping Cyrillic intact.

    Drops folders, control and bidirectional-override characters (which can disguise
    ``gpj.exe`` as ``exe.jpg``), and characters that no filesystem accepts.
    """
    name = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    name = BIDI_MARKS.sub("", name)
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name.encode("utf-8")) > 200:
        stem, dot, ext = name.rpartition(".")
        stem = stem if dot else name
        ext = ext[:10] if dot else ""
        while len((stem + "." + ext).encode("utf-8")) > 200:
            stem = stem[:-1]
        name = f"{stem}.{ext}" if ext else stem
    return name or fallback


def get_request(session: Session, request_id: int) -> MaterialRequest:
    request = session.get(MaterialRequest, request_id)
    if request is None:
        raise MaterialError(N_("there is no material request %(id)s"), id=request_id)
    return request


def _open_request(session: Session, request_id: int) -> tuple[MaterialRequest, Submission]:
    """The request and its submission, if that submission still takes material."""
    request = get_request(session, request_id)
    submission = session.get(Submission, request.submission_id)
    assert submission is not None  # a foreign key guarantees it
    if submission.state not in OPEN_FOR_MATERIAL:
        raise MaterialError(N_("submission %(id)s is %(state)s and takes no more material"),
                            id=submission.id, state=state_name(submission.state))
    return request, submission


class TooManyFiles(MaterialError):
    """The item already has as many files as it takes: replace or remove one first."""


class NoSuchFile(MaterialError):
    """The file named (by its number) to replace or remove is not one of the item's."""


def record_material(
    session: Session,
    request_id: int,
    stored: StoredFile,
    *,
    filename: str,
    media_type: str,
    language: str = "ru",
    actor: str,
    replace: int | None = None,
) -> Material:
    """Add a file to a request's material, or a new version of file number ``replace``; the
    file must already be in the store. An item that takes one file gets a new version of it."""
    request, submission = _open_request(session, request_id)
    slot = _slot_for(session, request, submission, replace)
    latest = session.scalar(
        select(func.max(Material.version)).where(Material.request_id == request_id)
    )
    material = Material(
        request_id=request_id,
        version=(latest or 0) + 1,
        slot=slot,
        sha256=stored.sha256,
        size=stored.size,
        filename=clean_filename(filename),
        media_type=media_type,
        language=language,
        uploaded_by=actor,
    )
    session.add(material)
    session.execute(
        update(MaterialRequest)
        .where(MaterialRequest.id == request_id,
               MaterialRequest.state.in_(WAITING_FOR_DEPARTMENT))
        .values(state=RequestState.RECEIVED)
        .execution_options(synchronize_session=False)
    )
    session.flush()
    record_event(
        session,
        actor=actor,
        action="material.received",
        subject_type="material_request",
        subject_id=request_id,
        material_id=material.id,
        version=material.version,
        slot=slot,
        sha256=stored.sha256,
        size=stored.size,
    )
    session.refresh(request)
    return material


def _slot_for(session: Session, request: MaterialRequest, submission: Submission,
              replace: int | None) -> int:
    """Which file an upload is: the one it replaces, the only one, or a new one at the end."""
    current = {m.slot for m in current_files(request)}
    if replace is not None:
        if replace not in current:
            raise NoSuchFile(N_("request %(id)s has no file %(number)s to replace"),
                             id=request.id, number=replace)
        return replace
    definition, _ = definition_of(session, submission)
    item = definition.item(request.item_id)
    if not item.several_files:
        return 1
    if len(current) >= item.max_files:
        raise TooManyFiles(N_("“%(item)s” takes at most %(count)s files: replace or remove one "
                              "first"), item=item.title, count=item.max_files)
    return max((m.slot for m in request.materials), default=0) + 1


def remove_file(session: Session, request_id: int, slot: int, *, actor: str) -> None:
    """Take file number ``slot`` out of the request's material (its versions stay on record).

    With no file left, the request waits for the department again.
    """
    request, _submission = _open_request(session, request_id)
    if slot not in {m.slot for m in current_files(request)}:
        raise NoSuchFile(N_("request %(id)s has no file %(number)s to remove"), id=request_id,
                         number=slot)
    session.execute(
        update(Material)
        .where(Material.request_id == request_id, Material.slot == slot)
        .values(removed=True)
        .execution_options(synchronize_session=False)
    )
    record_event(session, actor=actor, action="material.removed",
                 subject_type="material_request", subject_id=request_id, slot=slot)
    session.flush()
    session.refresh(request)
    for material in request.materials:
        session.refresh(material)
    if not current_files(request) and request.state != RequestState.PENDING:
        transition_request(session, request, RequestState.PENDING)


def reopen_request(session: Session, request_id: int, comment: str, *, actor: str) -> None:
    """Ask the department again ("the photo is too small, send a larger one")."""
    if not comment.strip():
        raise MaterialError(N_("say why the request is sent back: the department will read it"))
    request, _submission = _open_request(session, request_id)
    transition_request(session, request, RequestState.REOPENED, comment=comment.strip())
    record_event(
        session,
        actor=actor,
        action="material_request.reopened",
        subject_type="material_request",
        subject_id=request_id,
        comment=comment.strip(),
    )
    session.flush()


def current_files(request: MaterialRequest) -> list[Material]:
    """The request's files as they stand: the newest version in each slot, none removed,
    in slot order (the order they are numbered in the package)."""
    newest: dict[int, Material] = {}
    for material in request.materials:  # ordered by version
        newest[material.slot] = material
    return [m for slot, m in sorted(newest.items()) if not m.removed]


def latest_material(request: MaterialRequest) -> Material | None:
    """The most recent of the request's current files (an item that takes one: that one)."""
    files = current_files(request)
    return max(files, key=lambda m: m.version) if files else None
