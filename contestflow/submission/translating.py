"""The translating step for one material, and applying a reviewer's work to a submission.

A material version is translated once per target language (the Document row is the cache).
Segments that neither the glossary, the memory nor MT could translate wait for a person: the
step writes a bilingual review document for them and reports the material as not done, so the
submission stays in ``translating`` until a reviewer's file is applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from contestflow.translation.mt import MTProvider

from contestflow.config import Settings
from contestflow.db import session_scope
from contestflow.db.models import Document, Material, MaterialRequest, Segment, Submission
from contestflow.store import LocalFileStore
from contestflow.submission.service import SubmissionError


@dataclass(frozen=True)
class TranslationJob:
    submission_id: int
    material_id: int
    item_id: str
    source_lang: str
    target_lang: str
    personal_data: bool
    allow_public_mt: bool


def pending_segments(session: Session, document_id: int) -> int:
    """Segments still in the source language, waiting for a human translation."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Segment)
            .where(Segment.document_id == document_id, Segment.origin == "source")
        )
        or 0
    )


def review_dir_for(settings: Settings, job: TranslationJob) -> Path:
    return settings.submission_dir(job.submission_id) / "review"


def review_path(review_dir: Path, job: TranslationJob) -> Path:
    """One file per material version and language pair; a reviewer's copy is never replaced."""
    name = f"{job.item_id}-m{job.material_id}.{job.source_lang}-{job.target_lang}.review.docx"
    return review_dir / name


def configured_provider(name: str | None, settings: Settings) -> MTProvider | None:
    """The named MT provider, with the configured address and key when it is the configured one."""
    from contestflow.translation import make_provider

    name = name or settings.mt_provider
    if name == settings.mt_provider:
        return make_provider(name, url=settings.mt_url, api_key=settings.mt_api_key)
    return make_provider(name)


def _is_complete(session: Session, store: LocalFileStore, job: TranslationJob) -> bool:
    document = session.scalars(
        select(Document).where(
            Document.material_id == job.material_id, Document.target_lang == job.target_lang
        )
    ).first()
    return bool(
        document is not None
        and document.output_sha256
        and store.exists(document.output_sha256)
        and not pending_segments(session, document.id)
    )


def translate_job(
    store: LocalFileStore,
    job: TranslationJob,
    provider: MTProvider | None,
    review_dir: Path,
    database_url: str | None = None,
) -> bool:
    """Translate ``job``'s material; True once its translation is complete.

    The run (which may wait on an MT service for minutes) reads through a read-only session,
    so it never holds SQLite's write lock; only storing the result takes a short write.
    """
    from contestflow.translation import translate_document, write_review
    from contestflow.translation.engine import persist

    with session_scope(database_url, read_only=True) as session:
        if _is_complete(session, store, job):
            return True
        material = session.get(Material, job.material_id)
        assert material is not None  # the job was made from this row
        with store.open(material.sha256) as handle:
            source = handle.read()
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
        )
    store.put_bytes(outcome.output)
    with session_scope(database_url) as session:
        persist(session, outcome, job.material_id)
    if all(record.translated for record in outcome.segments):
        return True
    path = review_path(review_dir, job)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(write_review(outcome, title=job.item_id))
    return False


def apply_submission_review(
    session: Session,
    store: LocalFileStore,
    submission_id: int,
    review: bytes,
    *,
    reviewer: str,
) -> int:
    """Apply a reviewed bilingual document to the submission's translation it was made for.

    Returns the number of segments still waiting for a human translation afterwards.
    """
    from contestflow.translation import apply_review
    from contestflow.translation.review import read_review

    source_sha256 = read_review(review).meta.get("source_sha256")
    document = session.scalars(
        select(Document)
        .join(Material, Document.material_id == Material.id)
        .join(MaterialRequest, Material.request_id == MaterialRequest.id)
        .where(
            MaterialRequest.submission_id == submission_id,
            Document.source_sha256 == source_sha256,
        )
    ).first()
    if document is None:
        raise SubmissionError(
            f"this review file belongs to no translation of submission {submission_id}"
        )
    submission = session.get(Submission, submission_id)
    assert submission is not None
    if submission.state not in ("translating", "in_review", "changes_requested", "collecting"):
        raise SubmissionError(
            f"submission {submission_id} is {submission.state}: its translations are final"
        )
    material = session.get(Material, document.material_id)
    assert material is not None
    with store.open(material.sha256) as handle:
        source = handle.read()
    outcome = apply_review(
        session, source=source, review=review, document_id=document.id, reviewer=reviewer
    )
    store.put_bytes(outcome.output)
    return pending_segments(session, document.id)
