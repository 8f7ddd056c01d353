"""Tasks of the submission flow: one per step of ``contestflow.submission.steps.STEPS``.

Each step commits in its own transaction, or does nothing. No task is cached: each reads the
database afresh, and the same call must see new state when it is made again in the same run
(with result persistence on, Prefect would otherwise serve a stale state from cache). A step
that loses a compare-and-set to another worker reports that the submission moved, so the flow
re-reads its state instead of failing.
"""

from __future__ import annotations

from prefect import Task, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE

from contestflow.assembly.approval import package_record
from contestflow.assembly.checklist import checklist_markdown
from contestflow.db import session_scope
from contestflow.lifecycle import StateConflict
from contestflow.states import SubmissionState
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.translating import TranslationJob

# Building the package reads every file from the store: a passing I/O error is worth a retry.
RETRIES = {SubmissionState.ASSEMBLING: 2}


def _run_step(submission_id: int, step: steps.Step) -> bool:
    try:
        with session_scope() as session:
            return step(session, steps.load(session, submission_id), get_store())
    except StateConflict:
        return True  # another worker moved it first: re-read and carry on from there


def _task_for(state: SubmissionState, step: steps.Step) -> Task[[int], bool]:
    def run(submission_id: int) -> bool:
        return _run_step(submission_id, step)

    return task(
        run,
        name=step.__name__.replace("_", "-"),
        cache_policy=NO_CACHE,
        retries=RETRIES.get(state, 0),
        retry_delay_seconds=2,
    )


STEP_TASKS: dict[SubmissionState, Task[[int], bool]] = {
    state: _task_for(state, step) for state, step in steps.STEPS.items()
}


@task(name="publish-checklist", cache_policy=NO_CACHE)
def publish_checklist(submission_id: int) -> str | None:
    """The package's checklist (every rule's result, in Russian) on the run that built it."""
    with session_scope(read_only=True) as session:
        record = package_record(get_store(), steps.load(session, submission_id))
    if record is None:
        return None
    create_markdown_artifact(
        key=f"package-checklist-{submission_id}", markdown=checklist_markdown(record),
        description=f"Проверка пакета заявки {submission_id} по правилам конкурса")
    return record["package"]["sha256"]


@task(name="read-state", cache_policy=NO_CACHE)
def read_state(submission_id: int) -> str:
    with session_scope(read_only=True) as session:
        return steps.load(session, submission_id).state


@task(name="list-translation-jobs", cache_policy=NO_CACHE)
def translation_jobs(submission_id: int) -> list[TranslationJob]:
    with session_scope(read_only=True) as session:
        return steps.translation_jobs(session, steps.load(session, submission_id))
