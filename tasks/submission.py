"""Tasks of the submission flow; each step commits in its own transaction, or does nothing.

No task is cached: each reads the database afresh, and the same call must see new state when
it is made again in the same run (with result persistence on, Prefect would otherwise serve a
stale state from cache). A step that loses a compare-and-set to another worker reports that
the submission moved, so the flow re-reads its state instead of failing.
"""

from __future__ import annotations

from collections.abc import Callable

from prefect import task
from prefect.cache_policies import NO_CACHE
from sqlalchemy.orm import Session

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import Submission
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.lifecycle import StateConflict
from contestflow.submission.translating import TranslationJob

Step = Callable[[Session, Submission], bool]


def _run_step(submission_id: int, step: Step) -> bool:
    try:
        with session_scope() as session:
            return step(session, steps.load(session, submission_id))
    except StateConflict:
        return True  # another worker moved it first: re-read and carry on from there


@task(name="read-state", cache_policy=NO_CACHE)
def read_state(submission_id: int) -> str:
    with session_scope(read_only=True) as session:
        return steps.load(session, submission_id).state


@task(name="start-collecting", cache_policy=NO_CACHE)
def start_collecting(submission_id: int) -> bool:
    return _run_step(submission_id, steps.start_collecting)


@task(name="finish-collecting", cache_policy=NO_CACHE)
def finish_collecting(submission_id: int) -> bool:
    return _run_step(submission_id, steps.finish_collecting)


@task(name="list-translation-jobs", cache_policy=NO_CACHE)
def translation_jobs(submission_id: int) -> list[TranslationJob]:
    with session_scope(read_only=True) as session:
        return steps.translation_jobs(session, steps.load(session, submission_id))


@task(name="finish-translating", cache_policy=NO_CACHE)
def finish_translating(submission_id: int) -> bool:
    store = get_store()
    return _run_step(submission_id, lambda s, sub: steps.finish_translating(s, sub, store))


@task(name="assemble-package", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=2)
def assemble(submission_id: int) -> bool:
    store, out_dir = get_store(), get_settings().submission_dir(submission_id)
    return _run_step(submission_id, lambda s, sub: steps.assemble(s, sub, store, out_dir))


@task(name="restart-after-changes", cache_policy=NO_CACHE)
def restart_after_changes(submission_id: int) -> bool:
    return _run_step(submission_id, steps.restart_after_changes)
