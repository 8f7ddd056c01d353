"""Last edition's approved material offered as a starting draft: which requests are offered
one, the request mail, confirming it (the same stored file, a new audited version), replacing it
with an upload, and the refusals (twice, after the request closed, nothing offered)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Material, MaterialRequest, OutboxMessage, Submission
from contestflow.intake.accept import accept_file
from contestflow.intake.drafts import (
    DraftAnswered,
    DraftClosed,
    NoDraft,
    confirm_draft,
    draft_pending,
)
from contestflow.intake.fields import current_values, record_fields
from contestflow.intake.requests import notify_material_requests
from contestflow.lifecycle import transition
from contestflow.store import get_store
from contestflow.submission.opening import open_submission
from contestflow.submission.status import submission_status
from tests.intake import samples

CONTEST = "uclg-culture21"
REUSABLE = {"mayor-details", "city-description", "membership"}
TO_SENT = ("collecting", "translating", "assembling", "in_review", "approved", "sent")
MAYOR = {"name": "Ivan Ivanovich Ivanov", "position": "Head of the city of Stavropol",
         "address": "96 Karl Marx Avenue", "city": "Stavropol, 355006",
         "country": "Russian Federation", "phone": "+7 (8652) 00-00-00",
         "email": "glava@stavropol.example", "website": "https://stavropol.gosuslugi.ru"}


def _request(submission: Submission, item: str) -> MaterialRequest:
    return next(r for r in submission.requests if r.item_id == item)


def _upload(session, submission: Submission, item: str, text: str, tmp_path: Path,  # type: ignore[no-untyped-def]
            name: str) -> Material:
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / name
    path.write_bytes(samples.docx_bytes(text))
    return accept_file(session, _request(submission, item).id, path, filename=name,
                       language="ru", actor="department:test")


def earlier_entry(session, tmp_path: Path, edition: str = "2026",  # type: ignore[no-untyped-def]
                  up_to: str = "sent", text: str = "Ставрополь — город на Кавказе.") -> Submission:
    """An entry with the reusable items' material, moved through the lifecycle to ``up_to``."""
    submission = open_submission(session, CONTEST, edition, late=True)
    _upload(session, submission, "city-description", text, tmp_path, f"Город {edition}.docx")
    if any(r.item_id == "membership" for r in submission.requests):  # 2024: asked in phase 2
        _upload(session, submission, "membership", "Член ОГМВ с 2004 года.", tmp_path,
                f"ОГМВ {edition}.docx")
    record_fields(session, get_store(), _request(submission, "mayor-details").id, MAYOR,
                  actor="department:head-office")
    state = "draft"
    for new in TO_SENT[:TO_SENT.index(up_to) + 1]:
        transition(session, submission.id, state, new, actor="test")
        state = new
    session.refresh(submission)
    return submission


def test_opening_offers_last_editions_approved_material_for_reusable_items(
        database_url: str, tmp_path: Path) -> None:
    with session_scope() as session:
        before = earlier_entry(session, tmp_path / "a", "2024", text="Старое описание.")
        last = earlier_entry(session, tmp_path / "b", "2026")
        submission = open_submission(session, CONTEST, "2028")
        offered = {r.item_id: r.draft_from_id for r in submission.requests if r.draft_from_id}
        assert offered == {item: _request(last, item).id for item in REUSABLE}  # the latest
        assert _request(before, "city-description").id not in offered.values()
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "material_request.draft_offered")).all()
        ours = {str(r.id) for r in submission.requests}
        # 2026 was offered 2024's in its turn; 2028 is offered 2026's, one event a request
        assert sorted(e.subject_id for e in events if e.subject_id in ours) == sorted(
            str(_request(submission, item).id) for item in REUSABLE)
        draft = draft_pending(session, _request(submission, "city-description"))
        assert draft is not None and draft.edition == "2026"
        assert [m.filename for m in draft.files] == ["Город 2026.docx"]


def test_an_entry_not_yet_approved_or_withdrawn_offers_nothing(database_url: str,
                                                               tmp_path: Path) -> None:
    with session_scope() as session:
        earlier_entry(session, tmp_path, "2026", up_to="in_review")
        submission = open_submission(session, CONTEST, "2028")
        assert not any(r.draft_from_id for r in submission.requests)


def test_an_approved_entry_not_yet_sent_offers_its_material(database_url: str,
                                                            tmp_path: Path) -> None:
    with session_scope() as session:
        earlier_entry(session, tmp_path, "2026", up_to="approved")
        submission = open_submission(session, CONTEST, "2028")
        assert {r.item_id for r in submission.requests if r.draft_from_id} == REUSABLE


def test_the_request_mail_says_what_was_sent_last_time(database_url: str,
                                                       tmp_path: Path) -> None:
    with session_scope() as session:
        earlier_entry(session, tmp_path)
        submission = open_submission(session, CONTEST, "2028")
        notify_material_requests(session, submission)
        mails = {m.to_addr: m.body for m in session.scalars(select(OutboxMessage))}
    economy = mails["economy@stavropol.example"]
    assert ("Вот что вы отправили в прошлый раз (2026): Город 2026.docx. Если ничего не "
            "изменилось, подтвердите это на странице загрузки") in economy
    # Only the reusable item: "How the prize money would be used" is written afresh.
    assert economy.count("Вот что вы отправили в прошлый раз") == 1
    assert "Вот что вы отправили в прошлый раз" not in mails["culture@stavropol.example"]


