"""The state vocabulary: what a submission and a material request can be, and what that means.

Defined once, here, beside the transitions between them. Every other module asks these names
and groups ("does it still take material?", "is this request late?") instead of spelling out
lists of strings, so the CLI, the pages, the reminders and the package cannot disagree.
Nothing here touches the database: the models' check constraints are built from these values,
and ``contestflow.lifecycle`` makes the changes.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from contestflow.i18n import N_, Message


class SubmissionState(StrEnum):
    DRAFT = "draft"
    COLLECTING = "collecting"
    TRANSLATING = "translating"
    ASSEMBLING = "assembling"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    SENT = "sent"
    RESULT_RECORDED = "result_recorded"
    WITHDRAWN = "withdrawn"


class RequestState(StrEnum):
    PENDING = "pending"
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REOPENED = "reopened"


# What people read for each state (translated through the catalogues, see contestflow.i18n).
SUBMISSION_STATE_NAMES: dict[str, str] = {
    "draft": N_("draft"),
    "collecting": N_("collecting materials"),
    "translating": N_("translating"),
    "assembling": N_("assembling the package"),
    "in_review": N_("in review"),
    "changes_requested": N_("changes requested"),
    "approved": N_("approved"),
    "sent": N_("sent"),
    "result_recorded": N_("result recorded"),
    "withdrawn": N_("withdrawn"),
}
REQUEST_STATE_NAMES: dict[str, str] = {
    "pending": N_("awaited"),
    "received": N_("received"),
    "accepted": N_("accepted"),
    "reopened": N_("to be sent again"),
}


def state_name(state: str) -> Message:
    """A submission's state as people read it, in whichever language it is said."""
    return Message(SUBMISSION_STATE_NAMES.get(state, state))


S = SubmissionState
TRANSITIONS: dict[SubmissionState, frozenset[SubmissionState]] = {
    S.DRAFT: frozenset({S.COLLECTING}),
    S.COLLECTING: frozenset({S.TRANSLATING}),
    S.TRANSLATING: frozenset({S.ASSEMBLING}),
    S.ASSEMBLING: frozenset({S.IN_REVIEW}),
    S.IN_REVIEW: frozenset({S.APPROVED, S.CHANGES_REQUESTED}),
    S.CHANGES_REQUESTED: frozenset({S.COLLECTING}),
    S.APPROVED: frozenset({S.SENT, S.CHANGES_REQUESTED}),
    # Collecting again: shortlisted for the next phase (contestflow.submission.phases).
    S.SENT: frozenset({S.RESULT_RECORDED, S.COLLECTING}),
    S.RESULT_RECORDED: frozenset({S.SENT}),  # a result removed as a mistake
    S.WITHDRAWN: frozenset(),
}

# The package has gone out (or never will): only a result can still be recorded.
FINISHED = frozenset({S.SENT, S.RESULT_RECORDED, S.WITHDRAWN})
# Everything before the package goes out can be withdrawn.
WITHDRAWABLE = frozenset(S) - FINISHED
# Translations and the package are settled: nothing in them may change any more.
FINAL = frozenset({S.APPROVED}) | FINISHED
# A department may still upload (after review, to a re-opened request too).
OPEN_FOR_MATERIAL = frozenset(
    {S.DRAFT, S.COLLECTING, S.CHANGES_REQUESTED, S.TRANSLATING, S.ASSEMBLING, S.IN_REVIEW}
)
# Departments are waiting to be asked, or reminded: reminders go out only in these.
COLLECTING = frozenset({S.COLLECTING, S.CHANGES_REQUESTED})
# A result can be recorded (a withdrawn entry can still be noted as not sent).
RECORDABLE = frozenset({S.SENT, S.RESULT_RECORDED})
RESULT_PAGE = RECORDABLE | {S.WITHDRAWN}
# The flow can do nothing more on its own: a person decides next.
WAITING_FOR_PEOPLE = frozenset({S.IN_REVIEW, S.APPROVED}) | FINISHED

R = RequestState
# Nothing usable has arrived for the request yet (or it was sent back to the department).
WAITING_FOR_DEPARTMENT = frozenset({R.PENDING, R.REOPENED})
DELIVERED = frozenset({R.RECEIVED, R.ACCEPTED})
REQUEST_TRANSITIONS: dict[RequestState, frozenset[RequestState]] = {
    R.PENDING: frozenset({R.RECEIVED, R.REOPENED}),
    # Back to pending when the department removes its last file.
    R.RECEIVED: frozenset({R.ACCEPTED, R.REOPENED, R.PENDING}),
    R.ACCEPTED: frozenset({R.REOPENED, R.PENDING}),
    # Asked again with a new comment, or answered with a new version.
    R.REOPENED: frozenset({R.RECEIVED, R.REOPENED, R.PENDING}),
}


def can_transition(current: str, new: str) -> bool:
    if new == S.WITHDRAWN:
        return current in WITHDRAWABLE
    return new in TRANSITIONS.get(SubmissionState(current), frozenset())


def is_missing(required: bool, request_state: str) -> bool:
    """A required item whose department has not (or not again) delivered it."""
    return required and request_state in WAITING_FOR_DEPARTMENT


def is_late(required: bool, request_state: str, due_on: dt.date | None, today: dt.date) -> bool:
    """Missing after its internal due date: a re-opened request counts, a delivered one not."""
    return is_missing(required, request_state) and due_on is not None and today > due_on
