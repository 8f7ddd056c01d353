"""What a person does next with a submission in each state: the one place that knows it.

Every command of the CLI ends with this sentence, so a coordinator who is not a programmer
never has to guess which command comes after the one just run. Each state has one whole
sentence with named fields, never pieced together from fragments, so that a message
catalogue can later translate it as it stands (``next_step`` is the one function to change).
"""

from __future__ import annotations

from contestflow.states import SubmissionState

S = SubmissionState

# None: nothing is left to do (a result is recorded, or the city withdrew).
_NEXT_STEPS: dict[SubmissionState, str | None] = {
    S.DRAFT: "Next: `contestflow submission advance {id}` sends the requests to the departments.",
    S.COLLECTING: "Next: once the departments have uploaded (`contestflow submission status "
                  "{id}` shows what is missing), run `contestflow submission advance {id}`.",
    S.TRANSLATING: "Next: translate the segments waiting for a person (`contestflow submission "
                   "status {id}` says where the review documents are), apply each with "
                   "`contestflow submission apply-review {id} FILE`, then run "
                   "`contestflow submission advance {id}`.",
    S.ASSEMBLING: "Next: `contestflow submission advance {id}` builds the package.",
    S.IN_REVIEW: "Next: check the package, then `contestflow submission review {id} --approve`, "
                 "or `contestflow submission review {id} --request-changes --comment TEXT`.",
    S.CHANGES_REQUESTED: "Next: `contestflow submission advance {id}` collects the material "
                         "sent back to the departments again.",
    S.APPROVED: "Next: `contestflow submission send {id} --to ADDRESS`, or, if it goes another "
                "way, `contestflow submission mark-sent {id} --how HOW`.",
    S.SENT: "Next: when the organiser announces the results, "
            "`contestflow results record {id} --outcome OUTCOME`.",
    S.RESULT_RECORDED: None,
    S.WITHDRAWN: None,
}


def next_step(state: str, submission_id: int) -> str | None:
    """The sentence that tells a person what to do next with a submission in ``state``
    (None when nothing is left to do)."""
    template = _NEXT_STEPS[SubmissionState(state)]
    return template.format(id=submission_id) if template else None
