"""The translation task: one material into one language, retried on a provider's hiccup."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.states import State

from contestflow.config import get_settings
from contestflow.store import get_store
from contestflow.submission.translating import (
    TranslationJob,
    configured_provider,
    review_dir_for,
    translate_job,
)
from contestflow.translation.errors import TranslationError


def _worth_retrying(_task: object, _run: object, state: State) -> bool:
    """A provider's hiccup is worth another try; a document we cannot read is not."""
    try:
        state.result()
    except TranslationError:
        return False
    except Exception:
        return True
    return False


@task(
    name="translate-material",
    cache_policy=NO_CACHE,
    retries=2,
    retry_delay_seconds=5,
    retry_jitter_factor=0.5,
    retry_condition_fn=_worth_retrying,
)
def translate_material(job: TranslationJob, mt_provider: str | None = None) -> bool:
    """True once the material has a translated document (cached: the second run does nothing)."""
    settings = get_settings()
    provider = configured_provider(mt_provider, settings)
    return translate_job(get_store(), job, provider, review_dir_for(settings, job))
