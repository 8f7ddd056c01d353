"""An entry in two phases (UCLG Culture 21, 2024): the short form sent, the organiser's
shortlist, then the full form gathered, assembled, reviewed and sent; not shortlisted; and the
refusals before the shortlist. On each database backend, with the fake MT service."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import OutboxMessage, SubmissionPhase
from contestflow.errors import SubmissionError
from contestflow.intake.fields import record_fields
from contestflow.materials import record_material
from contestflow.results.ledger import ResultError, ResultInput, list_results, record_result
from contestflow.results.summary import build_summary
from contestflow.sending import mark_sent
from contestflow.sending.by_email import send_and_deliver
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from contestflow.submission.phases import record_shortlist
from contestflow.submission.review import decide
from contestflow.submission.status import submission_status
from contestflow.submission.translating import review_dir, translate_job
from contestflow.translation import make_provider
from tests.fakes.mt_server import FakeMTServer
from tests.flow_steps import confirm_eligibility, run_steps
from tests.intake import samples
from tests.intake.mailserver import Collector, parse, serving

MAYOR = {"name": "Ivan Ulyanov", "position": "Head of the City", "address": "Prospekt Karla "
         "Marksa 96", "city": "Stavropol", "country": "Russia", "phone": "+7 8652 26-12-12",
         "email": "mayor@stavropol.example", "website": "https://stavropol.example"}
SHORT_FORM = {"title", "brief-description", "duration", "mayor-details", "bid-contact",
              "city-description", "background"}


def upload_waiting(sid: int) -> set[str]:
    """What departments send for every request still awaited; returns the items."""
    sent = set()
    with session_scope() as session:
        for request in steps.load(session, sid).requests:
            if request.state != "pending" or request.item_id == "photographs":
                continue
            sent.add(request.item_id)
            if request.item_id in ("mayor-details", "bid-contact"):
                values = MAYOR if request.item_id == "mayor-details" else {
                    k: v for k, v in MAYOR.items() if k != "website"}
                record_fields(session, get_store(), request.id, values, actor="test")
            elif request.item_id == "presentation-letter":
                letter = " ".join(MAYOR.values())
                record_material(session, request.id, get_store().put_bytes(
                    samples.docx_bytes(f"Dear jury, {letter}.")), filename="letter.docx",
                    media_type="application/octet-stream", language="en", actor="test")
            else:
                record_material(session, request.id, get_store().put_bytes(samples.docx_bytes(
                    f"Раздел {request.item_id}: культура Ставрополя.")),
                    filename=f"{request.item_id}.docx",
                    media_type="application/octet-stream", actor="test")
    return sent


def advance(sid: int, mt: FakeMTServer) -> str:
    """What the flow does, translations included (through the fake MT service)."""
    provider = make_provider("libre", url=mt.url)
    while True:
        state = run_steps(sid)
        if state != "translating":
            return state
        with session_scope() as session:
            jobs = steps.translation_jobs(session, steps.load(session, sid))
        for job in jobs:
            translate_job(get_store(), job, provider, review_dir(get_settings(), sid))
        if run_steps(sid) == "translating":
            return "translating"


def approve(sid: int) -> None:
    confirm_eligibility(sid)
    with session_scope() as session:
        decide(session, sid, reviewer="reviewer", approve=True)


def phase_one_sent(mt: FakeMTServer, sid: int | None = None) -> int:
    if sid is None:
        with session_scope() as session:
            sid = open_submission(session, "uclg-culture21", "2024", late=True).id
    assert upload_waiting(sid) == SHORT_FORM
    assert advance(sid, mt) == "in_review"
    approve(sid)
    with session_scope() as session:
        mark_sent(session, sid, actor="coordinator", how="e-mail to cultureaward@uclg.org")
    return sid


@pytest.fixture
def mt() -> Iterator[FakeMTServer]:
    with FakeMTServer() as server:
        yield server


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    handler = Collector()
    with serving(handler, monkeypatch):
        yield handler


def sent_mails(smtp: Collector) -> list[tuple[list[str], dict[str, bytes]]]:
    return [(rcpts, {part.get_filename(): part.get_payload(decode=True)
                     for part in parse(raw).iter_attachments()}) for rcpts, raw in smtp.messages]


def test_opening_asks_only_for_the_short_form(database_url: str) -> None:
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2024", late=True)
        items = {r.item_id: r.due_on for r in submission.requests}
        single = open_submission(session, "uclg-culture21", "2028")
        assert len(single.requests) == 13  # a one-phase edition asks for everything
    assert set(items) == SHORT_FORM
    assert set(items.values()) == {__import__("datetime").date(2024, 1, 26)}  # 16 Feb - 21


def test_two_phases_through_both_sendings(database_url: str, mt: FakeMTServer,
                                          smtp: Collector) -> None:
    """By e-mail to the award's address (the 2024 call's), the form attached, both times."""
    with session_scope() as session:
        sid = open_submission(session, "uclg-culture21", "2024", late=True).id
    upload_waiting(sid)
    assert advance(sid, mt) == "in_review"
    approve(sid)
    first = send_and_deliver(sid)  # no address given: the edition's own
    assert first.to == "cultureaward@uclg.org" and first.delivery.state == "delivered"
    [files] = [f for rcpts, f in sent_mails(smtp) if rcpts == ["cultureaward@uclg.org"]]
    assert "uclg-culture21-2024-application-form-en.docx" in files
    with session_scope() as session:
        status = submission_status(session, sid)
        first_package = status.package_sha256
        assert status.awaiting_shortlist and [p.state for p in status.phases] == [
            "current", "later"]
        decision = record_shortlist(session, sid, shortlisted=True, actor="coordinator")
    assert decision.next_phase == "full-form" and decision.state == "collecting"
    assert decision.requests_added == 6
    with session_scope() as session:
        submission = steps.load(session, sid)
        new = [r for r in submission.requests if r.item_id not in SHORT_FORM]
        assert {r.due_on.isoformat() for r in new} == {"2024-03-13"}  # 3 April - 21 days
        assert submission.package_sha256 is None and submission.sent_at is None
        # The departments of phase 2 are asked by mail, once more with its own key.
        keys = set(session.scalars(select(OutboxMessage.dedupe_key)))
        assert any(k.endswith(":full-form") for k in keys)
    upload_waiting(sid)
    assert advance(sid, mt) == "in_review"
    approve(sid)
    second = send_and_deliver(sid)
    assert second.to == "cultureaward@uclg.org" and len(second.attachments) > len(
        first.attachments)  # the full form and its annexes
    organiser = [f for rcpts, f in sent_mails(smtp) if rcpts == ["cultureaward@uclg.org"]]
    assert len(organiser) == 2 and set(files) < set(organiser[1])
    with session_scope() as session:
        status = submission_status(session, sid)
        record = steps.load(session, sid)
        second_package = record.package_sha256
    assert second_package and second_package != first_package
    assert [(p.id, p.state) for p in status.phases] == [("short-form", "shortlisted"),
                                                       ("full-form", "current")]
    assert status.phases[0].package_sha256 == first_package
    assert status.phases[0].sent_at and status.phases[1].sent_at
    assert not status.awaiting_shortlist
    # The full form's package holds both phases' items.
    from tests.flow_steps import package_record

    items = {i["item"] for i in package_record(sid)["items"]}
    assert SHORT_FORM | {"project", "presentation-letter"} <= items
    with session_scope() as session:
        record_result(session, sid, ResultInput(outcome="good-practice"), actor="coordinator")
        rows = list_results(session)
        assert [r.outcome for r in rows] == ["good-practice"]
        assert steps.load(session, sid).state == "result_recorded"
        # The ledger shows both sendings and the shortlist between them.
        [row] = build_summary(session, lang="en").rows
        assert re.fullmatch(r"Short form: sent \S.*, shortlisted; Full form \(finalists\): "
                            r"sent \S.*", row.phases), row.phases
        [row] = build_summary(session, lang="ru").rows
        assert row.phases.startswith("Краткая анкета: отправлено ")


def test_not_shortlisted_ends_the_entry_in_the_ledger(database_url: str,
                                                      mt: FakeMTServer) -> None:
    sid = phase_one_sent(mt)
    with session_scope() as session:
        decision = record_shortlist(session, sid, shortlisted=False, actor="coordinator")
    assert decision.state == "result_recorded" and decision.next_phase is None
    with session_scope() as session:
        assert [r.outcome for r in list_results(session)] == ["not-shortlisted"]
        [row] = build_summary(session, lang="en").rows
        assert row.phases.startswith("Short form: sent ") and row.phases.endswith(
            ", not shortlisted") and row.outcome_name == "Not shortlisted"
        status = submission_status(session, sid)
        assert [p.state for p in status.phases] == ["not_shortlisted", "later"]
        assert len(steps.load(session, sid).requests) == 7  # nothing of phase 2 asked
        with pytest.raises(SubmissionError, match="shortlist of phase “Short form” is already"):
            record_shortlist(session, sid, shortlisted=True, actor="coordinator")


def test_phase_two_is_refused_before_the_shortlist(database_url: str, mt: FakeMTServer) -> None:
    with session_scope() as session:
        sid = open_submission(session, "uclg-culture21", "2024", late=True).id
        with pytest.raises(SubmissionError, match="once the package of phase “Short form” is "
                                                  "sent"):
            record_shortlist(session, sid, shortlisted=True, actor="coordinator")
    phase_one_sent(mt, sid)
    with session_scope() as session:
        # A prize is not a result of the short form: the shortlist comes first.
        with pytest.raises(ResultError, match="record the organiser's shortlist first"):
            record_result(session, sid, ResultInput(outcome="winner"), actor="coordinator")
        assert session.scalars(select(SubmissionPhase)).first() is None
        assert steps.load(session, sid).state == "sent"


def test_a_one_phase_edition_has_no_shortlist(database_url: str) -> None:
    with session_scope() as session:
        sid = open_submission(session, "uclg-culture21", "2028").id
        with pytest.raises(SubmissionError, match="has one phase and no shortlist"):
            record_shortlist(session, sid, shortlisted=True, actor="coordinator")
        assert submission_status(session, sid).phases == []
