"""Accepting one file for a material request: check it, store it, record the new version.

The order matters: nothing is recorded before the file is checked and durably stored (the store
fsyncs and renames before returning), so a refusal or a crash leaves no row pointing at a
missing or partial file, and an upload is acknowledged only after its row is committed.

Two entry points share the checks: ``accept_file`` works inside the caller's transaction (the
CLI), ``receive_upload`` opens its own short transactions (the web app, where the upload itself
may take minutes and must not hold a database lock while it streams).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from contestflow.advances import owe_advance
from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.db import session_scope
from contestflow.db.models import Material, MaterialRequest, Submission
from contestflow.intake.checks import Inspection, UploadPolicy, inspect_file
from contestflow.intake.errors import IntakeError, UploadRefused
from contestflow.intake.filenames import check_filename, visible, with_extension
from contestflow.materials import (
    MaterialError,
    NoSuchFile,
    TooManyFiles,
    current_files,
    get_request,
    record_material,
)
from contestflow.states import COLLECTING, OPEN_FOR_MATERIAL, is_missing
from contestflow.store import LocalFileStore, StoredFile, get_store

T = TypeVar("T")
ATTEMPTS = 8


@dataclass(frozen=True)
class UploadTarget:
    """The request an upload is for, and what its contest item accepts."""

    request_id: int
    submission_id: int
    department_id: str
    language: str
    policy: UploadPolicy
    open: bool
    structured: bool = False  # entered as fields on the page, never as a file
    max_files: int = 1
    files: tuple[int, ...] = ()  # the numbers of the request's current files
    file_fields: bool = False  # each file comes with details (a piece's outlet and date)


@dataclass(frozen=True)
class Accepted:
    material_id: int
    version: int
    sha256: str
    size: int
    filename: str
    media_type: str
    submission_id: int
    ready_to_advance: bool


def upload_target(session: Session, request_id: int) -> UploadTarget:
    request = get_request(session, request_id)
    submission = session.get(Submission, request.submission_id)
    assert submission is not None
    definition, _ = definition_of(session, submission)
    item = definition.item(request.item_id)
    return UploadTarget(request.id, submission.id, request.department_id, item.source_language,
                        UploadPolicy.for_item(item), submission.state in OPEN_FOR_MATERIAL,
                        item.structured, item.max_files,
                        tuple(m.slot for m in current_files(request)), bool(item.file_fields))


def check_upload(path: Path, filename: str, target: UploadTarget,
                 replace: int | None = None) -> tuple[str, Inspection]:
    """The name to keep and what the file is; ``UploadRefused`` if either is not acceptable."""
    if not target.open:
        raise UploadRefused("closed")
    if target.structured:
        raise UploadRefused("fields_only", **target.policy.titles)
    _check_place(target, replace)
    cleaned = check_filename(filename)
    inspection = inspect_file(path, target.policy)
    return with_extension(cleaned, inspection.extension), inspection


def _check_place(target: UploadTarget, replace: int | None) -> None:
    """Room for the file: the one it replaces exists, or the item takes another one."""
    if replace is not None and replace not in target.files:
        raise UploadRefused("no_such_file", number=replace, **target.policy.titles)
    if replace is None and target.max_files > 1 and len(target.files) >= target.max_files:
        raise UploadRefused("too_many_files", max_files=target.max_files,
                            **target.policy.titles)


def _refusal(error: MaterialError, target: UploadTarget, replace: int | None) -> UploadRefused:
    """What a refusal found only while recording (another upload came first) says."""
    if isinstance(error, TooManyFiles):
        return UploadRefused("too_many_files", max_files=target.max_files,
                             **target.policy.titles)
    if isinstance(error, NoSuchFile):
        return UploadRefused("no_such_file", number=replace or 0, **target.policy.titles)
    return UploadRefused("closed")  # the submission closed while the file streamed in


def accept_file(
    session: Session,
    request_id: int,
    path: Path,
    *,
    filename: str,
    language: str,
    actor: str,
    store: LocalFileStore | None = None,
    replace: int | None = None,
) -> Material:
    """Check ``path`` against the request's item, store it, and record it: another file of the
    item, or a new version of file number ``replace``."""
    target = upload_target(session, request_id)
    kept_name, inspection = check_upload(Path(path), filename, target, replace)
    stored = (store or get_store()).put_file(Path(path), max_size=target.policy.max_bytes)
    return _record(session, request_id, stored, kept_name, inspection, language, actor,
                   replace)


def receive_upload(request_id: int, path: Path, *, filename: str, actor: str,
                   store: LocalFileStore | None = None, replace: int | None = None,
                   details: dict[str, str] | None = None) -> Accepted:
    """The web's entry point: the file at ``path`` arrived; check, store and record it, with
    ``details`` (what the item records of each file, already checked) in the same transaction.

    Raises ``UploadRefused`` when the file is not accepted (the caller audits it).
    """
    target = retrying(lambda session: upload_target(session, request_id))
    kept_name, inspection = check_upload(Path(path), filename, target, replace)
    stored = (store or get_store()).put_file(Path(path), max_size=target.policy.max_bytes)

    def record(session: Session) -> Accepted:
        try:
            material = _record(session, request_id, stored, kept_name, inspection,
                               target.language, actor, replace, details)
        except UploadRefused:
            raise
        except MaterialError as error:
            raise _refusal(error, target, replace) from error
        return Accepted(material.id, material.version, stored.sha256, stored.size,
                        material.filename, material.media_type, target.submission_id,
                        owe_advance_if_ready(session, target.submission_id))

    return retrying(record)


def _record(session: Session, request_id: int, stored: StoredFile, filename: str,
            inspection: Inspection, language: str, actor: str,
            replace: int | None = None, details: dict[str, str] | None = None) -> Material:
    # Lock the request row so two uploads cannot both compute the same next version on
    # PostgreSQL; SQLite's BEGIN IMMEDIATE already lets one writer in at a time.
    session.execute(
        select(MaterialRequest.id).where(MaterialRequest.id == request_id).with_for_update()
    )
    # A new version of a piece keeps what was recorded of it unless new details come along.
    kept = {} if replace is None else next(
        (dict(m.details or {}) for m in current_files(get_request(session, request_id))
         if m.slot == replace), {})
    material = record_material(session, request_id, stored, filename=filename,
                               media_type=inspection.media_type, language=language, actor=actor,
                               replace=replace)
    if kept and not details:
        material.details = kept
    if inspection.details:
        record_event(session, actor=actor, action="material.inspected",
                     subject_type="material", subject_id=material.id, **inspection.details)
    if details:
        material.details = details
        record_event(session, actor=actor, action="material.described",
                     subject_type="material", subject_id=material.id, **details)
    return material


def ready_to_advance(session: Session, submission_id: int) -> bool:
    """Collecting (or back from review with changes requested), and no required item is
    missing: the submission flow can move it on (by the same rule, ``states.is_missing``)."""
    submission = session.get(Submission, submission_id)
    # After changes were requested the flow restarts collecting, then moves on from there.
    if submission is None or submission.state not in COLLECTING:
        return False
    session.refresh(submission)
    definition, _ = definition_of(session, submission)
    return not any(is_missing(definition.item(r.item_id).required, r.state)
                   for r in submission.requests)


def owe_advance_if_ready(session: Session, submission_id: int) -> bool:
    """``ready_to_advance``, and if so the durable record that the flow must run, written in
    the upload's own transaction: the answer 201 and the promise commit together."""
    ready = ready_to_advance(session, submission_id)
    if ready:
        owe_advance(session, submission_id, "material.accepted")
    return ready


