"""Opening submissions, recording materials, and the lifecycle steps, on each backend."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Material, MaterialRequest, Submission
from contestflow.errors import SubmissionError
from contestflow.materials import MaterialError, clean_filename, record_material, reopen_request
from contestflow.sending import mark_sent
from contestflow.states import SubmissionState as S
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from contestflow.submission.review import decide, withdraw
from contestflow.submission.status import submission_status
from tests.flow_steps import confirm_eligibility, package_record, run_step, run_steps


def _counts(session) -> tuple[int, int, int]:
    return tuple(
        session.scalar(select(func.count()).select_from(m))
        for m in (Submission, MaterialRequest, AuditEvent)
    )


def test_open_asks_each_department_for_each_item(database_url: str) -> None:
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        requests = {r.item_id: r for r in submission.requests}
        assert len(requests) == 13
        assert requests["mayor-details"].department_id == "head-office"
        assert requests["city-description"].department_id == "economy"
        # internal due date: 21 days before the expected 13 March deadline
        assert requests["title"].due_on == dt.date(2028, 2, 21)
        assert submission.state == "draft"


@pytest.mark.parametrize(
    ("contest", "edition", "message"),
    [
        ("nope", "2026", "unknown contest 'nope'"),
        ("uclg-culture21", "1999", "has no edition '1999'"),
        ("iac-city-media", "2025", "has no nomination “Poetry”"),
    ],
)
def test_bad_open_changes_nothing(database_url: str, contest, edition, message) -> None:
    with session_scope() as session:
        before = _counts(session)
    with pytest.raises(SubmissionError, match=message), session_scope() as session:
        open_submission(session, contest, edition, nomination="Poetry")
    with session_scope() as session:
        assert _counts(session) == before


def test_same_edition_twice_is_refused_but_another_nomination_is_not(database_url: str) -> None:
    with session_scope() as session:
        open_submission(session, "iac-city-media", "2026", nomination="Помним и гордимся!")
    with session_scope() as session:
        before = _counts(session)
    with pytest.raises(SubmissionError, match="already has submission 1"), session_scope() as s:
        open_submission(s, "iac-city-media", "2026", nomination="Помним и гордимся!")
    with session_scope() as session:
        assert _counts(session) == before
        second = open_submission(
            session, "iac-city-media", "2026", nomination="Мы живем в Умном городе"
        )
        assert second.id == 2


def _add(session, request_id: int, data: bytes, name: str = "справка.docx"):
    stored = get_store().put_bytes(data)
    return record_material(
        session,
        request_id,
        stored,
        filename=name,
        media_type="application/octet-stream",
        actor="culture",
    )


def test_materials_are_versioned_never_overwritten(database_url: str) -> None:
    with session_scope() as session:
        request_id = open_submission(session, "iac-city-to-live", "2027").requests[0].id
    with session_scope() as session:
        first = _add(session, request_id, b"first")
    with session_scope() as session:
        second = _add(session, request_id, b"second")
    assert (first.version, second.version) == (1, 2)
    with session_scope() as session:
        rows = session.scalars(select(Material).order_by(Material.version)).all()
        assert [get_store().open(m.sha256).read() for m in rows] == [b"first", b"second"]
        assert session.get(MaterialRequest, request_id).state == "received"
        reopen_request(session, request_id, "the photo is too small", actor="coordinator")
        assert session.get(MaterialRequest, request_id).state == "reopened"
    with pytest.raises(MaterialError, match="say why"), session_scope() as session:
        reopen_request(session, request_id, "  ", actor="coordinator")


def test_material_for_unknown_request(database_url: str) -> None:
    with pytest.raises(MaterialError, match="no material request 99"), session_scope() as s:
        _add(s, 99, b"x")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Отчёт о проекте.docx", "Отчёт о проекте.docx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Мария\\фото.jpg", "фото.jpg"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ("nul\x00byte.docx", "nul_byte.docx"),
        ("...", "file"),
    ],
)
def test_clean_filename(raw: str, clean: str) -> None:
    assert clean_filename(raw) == clean


def test_steps_move_only_when_the_state_allows(database_url: str) -> None:
    with session_scope() as session:
        submission = open_submission(session, "iac-city-to-live", "2027")
        sid = submission.id
        required = [r.id for r in submission.requests if r.item_id != "photographs"]
    assert run_step(sid, S.DRAFT)
    assert not run_step(sid, S.COLLECTING)
    with session_scope() as session:
        assert steps.missing_required_items(session, steps.load(session, sid)) == [
            "practice-description",
            "effect-figures",
        ]
    with session_scope() as session:
        for request_id in required:
            _add(session, request_id, f"material {request_id}".encode())
    assert run_step(sid, S.COLLECTING)
    with session_scope() as session:
        assert steps.translation_jobs(session, steps.load(session, sid)) == []
    assert run_step(sid, S.TRANSLATING)
    assert run_step(sid, S.ASSEMBLING)
    with session_scope() as session:
        assert steps.load(session, sid).state == "in_review"
        status = submission_status(session, sid)
        assert status.state == "in_review" and not status.missing
        assert status.package_file is not None and status.package_file.is_file()
        assert status.package_file.read_bytes() == get_store().read_bytes(status.package_sha256)


def _in_review(database_url: str) -> int:
    with session_scope() as session:
        submission = open_submission(session, "iac-city-to-live", "2027")
        sid = submission.id
        for request in submission.requests:
            _add(session, request.id, f"m{request.id}".encode())
    assert run_steps(sid) == "in_review"
    confirm_eligibility(sid)
    return sid


def test_review_send_and_withdraw(database_url: str) -> None:
    sid = _in_review(database_url)
    with pytest.raises(SubmissionError, match="say what must change"), session_scope() as s:
        decide(s, sid, reviewer="r", approve=False, comment="")
    with pytest.raises(SubmissionError, match="only an approved package"), session_scope() as s:
        mark_sent(s, sid, actor="c", how="e-mail")
    with session_scope() as session:
        decide(session, sid, reviewer="r", approve=True)
    with session_scope() as session:
        mark_sent(session, sid, actor="c", how="e-mail")
        assert steps.load(session, sid).sent_at is not None
    with pytest.raises(Exception, match="cannot go from sent to withdrawn"), session_scope() as s:
        withdraw(s, sid, actor="c", reason="changed our mind")


def _request(sid: int, item: str) -> int:
    with session_scope() as session:
        return next(r.id for r in steps.load(session, sid).requests if r.item_id == item)


def test_changes_requested_waits_for_the_reopened_request(database_url: str) -> None:
    sid = _in_review(database_url)
    request_id = _request(sid, "practice-description")
    with session_scope() as session:
        decide(session, sid, reviewer="r", approve=False, comment="Add the 2026 figures",
               reopen=[request_id])
    # The department has not answered: the flow waits, and running it again changes nothing.
    assert run_steps(sid) == "collecting"
    assert run_steps(sid) == "collecting"
    with session_scope() as session:
        new = _add(session, request_id, b"version two")
    assert run_steps(sid) == "in_review"
    with session_scope() as session:
        manifest = package_record(sid)
        packed = next(i for i in manifest["items"] if i["item"] == "practice-description")
        assert packed["material"]["id"] == new.id
        decide(session, sid, reviewer="r", approve=True)


def test_request_changes_refuses_a_foreign_request(database_url: str) -> None:
    sid = _in_review(database_url)
    with pytest.raises(SubmissionError, match="do not belong"), session_scope() as session:
        decide(session, sid, reviewer="r", approve=False, comment="x", reopen=[999])
    with session_scope() as session:
        assert steps.load(session, sid).state == "in_review"


def test_a_version_that_arrives_after_assembly_blocks_approval(database_url: str) -> None:
    sid = _in_review(database_url)
    with session_scope() as session:
        _add(session, _request(sid, "effect-figures"), b"late correction")
    with pytest.raises(SubmissionError, match="changed since the package was built: "
                       r"“Social and economic effect \(figures\)”"), session_scope() as session:
        decide(session, sid, reviewer="r", approve=True)
    with session_scope() as session:
        decide(session, sid, reviewer="r", approve=False, comment="rebuild with the correction")
    assert run_steps(sid) == "in_review"
    with session_scope() as session:
        decide(session, sid, reviewer="r", approve=True)


def test_a_pdf_that_needs_translation_is_named_not_stuck(database_url: str) -> None:
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        sid = submission.id
        for request in submission.requests:
            name = "letter.pdf" if request.item_id == "presentation-letter" else "x.docx"
            if request.item_id != "photographs":
                _add(session, request.id, f"%PDF-1.4 {request.id}".encode(), name)
    with session_scope() as session:
        jobs = steps.translation_jobs(session, steps.load(session, sid))
        assert "presentation-letter" not in {job.item_id for job in jobs}
        # 13 items: the photographs sent nothing, the letter is a PDF, and the two structured
        # items (the mayor, the person responsible) are typed in English, never translated.
        assert len(jobs) == 9
    from contestflow.submission.translating import translate_job

    for job in jobs:  # the "Word files" here are not Word files: each is found untranslatable
        assert translate_job(get_store(), job, None, get_settings().submission_dir(sid))
    assert run_steps(sid) == "in_review"
    manifest = package_record(sid)
    findings = {f["item_id"]: f["message_en"] for f in manifest["findings"]}
    assert "letter.pdf is not a Word file" in findings["presentation-letter"]
    assert findings["project"]  # the unreadable .docx says why, in one sentence
    with pytest.raises(SubmissionError, match="cannot approve"), session_scope() as session:
        decide(session, sid, reviewer="r", approve=True)


def test_building_twice_gives_the_same_bytes(database_url: str) -> None:
    from contestflow.assembly.package import build_package

    sid = _in_review(database_url)
    with session_scope() as session:
        submission = steps.load(session, sid)
        first = build_package(session, get_store(), submission)
        second = build_package(session, get_store(), submission)
        assert first.data == second.data and first.record == second.record
        assert first.sha256 == submission.package_sha256


def test_approval_waits_for_a_reopened_request_and_its_rebuilt_package(database_url: str) -> None:
    sid = _in_review(database_url)
    request_id = _request(sid, "practice-description")
    with session_scope() as session:
        reopen_request(session, request_id, "the 2026 figures are missing", actor="coordinator")
    with pytest.raises(SubmissionError, match="sent back to the department, waiting for a new "
                                              "version: the 2026 figures are missing"), \
            session_scope() as s:
        decide(s, sid, reviewer="r", approve=True)
    with session_scope() as session:
        _add(session, request_id, b"version two with the 2026 figures")
    # The new version is not in the package the reviewer has: that package cannot be approved.
    with pytest.raises(SubmissionError, match="changed since the package was built: "
                                              "“Description of the practice”"), \
            session_scope() as s:
        decide(s, sid, reviewer="r", approve=True)
    with session_scope() as session:
        decide(session, sid, reviewer="r", approve=False, comment="rebuild with version two")
    assert run_steps(sid) == "in_review"  # a new package, which needs its own approval
    with session_scope() as session:
        decide(session, sid, reviewer="r", approve=True)
        assert steps.load(session, sid).state == "approved"
    record = package_record(sid)
    packed = next(i for i in record["items"] if i["item"] == "practice-description")
    assert packed["material"]["version"] == 2
