"""The submission flow: move one submission as far as its state allows, then stop.

Run it again whenever something happens (an upload completes, a reviewer decides, a schedule
ticks). It never waits for people inside a run: a submission may wait weeks for a department.
"""

from __future__ import annotations

from prefect import flow, get_run_logger, unmapped

from tasks import submission as steps
from tasks.translation import translate_material

MAX_STEPS = 12  # more than the lifecycle has states: a guard against a loop, never reached


@flow(name="advance-submission", log_prints=False)
def advance_submission(submission_id: int, mt_provider: str = "none") -> str:
    """Advance one submission; returns the state it was left in."""
    logger = get_run_logger()
    for _ in range(MAX_STEPS):
        state = steps.read_state(submission_id)
        if state == "draft":
            moved = steps.start_collecting(submission_id)
        elif state == "collecting":
            moved = steps.finish_collecting(submission_id)
        elif state == "translating":
            jobs = steps.translation_jobs(submission_id)
            futures = translate_material.map(jobs, mt_provider=unmapped(mt_provider))
            done = all(future.result() for future in futures)
            moved = steps.finish_translating(submission_id, done)
        elif state == "assembling":
            moved = steps.assemble(submission_id)
        elif state == "changes_requested":
            moved = steps.restart_after_changes(submission_id)
        else:
            moved = False
        if not moved:
            logger.info("submission %s waits in state %s", submission_id, state)
            return state
    raise RuntimeError(f"submission {submission_id} did not settle in {MAX_STEPS} steps")
