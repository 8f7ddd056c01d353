"""Tasks of the submission flow; each step commits in its own transaction, or does nothing."""

from __future__ import annotations

from prefect import task

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.steps import TranslationJob


@task(name="read-state")
def read_state(submission_id: int) -> str:
    with session_scope() as session:
        return steps.load(session, submission_id).state


@task(name="start-collecting")
def start_collecting(submission_id: int) -> bool:
    with session_scope() as session:
        return steps.start_collecting(session, steps.load(session, submission_id))


@task(name="finish-collecting")
def finish_collecting(submission_id: int) -> bool:
    with session_scope() as session:
        return steps.finish_collecting(session, steps.load(session, submission_id))


@task(name="list-translation-jobs")
def translation_jobs(submission_id: int) -> list[TranslationJob]:
    with session_scope() as session:
        return steps.translation_jobs(session, steps.load(session, submission_id))


@task(name="finish-translating")
def finish_translating(submission_id: int, done: bool) -> bool:
    with session_scope() as session:
        return steps.finish_translating(session, steps.load(session, submission_id), done)


@task(name="assemble-package", retries=2, retry_delay_seconds=2)
def assemble(submission_id: int) -> bool:
    with session_scope() as session:
        return steps.assemble(
            session,
            steps.load(session, submission_id),
            get_store(),
            get_settings().submission_dir(submission_id),
        )


@task(name="restart-after-changes")
def restart_after_changes(submission_id: int) -> bool:
    with session_scope() as session:
        return steps.restart_after_changes(session, steps.load(session, submission_id))
