"""A decision carries the state and package it was made on: of two at once, exactly one wins,
and the other is told why (in Russian first, from the catalogue)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from contestflow.db import session_scope
from contestflow.errors import said_in
from contestflow.submission import steps
from contestflow.submission.review import StaleDecision, decide, package_version
from tests.integration.test_submission import _in_review

CONTESTFLOW = str(Path(sys.executable).with_name("contestflow"))


def test_two_concurrent_decisions_one_wins_the_other_is_told_why(database_url: str) -> None:
    sid = _in_review(database_url)
    commands = [
        ["submission", "review", str(sid), "--approve", "--reviewer", "first"],
        ["submission", "review", str(sid), "--request-changes", "--comment", "rebuild it",
         "--reviewer", "second"],
    ]
    running = [subprocess.Popen([CONTESTFLOW, *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=os.environ.copy())
               for args in commands]
    outcomes = [(p.wait(120), *p.communicate()) for p in running]
    codes = sorted(code for code, _, _ in outcomes)
    assert codes == [0, 1], outcomes
    won, lost = (0, 1) if outcomes[0][0] == 0 else (1, 0)
    with session_scope() as session:
        state = steps.load(session, sid).state
    assert state == ("approved" if won == 0 else "changes_requested")
    [line] = outcomes[lost][2].splitlines()  # one line, naming what happened meanwhile
    assert line.startswith("error: submission") and "someone decided" in line, line


def test_a_decision_on_a_package_version_no_longer_current_is_refused(
        database_url: str) -> None:
    sid = _in_review(database_url)
    with session_scope() as session:
        seen = package_version(steps.load(session, sid))
    with pytest.raises(StaleDecision) as refused, session_scope() as session:
        decide(session, sid, reviewer="r", approve=True, seen_package="0123456789ab")
    assert "0123456789ab" in str(refused.value)
    assert said_in("ru", refused.value).startswith("Пакет заявки")
    with session_scope() as session:  # the version the reviewer saw is still current: taken
        decide(session, sid, reviewer="r", approve=True, seen_package=seen)
    with pytest.raises(StaleDecision) as again, session_scope() as session:
        decide(session, sid, reviewer="other", approve=False, comment="no")  # on "in review"
    assert "«утверждено»" in said_in("ru", again.value)  # the state in Russian, not "approved"
    with session_scope() as session:  # taking an approval back names the state it was made on
        decide(session, sid, reviewer="r", approve=False, comment="one more change",
               seen_state="approved")
        assert steps.load(session, sid).state == "changes_requested"


def test_review_takes_json_and_the_package_version(database_url: str) -> None:
    import json

    sid = _in_review(database_url)
    with session_scope() as session:
        seen = package_version(steps.load(session, sid))
    stale = subprocess.run([CONTESTFLOW, "submission", "review", str(sid), "--approve",
                            "--package", "0123456789ab", "--json"], capture_output=True,
                           text=True, timeout=120)
    assert stale.returncode == 1 and stale.stdout == ""
    assert stale.stderr.startswith(f"error: the package of submission {sid} is now version "
                                   f"{seen}, not 0123456789ab")
    done = subprocess.run([CONTESTFLOW, "submission", "review", str(sid), "--approve",
                           "--package", seen, "--json"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"id": sid, "state": "approved", "package": seen,
                                       "reviewer": "reviewer", "reopened": []}