def record_refusal(request_id: int | str, refusal: IntakeError, *, actor: str,
                   filename: str = "", size: int | None = None) -> None:
    """Write a refusal to the audit log in its own transaction (the upload itself is dropped)."""

    def write(session: Session) -> None:
        record_event(session, actor=actor, action="intake.refused",
                     subject_type="material_request", subject_id=request_id,
                     code=refusal.code, status=refusal.status,
                     filename=visible(filename)[:300],
                     size=size)

    retrying(write)


def _transient(error: Exception) -> bool:
    text = str(error).lower()
    if isinstance(error, IntegrityError):
        return "version" in text  # two uploads raced for the same version number
    return any(word in text for word in ("database is locked", "busy", "deadlock",
                                         "could not serialize"))


def retrying(work: Callable[[Session], T]) -> T:
    """Run ``work`` in its own transaction, again after a lock timeout or a lost race.

    SQLite waits up to its busy timeout for the write lock; PostgreSQL may report a deadlock.
    Neither should reach a person as an error: the work is repeated from the start. If the
    database stays busy through every attempt, the person is told to try again in a minute.
    """
    for attempt in range(ATTEMPTS):
        try:
            with session_scope() as session:
                return work(session)
        except (OperationalError, IntegrityError) as error:
            if not _transient(error):
                raise
            if attempt == ATTEMPTS - 1:
                raise UploadRefused("busy") from error
            time.sleep(0.05 * 2 ** attempt * (1 + random.random()))
    raise AssertionError("unreachable")
