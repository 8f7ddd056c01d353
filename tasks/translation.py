"""The translation task: one material into one language, retried on a provider's hiccup."""

from __future__ import annotations

from uuid import UUID

from prefect import get_run_logger, task
from prefect.artifacts import create_progress_artifact, update_progress_artifact
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
from contestflow.translation.records import TranslationProgress
from tasks.limits import hold_provider_limits

STEP = 5.0  # percent: each update is a call to the Prefect API, so not one a batch


class ProgressArtifact:
    """The task run's progress artifact, in the office's language: created at the first
    report, updated every ``STEP`` percent and at the end. A Prefect API that cannot take it
    costs the translation nothing: the run goes on without it."""

    def __init__(self, job: TranslationJob, language: str) -> None:
        self.key = f"translation-{job.material_id}-{job.target_lang}".lower()
        self.language = language
        self.artifact_id: UUID | None = None
        self.shown = -STEP
        self.broken = False

    def __call__(self, report: TranslationProgress) -> None:
        percent = report.percent
        if self.broken or (percent < 100 and percent - self.shown < STEP) or (
                percent == self.shown and self.artifact_id is not None):
            return
        description = report.describe(self.language)
        try:
            if self.artifact_id is None:
                self.artifact_id = create_progress_artifact(percent, key=self.key,
                                                            description=description)
            else:
                update_progress_artifact(self.artifact_id, percent, description=description)
        except Exception as error:  # the Prefect API, not the translation, failed
            self.broken = True
            get_run_logger().warning("progress artifact %s not updated: %s", self.key, error)
            return
        self.shown = percent


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
    hold_provider_limits()  # on a server: the provider's limit holds across all workers
    return translate_job(get_store(), job, provider, review_dir_for(settings, job),
                         progress=ProgressArtifact(job, settings.language))
