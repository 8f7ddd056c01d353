"""The coordinator's confirmation of a contest's eligibility statements ("the city is a member
of UCLG", "the policy has run for at least two years"): the package may not be approved
until each is confirmed, by a person, on the record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from contestflow.assembly.approval import refresh_record
from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.lifecycle import get_submission
from contestflow.states import FINAL, state_name
from contestflow.store import FileStore


def confirm_statements(
    session: Session,
    store: FileStore,
    submission_id: int,
    numbers: list[int] | None,
    *,
    actor: str,
) -> list[str]:
    """Confirm statements by their number (1, 2… as `contests show` lists them), or all of
    them when ``numbers`` is None; returns the statements still unconfirmed."""
    submission = get_submission(session, submission_id)
    if submission.state in FINAL:
        raise SubmissionError(N_("submission %(id)s is %(state)s: its package is settled"),
                              id=submission_id, state=state_name(submission.state))
    definition, _ = definition_of(session, submission)
    statements = definition.eligibility
    if not statements:
        raise SubmissionError(N_("%(contest)s states no eligibility conditions to confirm"),
                              contest=definition.names)
    chosen = list(range(len(statements))) if numbers is None else [n - 1 for n in numbers]
    wrong = [str(n + 1) for n in chosen if not 0 <= n < len(statements)]
    if wrong:
        raise SubmissionError(N_("%(contest)s has statements 1 to %(count)s, not %(wrong)s"),
                              contest=definition.names, count=len(statements),
                              wrong=", ".join(wrong))
    submission.confirmations = sorted(set(submission.confirmations or ()) | set(chosen))
    record_event(session, actor=actor, action="submission.eligibility_confirmed",
                 subject_type="submission", subject_id=submission_id,
                 statements=[statements[n] for n in sorted(set(chosen))])
    session.flush()
    refresh_record(session, store, submission)
    return [text for n, text in enumerate(statements) if n not in submission.confirmations]
