"""The state vocabulary: every state in a group is a real state, and the groups say what the
lifecycle means (nothing final takes material; nothing sent can be withdrawn)."""

from __future__ import annotations

import datetime as dt

import pytest

from contestflow import states
from contestflow.states import RequestState as R
from contestflow.states import SubmissionState as S

GROUPS = ["FINISHED", "WITHDRAWABLE", "FINAL", "OPEN_FOR_MATERIAL", "COLLECTING", "RECORDABLE",
          "RESULT_PAGE", "WAITING_FOR_PEOPLE"]


@pytest.mark.parametrize("group", GROUPS)
def test_groups_hold_only_submission_states(group: str) -> None:
    members = getattr(states, group)
    assert members and all(isinstance(m, S) for m in members)


def test_the_groups_agree_with_the_lifecycle() -> None:
    assert not states.FINAL & states.OPEN_FOR_MATERIAL
    assert not states.FINISHED & states.WITHDRAWABLE
    assert states.WITHDRAWABLE | states.FINISHED == set(S)
    assert states.COLLECTING <= states.OPEN_FOR_MATERIAL
    assert set(states.TRANSITIONS) == set(S)
    # The flow can act in exactly the states where a person is not the next to decide.
    assert {s for s in S if s not in states.WAITING_FOR_PEOPLE} == {
        S.DRAFT, S.COLLECTING, S.TRANSLATING, S.ASSEMBLING, S.CHANGES_REQUESTED}


@pytest.mark.parametrize(("current", "new", "allowed"), [
    ("draft", "collecting", True), ("collecting", "assembling", False),
    ("in_review", "withdrawn", True), ("sent", "withdrawn", False),
    ("approved", "changes_requested", True),
    ("result_recorded", "sent", True),  # a result removed as a mistake
    ("result_recorded", "approved", False),
])
def test_can_transition(current: str, new: str, allowed: bool) -> None:
    assert states.can_transition(current, new) is allowed


DUE = dt.date(2026, 3, 1)


@pytest.mark.parametrize(("required", "state", "today", "missing", "late"), [
    (True, R.PENDING, DUE, True, False),  # on the due date itself: not yet late
    (True, R.PENDING, DUE + dt.timedelta(days=1), True, True),
    (True, R.REOPENED, DUE + dt.timedelta(days=1), True, True),  # sent back: late again
    (True, R.RECEIVED, DUE + dt.timedelta(days=9), False, False),
    (True, R.ACCEPTED, DUE + dt.timedelta(days=9), False, False),
    (False, R.PENDING, DUE + dt.timedelta(days=9), False, False),  # optional: never missing
])
def test_missing_and_late(required: bool, state: R, today: dt.date, missing: bool,
                          late: bool) -> None:
    assert states.is_missing(required, state) is missing
    assert states.is_late(required, state, DUE, today) is late
    assert states.is_late(required, state, None, today) is False  # no due date, never late