def test_confirming_reuses_the_stored_file_as_a_new_audited_version(database_url: str,
                                                                     tmp_path: Path) -> None:
    with session_scope() as session:
        last = earlier_entry(session, tmp_path)
        earlier = _request(last, "city-description").materials[-1]
        submission = open_submission(session, CONTEST, "2028")
        request = _request(submission, "city-description")
        (material,) = confirm_draft(session, request.id, actor="department:economy")
        assert (material.sha256, material.filename, material.version) == (
            earlier.sha256, earlier.filename, 1)
        assert material.reused_from_id == earlier.id and material.id != earlier.id
        assert request.state == "received" and draft_pending(session, request) is None
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "material.draft_confirmed")).one()
        assert event.actor == "department:economy" and event.details["reused"] == [earlier.id]
        status = {r.item_id: r for r in submission_status(session, submission.id).requests}
        assert status["city-description"].draft_confirmed
        assert status["membership"].draft_offered == "2026"
        assert not status["project"].draft_offered and not status["project"].draft_confirmed


def test_confirming_twice_is_refused_and_adds_nothing(database_url: str, tmp_path: Path) -> None:
    with session_scope() as session:
        earlier_entry(session, tmp_path)
        submission = open_submission(session, CONTEST, "2028")
        request_id = _request(submission, "membership").id
        confirm_draft(session, request_id, actor="department:international")
    with session_scope() as session, pytest.raises(DraftAnswered, match="already has its"):
        confirm_draft(session, request_id, actor="department:international")
    with session_scope() as session:
        assert len(session.get(MaterialRequest, request_id).materials) == 1


def test_an_upload_replaces_the_draft_and_then_confirming_is_refused(database_url: str,
                                                                      tmp_path: Path) -> None:
    with session_scope() as session:
        earlier_entry(session, tmp_path)
        submission = open_submission(session, CONTEST, "2028")
        request = _request(submission, "city-description")
        fresh = _upload(session, submission, "city-description", "Новое описание города.",
                        tmp_path, "Город 2028.docx")
        assert fresh.reused_from_id is None and draft_pending(session, request) is None
        with pytest.raises(DraftAnswered):
            confirm_draft(session, request.id, actor="department:economy")
        assert [m.filename for m in request.materials] == ["Город 2028.docx"]


def test_confirming_after_the_request_closed_is_refused(database_url: str,
                                                        tmp_path: Path) -> None:
    with session_scope() as session:
        earlier_entry(session, tmp_path)
        submission = open_submission(session, CONTEST, "2028")
        request_id = _request(submission, "membership").id
        transition(session, submission.id, "draft", "withdrawn", actor="test")
    with session_scope() as session, pytest.raises(DraftClosed, match="takes no more"):
        confirm_draft(session, request_id, actor="department:international")
    with session_scope() as session:
        assert session.get(MaterialRequest, request_id).materials == []
        assert not session.scalars(select(AuditEvent).where(
            AuditEvent.action == "material.draft_confirmed")).all()


def test_a_request_offered_nothing_cannot_confirm(database_url: str, tmp_path: Path) -> None:
    with session_scope() as session:
        earlier_entry(session, tmp_path)
        submission = open_submission(session, CONTEST, "2028")
        with pytest.raises(NoDraft, match="upload the material instead"):
            confirm_draft(session, _request(submission, "project").id, actor="department:x")


def test_a_structured_item_confirmed_keeps_the_fields_and_an_edit_replaces_them(
        database_url: str, tmp_path: Path) -> None:
    with session_scope() as session:
        earlier_entry(session, tmp_path)
        submission = open_submission(session, CONTEST, "2028")
        request = _request(submission, "mayor-details")
        confirm_draft(session, request.id, actor="department:head-office")
        assert current_values(session, get_store(), request) == MAYOR
        record_fields(session, get_store(), request.id, MAYOR | {"phone": "+7 (8652) 11-11-11"},
                      actor="department:head-office")
        session.refresh(request)
        assert current_values(session, get_store(), request)["phone"] == "+7 (8652) 11-11-11"
        assert [m.version for m in request.materials] == [1, 2]


def test_submission_status_shows_which_requests_have_a_draft_offered(
        workspace: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from contestflow.cli.main import app
    from contestflow.config import get_settings

    with session_scope() as session:
        earlier_entry(session, tmp_path)
        submission = open_submission(session, CONTEST, "2028")
        confirm_draft(session, _request(submission, "membership").id, actor="department:x")
        submission_id = submission.id
    runner = CliRunner()
    result = runner.invoke(app, ["submission", "status", str(submission_id), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["item_id"]: r for r in json.loads(result.stdout)["requests"]}
    assert {item for item, r in rows.items() if r["draft_offered"]} == REUSABLE - {"membership"}
    assert rows["membership"]["draft_confirmed"] and not rows["membership"]["draft_offered"]
    english = runner.invoke(app, ["submission", "status", str(submission_id)],
                            env={"COLUMNS": "250"})
    assert "offered from 2026" in english.stdout and "confirmed unchanged" in english.stdout
    monkeypatch.setenv("CONTESTFLOW_LANGUAGE", "ru")
    get_settings.cache_clear()
    russian = runner.invoke(app, ["submission", "status", str(submission_id)],
                            env={"COLUMNS": "250"})
    assert "предложено из выпуска 2026" in russian.stdout
    assert "подтверждено без изменений" in russian.stdout
