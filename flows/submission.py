"""The submission flow: move one submission as far as its state allows, then stop.

Run it again whenever something happens (an upload completes, a reviewer decides, a schedule
ticks). It never waits for people inside a run: a submission may wait weeks for a department.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, unmapped
from prefect.runtime import deployment
from prefect.task_runners import ThreadPoolTaskRunner

from contestflow.advances import advance_now, one_run_at_a_time
from contestflow.states import SubmissionState
from tasks import submission as steps
from tasks.notify import deliver_outbox
from tasks.translation import translate_material

MAX_STEPS = 12  # more than the lifecycle has states: a guard against a loop, never reached


def _advance_once(submission_id: int, state: str, mt_provider: str | None) -> bool:
    """Do what ``state`` allows; True when the submission moved on."""
    step = steps.STEP_TASKS.get(SubmissionState(state))
    if step is None:
        return False  # a person decides next
    if state == SubmissionState.TRANSLATING:
        jobs = steps.translation_jobs(submission_id)
        futures = translate_material.map(jobs, mt_provider=unmapped(mt_provider))
        [future.result() for future in futures]  # wait for every one; none is cancelled
    moved = step(submission_id)
    if moved and state == SubmissionState.ASSEMBLING:
        steps.publish_checklist(submission_id)
    return moved


# Materials are translated a few at a time: each run already sends its MT requests
# concurrently, and an unbounded pool would hit the provider with every document at once.
@flow(name="advance-submission", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=3))
def advance_submission(submission_id: int, mt_provider: str | None = None) -> str:
    """Advance one submission as far as its state allows; returns the state it waits in.

    ``mt_provider`` overrides CONTESTFLOW_MT_PROVIDER for this run ("none": memory only; ""
    as unset, which is what an event without one asks for).
    """
    provider = mt_provider or None
    if deployment.get_id() is None:
        # In-process: the caller (web app, CLI) settles the owed records around this run.
        return _advance(submission_id, provider)
    # A deployment run on a server's worker, started by an event's trigger or by hand: it
    # settles what was owed itself, and waits while another run (another worker) holds the
    # same submission, so two triggers close together never step on each other.
    with one_run_at_a_time(submission_id):
        return advance_now(lambda sid: _advance(sid, provider), submission_id)


def _advance(submission_id: int, mt_provider: str | None) -> str:
    logger = get_run_logger()
    for _ in range(MAX_STEPS):
        state = steps.read_state(submission_id)
        if not _advance_once(submission_id, state, mt_provider):
            logger.info("submission %s waits in state %s", submission_id, state)
            # Mail queued by the steps (requests to departments) goes out now; what fails
            # stays queued for the reminders flow to retry.
            deliver_outbox.with_options(retries=0)()
            return state
    raise RuntimeError(f"submission {submission_id} did not settle in {MAX_STEPS} steps")


@flow(name="advance-pending", log_prints=False)
def advance_pending_submissions() -> list[int]:
    """Ask again for every submission still owed a run (server mode): an event lost while the
    server was down, a run that crashed with its worker; returns the ids asked for.

    It only asks (an event each): the triggered run settles the records, as it does for the
    first event, so a record is settled in one place whichever event started the run.
    """
    from contestflow.advances import pending_submissions
    from contestflow.db import session_scope
    from flows.events import announce

    with session_scope(read_only=True) as session:
        owed = sorted(pending_submissions(session))
    for submission_id in owed:
        announce(submission_id)
    get_run_logger().info("asked again for submissions %s", owed)
    return owed
