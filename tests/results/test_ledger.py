"""Recording a submission's result in its contest's vocabulary, and finding overdue ones."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Edition, Result, Submission
from contestflow.results.certificates import CertificateRefused, file_chunks
from contestflow.results.ledger import (
    Certificate,
    ResultError,
    ResultInput,
    awaiting_results,
    record_result,
)
from contestflow.store import get_store
from contestflow.submission.opening import open_submission
from tests.results.helpers import sent_submission

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _record(submission_id: int, certificate: Certificate | None = None, **fields: object):  # type: ignore[no-untyped-def]
    with session_scope() as session:
        recorded = record_result(session, submission_id, ResultInput(**fields),  # type: ignore[arg-type]
                                 actor="coordinator", certificate=certificate)
        return recorded.result.id, recorded.created


def test_first_result_moves_a_sent_submission_on(database_url: str) -> None:
    submission_id = sent_submission()
    with session_scope() as session:
        vocabulary = catalog_for(session).get("uclg-culture21").outcomes
    awarded = next(o for o in vocabulary if o.awarded)
    result_id, created = _record(submission_id, outcome=awarded.names.en,
                                 prize_amount="25 000,50", prize_currency="eur",
                                 announced_on=dt.date(2024, 6, 11), notes=" jury 11 June ")
    assert created
    with session_scope() as session:
        result = session.get(Result, result_id)
        assert result is not None
        assert (result.outcome, result.contest_id, result.edition_key, result.year) == (
            awarded.id, "uclg-culture21", "2024", 2024)
        assert (result.prize_amount, result.prize_currency) == (Decimal("25000.50"), "EUR")
        assert result.department_id == "culture"  # owns most of the contest's items
        assert result.notes == "jury 11 June" and result.source == "recorded"
        assert session.get(Submission, submission_id).state == "result_recorded"
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"result.recorded", "submission.state"} <= actions
    # The same result again: nothing new. Another outcome: the same row, corrected.
    assert _record(submission_id, outcome=awarded.id, prize_amount="25000.5",
                   prize_currency="EUR", announced_on=dt.date(2024, 6, 11),
                   notes="jury 11 June") == (result_id, False)
    assert _record(submission_id, outcome=awarded.id, nomination="Individual") == (
        result_id, False)
    with session_scope() as session:
        assert session.scalar(select(func.count(Result.id))) == 1


BAD_RESULTS = [
    ({"outcome": "gold"}, "outcome “gold” is not one of"),
    ({"outcome": "winer"}, "did you mean 'winner'"),
    ({"outcome": "winner", "prize_amount": "50000"}, "needs its currency"),
    ({"outcome": "winner", "prize_currency": "EUR"}, "needs a prize amount"),
    ({"outcome": "winner", "prize_amount": "-5", "prize_currency": "EUR"}, "not a possible"),
    ({"outcome": "winner", "prize_amount": "lots", "prize_currency": "EUR"}, "not a number"),
    ({"outcome": "winner", "prize_amount": "5", "prize_currency": "euro"}, "three letters"),
    ({"outcome": "winner", "department": "nowhere"}, "unknown department 'nowhere'"),
    ({"outcome": "winner", "announced_on": dt.date.today() + dt.timedelta(days=3)},
     "in the future"),
]


def test_bad_results_are_refused_and_change_nothing() -> None:
    submission_id = sent_submission()
    for fields, message in BAD_RESULTS:
        with pytest.raises(ResultError, match=message):
            _record(submission_id, **fields)
    with session_scope() as session:
        assert session.scalar(select(func.count()).select_from(Result)) == 0
        assert session.get(Submission, submission_id).state == "sent"


def test_only_sent_or_withdrawn_submissions_have_results() -> None:
    with session_scope() as session:
        draft = open_submission(session, "uclg-culture21", "2026", late=True).id
    with pytest.raises(ResultError, match="is draft; a result is recorded once"):
        _record(draft, outcome="winner")
    with session_scope() as session:
        from contestflow.submission.review import withdraw

        withdraw(session, draft, actor="coordinator", reason="the practice is not ready")
    with pytest.raises(ResultError, match="was withdrawn: it cannot have won"):
        _record(draft, outcome="winner")
    with session_scope() as session:
        not_awarded = next(o.id for o in catalog_for(session).get("uclg-culture21").outcomes
                           if not o.awarded)
    assert _record(draft, outcome=not_awarded)[1]


def test_certificates_are_checked_by_their_bytes(tmp_path: Path) -> None:
    submission_id = sent_submission()
    fake = Certificate("diploma.pdf", [b"MZ\x90\x00 an executable named .pdf"])
    with pytest.raises(CertificateRefused, match="must be a PDF, PNG or JPEG"):
        _record(submission_id, outcome="good-practice", certificate=fake)
    with session_scope() as session:  # the refusal kept neither a row nor a file
        assert session.scalar(select(func.count()).select_from(Result)) == 0
    assert not list(get_store().root.glob("??/??/*"))
    result_id, _ = _record(submission_id, outcome="good-practice")
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(PDF)
    again = _record(submission_id, outcome="good-practice",
                    certificate=Certificate(letter.name, file_chunks(letter)))
    assert again == (result_id, False)  # the same result, now with its letter
    with session_scope() as session:
        digest = session.get(Result, result_id).certificate_sha256
    assert digest and get_store().path(digest).read_bytes() == PDF
    with pytest.raises(CertificateRefused, match="the file is empty"):
        _record(submission_id, outcome="good-practice", certificate=Certificate("e.pdf", [b""]))


def test_awaiting_results_lists_sent_submissions_past_the_announcement(database_url: str) -> None:
    submission_id = sent_submission(edition="2024")
    with session_scope() as session:
        expected = session.scalar(select(Edition.results_expected_on).join(Submission)
                                  .where(Submission.id == submission_id))
    assert expected is not None
    with session_scope() as session:
        assert awaiting_results(session, today=expected) == []  # due today: not yet late
        [late] = awaiting_results(session, today=expected + dt.timedelta(days=10))
    assert (late.submission_id, late.days_overdue) == (submission_id, 10)
    _record(submission_id, outcome="good-practice")
    with session_scope() as session:
        assert awaiting_results(session, today=expected + dt.timedelta(days=10)) == []
