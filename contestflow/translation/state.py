"""Where a material's translation stands: the queries that the flow, the package and the review
pages share, so they cannot disagree about what "translated" means."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contestflow.db.models import Document, Material, Segment
from schemas.contest import ContestDefinition, ContestItem

FAILED = "failed"  # Document.state when the file cannot be translated at all
DOCX_SUFFIX = ".docx"


def is_word_file(material: Material) -> bool:
    return material.filename.lower().endswith(DOCX_SUFFIX)


def translation_targets(
    definition: ContestDefinition, item: ContestItem, material: Material
) -> list[str]:
    """The languages a material must still be translated into (none if written in them)."""
    return [lang for lang in definition.target_languages(item) if lang != material.language]


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


def document_for(session: Session, material_id: int, target_lang: str) -> Document | None:
    """The newest translation of a material into ``target_lang``, if any."""
    return session.scalars(
        select(Document)
        .where(Document.material_id == material_id, Document.target_lang == target_lang)
        .order_by(Document.id.desc())
    ).first()
