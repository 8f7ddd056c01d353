"""The translating step for one material, and applying a reviewer's work to a submission.

A material version is translated once per target language (the Document row is the cache).
Segments that neither the glossary, the memory nor MT could translate wait for a person: the
step writes a bilingual review document for them and reports the material as not done, so the
submission stays in ``translating`` until a reviewer's file is applied. A later run never
throws away what a person or an earlier run translated: it only fills segments still empty,
and only those go to the memory and MT again (text already translated is never re-sent).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.advances import owe_advance
from contestflow.config import Settings
from contestflow.db import session_scope
from contestflow.db.models import Document, Material, Segment, Submission
from contestflow.errors import SubmissionError
from contestflow.files import write_atomically
from contestflow.states import FINAL, SubmissionState
from contestflow.store import FileStore
from contestflow.submission.running import RunRecorder
from contestflow.translation.state import FAILED, document_for, pending_segments

if TYPE_CHECKING:
    from contestflow.translation.engine import TranslationOutcome
    from contestflow.translation.mt import MTProvider
    from contestflow.translation.records import TranslationProgress

@dataclass(frozen=True)
class TranslationJob:
    submission_id: int
    material_id: int
    item_id: str
    source_lang: str
    target_lang: str
    personal_data: bool
    allow_public_mt: bool


def is_settled(session: Session, store: FileStore, job: TranslationJob) -> bool:
    """Nothing more the flow can do: translated completely, or found untranslatable."""
    document = document_for(session, job.material_id, job.target_lang)
    if document is None:
        return False
    if document.state == FAILED:
        return True
    return bool(
        document.output_sha256
        and store.exists(document.output_sha256)
        and not pending_segments(session, document.id)
    )


def review_dir(settings: Settings, submission_id: int) -> Path:
    """Where a submission's bilingual review documents are written."""
    return settings.submission_dir(submission_id) / "review"


def review_dir_for(settings: Settings, job: TranslationJob) -> Path:
    return review_dir(settings, job.submission_id)


def review_path(review_dir: Path, job: TranslationJob) -> Path:
    name = f"{job.item_id}-m{job.material_id}.{job.source_lang}-{job.target_lang}.review.docx"
    return review_dir / name


def configured_provider(name: str | None, settings: Settings) -> MTProvider | None:
    """The named MT provider, with the configured address and key when it is the configured one."""
    from contestflow.translation import make_provider

    name = name or settings.mt_provider
    model = {"model": settings.mt_model} if name == "llm" else {}
    if name == settings.mt_provider:
        return make_provider(name, url=settings.mt_url, api_key=settings.mt_api_key, **model)
    return make_provider(name, **model)


def translate_job(
    store: FileStore,
    job: TranslationJob,
    provider: MTProvider | None,
    review_dir: Path,
    database_url: str | None = None,
    progress: Callable[[TranslationProgress], None] | None = None,
) -> bool:
    """Translate ``job``'s material; True once nothing more can be done automatically.

    ``progress`` hears how far the translation is (see ``TranslateOptions.progress``); the
    office reads it from ``translation_runs`` while the run is under way (``running.py``).

    The run (which may wait on an MT service for minutes) reads through a read-only session,
    so it never holds SQLite's write lock; only storing the result takes a short write.
    """
    from contestflow.translation.engine import stored_translations, translate_document
    from contestflow.translation.errors import DocumentError

    recorder = RunRecorder(job.material_id, job.source_lang, job.target_lang, database_url,
                           progress)
    try:
        with session_scope(database_url, read_only=True) as session:
            if is_settled(session, store, job):
                return True
            existing = document_for(session, job.material_id, job.target_lang)
            if existing is not None and provider is None:
                return False  # only a person can fill what the memory did not
            seen = existing.output_sha256 if existing else None
            keep = stored_translations(session, existing.id) if existing else {}
            material = session.get(Material, job.material_id)
            assert material is not None  # the job was made from this row
            source, name = store.read_bytes(material.sha256), material.filename
            try:
                outcome = translate_document(
                    session,
                    source,
                    source_lang=job.source_lang,
                    target_lang=job.target_lang,
                    provider=provider,
                    personal_data=job.personal_data,
                    allow_public_mt=job.allow_public_mt,
                    on_mt_failure="leave",
                    title=job.item_id,
                    keep=keep,
                    progress=recorder,
                )
            except DocumentError as error:
                _record_failure(job, material, str(error), database_url)
                return True
        with session_scope(database_url) as session:
            result = _save(session, store, job, outcome, seen, source)
    finally:
        if recorder.writes:  # the run is over, stored or not: no longer shown as running
            recorder.finish()
    if result is None:
        return False  # someone changed the translation meanwhile; the next run looks again
    if all(record.translated for record in result.segments):
        return True
    from contestflow.translation import write_review

    write_atomically(review_path(review_dir, job), write_review(result, title=name))
    return False


