"""What a person does next with a submission in each state: the one place that knows it.

Every command of the CLI ends with this sentence, so a coordinator who is not a programmer
never has to guess which command comes after the one just run. Each state has one whole
sentence of the catalogue with named fields, never pieced together from fragments.
"""

from __future__ import annotations

from contestflow.i18n import N_, tr
from contestflow.states import SubmissionState

S = SubmissionState

# None: nothing is left to do (a result is recorded, or the city withdrew).
_NEXT_STEPS: dict[SubmissionState, str | None] = {
    S.DRAFT: N_("Next: `contestflow submission advance %(id)s` sends the requests to the "
                "departments."),
    S.COLLECTING: N_("Next: once the departments have uploaded (`contestflow submission status "
                     "%(id)s` shows what is missing), run `contestflow submission advance "
                     "%(id)s`."),
    S.TRANSLATING: N_("Next: translate the segments waiting for a person (`contestflow "
                      "submission status %(id)s` says where the review documents are), apply "
                      "each with `contestflow submission apply-review %(id)s FILE`, then run "
                      "`contestflow submission advance %(id)s`."),
    S.ASSEMBLING: N_("Next: `contestflow submission advance %(id)s` builds the package."),
    S.IN_REVIEW: N_("Next: check the package, then `contestflow submission review %(id)s "
                    "--approve`, or `contestflow submission review %(id)s --request-changes "
                    "--comment TEXT`."),
    S.CHANGES_REQUESTED: N_("Next: `contestflow submission advance %(id)s` collects the "
                            "material sent back to the departments again."),
    S.APPROVED: N_("Next: `contestflow submission send %(id)s --to ADDRESS`, or, if it goes "
                   "another way, `contestflow submission mark-sent %(id)s --how HOW`."),
    S.SENT: N_("Next: when the organiser announces the results, `contestflow results record "
               "%(id)s --outcome OUTCOME`."),
    S.RESULT_RECORDED: None,
    S.WITHDRAWN: None,
}


AWAITING_SHORTLIST = N_("Next: when the organiser publishes its shortlist, `contestflow "
                        "submission shortlist %(id)s --shortlisted` (or `--not-shortlisted`).")


def next_step(state: str, submission_id: int, lang: str = "en", *,
              awaiting_shortlist: bool = False) -> str | None:
    """The sentence that tells a person what to do next with a submission in ``state``
    (None when nothing is left to do), in ``lang``; a phase sent before a later one waits for
    the organiser's shortlist, not a result."""
    template = (AWAITING_SHORTLIST if awaiting_shortlist and state == S.SENT
                else _NEXT_STEPS[SubmissionState(state)])
    return tr(lang, template, id=submission_id) if template else None
