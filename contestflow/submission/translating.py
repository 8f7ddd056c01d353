"""The translating step for one material: run the translation engine once, keep the result.

Idempotent: a material version already translated into the target language is not translated
again (the Document row is the cache, keyed by material and target language).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.db.models import Document, Material
from contestflow.store import LocalFileStore
from contestflow.submission.steps import TranslationJob


def translate_job(
    session: Session, store: LocalFileStore, job: TranslationJob, provider_name: str
) -> bool:
    """Translate ``job``'s material; True when a translated document exists afterwards."""
    existing = session.scalars(
        select(Document).where(
            Document.material_id == job.material_id, Document.target_lang == job.target_lang
        )
    ).first()
    if existing is not None and existing.output_sha256:
        return True
    from contestflow.translation.engine import translate_document

    material = session.get(Material, job.material_id)
    assert material is not None
    source = store.open(material.sha256).read()
    outcome = translate_document(
        session,
        source,
        source_lang=job.source_lang,
        target_lang=job.target_lang,
        provider=provider_name,
        material_id=material.id,
        personal_data=job.personal_data,
    )
    stored = store.put_bytes(outcome.output)
    document = outcome.document
    document.output_sha256 = stored.sha256
    session.flush()
    return True