def _save(
    session: Session,
    store: FileStore,
    job: TranslationJob,
    outcome: TranslationOutcome,
    seen: str | None,
    source: bytes,
) -> TranslationOutcome | None:
    """Store a run's result: a first translation whole, a later one only into empty segments."""
    from contestflow.translation.engine import TranslationOutcome, persist
    from contestflow.translation.review import rebuild_document

    document = document_for(session, job.material_id, job.target_lang)
    if document is None:
        store.put_bytes(outcome.output)  # the file first: a row never names a missing file
        persist(session, outcome, job.material_id)
        return outcome
    if document.output_sha256 != seen:
        return None
    stored = session.scalars(
        select(Segment).where(Segment.document_id == document.id).order_by(Segment.position)
    ).all()
    for row, record in zip(stored, outcome.segments, strict=False):
        if row.origin == "source" and record.translated and row.source_text == record.source:
            row.target_text, row.origin, row.origin_detail = (
                record.target,
                record.origin,
                record.origin_detail[:120],
            )
            row.score, row.review_state = record.score, record.review_state
    session.flush()
    rebuilt = rebuild_document(session, document_id=document.id, source=source, reviewer="flow")
    store.put_bytes(rebuilt.output)
    return TranslationOutcome(
        rebuilt.output,
        rebuilt.stats,
        rebuilt.segments,
        outcome.source_sha256,
        job.source_lang,
        job.target_lang,
    )


def _record_failure(
    job: TranslationJob, material: Material, reason: str, database_url: str | None
) -> None:
    """Remember that a file cannot be translated, so the package check can say why."""
    with session_scope(database_url) as session:
        if document_for(session, job.material_id, job.target_lang) is None:
            session.add(
                Document(
                    material_id=material.id,
                    source_sha256=material.sha256,
                    source_lang=job.source_lang,
                    target_lang=job.target_lang,
                    state=FAILED,
                    stats={"error": reason},
                )
            )


def apply_submission_review(
    session: Session,
    store: FileStore,
    submission_id: int,
    review: bytes,
    *,
    reviewer: str,
) -> int:
    """Apply a reviewed bilingual document to the submission's translation it was made for.

    Only the translation of a request's latest version takes a review: a file made for a
    version that has since been replaced is refused. Returns the segments still waiting.
    """
    from contestflow.submission.translations import current_documents
    from contestflow.translation import apply_review
    from contestflow.translation.review import read_review

    store_file = read_review(review)
    document = next(
        (
            candidate
            for candidate in reversed(current_documents(session, submission_id))
            if candidate.source_sha256 == store_file.meta.get("source_sha256")
            and candidate.target_lang == store_file.target_lang
        ),
        None,
    )
    if document is None:
        raise SubmissionError(
            f"this review file belongs to no current translation of submission {submission_id}"
        )
    submission = session.get(Submission, submission_id)
    assert submission is not None
    if submission.state in FINAL:
        raise SubmissionError(
            f"submission {submission_id} is {submission.state}: its translations are final"
        )
    material = session.get(Material, document.material_id)
    assert material is not None
    source = store.read_bytes(material.sha256)
    outcome = apply_review(
        session, source=source, review=review, document_id=document.id, reviewer=reviewer
    )
    store.put_bytes(outcome.output)
    pending = pending_segments(session, document.id)
    if not pending and submission.state == SubmissionState.TRANSLATING:
        owe_advance(session, submission_id, "review.applied")  # the flow waits for this
    return pending
