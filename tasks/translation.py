"""The translation task: one material into one language, retried on a provider's hiccup."""

from __future__ import annotations

from prefect import task

from contestflow.config import get_settings
from contestflow.store import get_store
from contestflow.submission.translating import (
    TranslationJob,
    configured_provider,
    review_dir_for,
    translate_job,
)


@task(name="translate-material", retries=2, retry_delay_seconds=5, retry_jitter_factor=0.5)
def translate_material(job: TranslationJob, mt_provider: str | None = None) -> bool:
    """True once the material has a translated document (cached: the second run does nothing)."""
    settings = get_settings()
    provider = configured_provider(mt_provider, settings)
    return translate_job(get_store(), job, provider, review_dir_for(settings, job))
