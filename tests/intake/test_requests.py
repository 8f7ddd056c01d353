"""Requests to departments, reminders before the due date, the late summary, re-opening and
accepting, and the CLI's way in (``accept_file``) going through the same checks."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from contestflow.db import session_scope
from contestflow.db.models import (
    AuditEvent,
    Department,
    IntakeToken,
    MaterialRequest,
    OutboxMessage,
    Submission,
)
from contestflow.intake.accept import accept_file
from contestflow.intake.errors import UploadRefused
from contestflow.intake.reminders import (
    in_working_hours,
    queue_late_summary,
    queue_reminders,
    reminder_offset,
)
from contestflow.intake.requests import (
    accept_request,
    notify_material_requests,
    reopen_and_notify,
    request_link,
)
from contestflow.intake.tokens import verify_token
from contestflow.lifecycle import transition
from contestflow.materials import MaterialError
from contestflow.submission.opening import open_submission
from tests.intake import samples

DUE = dt.date(2028, 2, 21)  # uclg-culture21 2028: deadline 13 March (expected), 21 days' lead


def _open(session, collecting: bool = True) -> Submission:  # type: ignore[no-untyped-def]
    submission = open_submission(session, "uclg-culture21", "2028")
    if collecting:
        transition(session, submission.id, "draft", "collecting", actor="test")
    return submission


def _messages(session) -> list[OutboxMessage]:  # type: ignore[no-untyped-def]
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _request(submission: Submission, item: str) -> MaterialRequest:
    return next(r for r in submission.requests if r.item_id == item)


def test_each_department_is_asked_once_with_its_links(database_url: str) -> None:
    with session_scope() as session:
        submission = _open(session, collecting=False)
        assert notify_material_requests(session, submission) == 4
        tokens = len(session.scalars(select(IntakeToken)).all())
        assert notify_material_requests(session, submission) == 0
        assert len(session.scalars(select(IntakeToken)).all()) == tokens  # none minted again
        messages = {m.to_addr: m for m in _messages(session)}
        culture = messages["culture@stavropol.example"]
        assert culture.subject.startswith("Запрос материалов: ")
        assert "4. Проект: цели, реализация, результаты" in culture.body
        assert "Не больше 20 МБ" in culture.body and "21.02.2028" in culture.body
        assert "не более 300 слов" in culture.body and "(по желанию)" in culture.body
        links = re.findall(r"http://127\.0\.0\.1:8000/intake/(\d+)\?token=(\S+)", culture.body)
        assert len(links) == sum(r.department_id == "culture" for r in submission.requests)
        for request_id, token in links:
            grant = verify_token(session, token, int(request_id))
            assert grant.department_id == "culture"


def test_a_department_without_an_address_is_noted_for_the_coordinator(workspace: Path) -> None:
    with session_scope() as session:
        submission = _open(session, collecting=False)
        session.get(Department, "economy").email = None
        assert notify_material_requests(session, submission) == 3
        events = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "message.no_address")).all()
        assert [e.subject_id for e in events] == ["economy"]


def test_the_link_has_the_documented_shape(workspace: Path) -> None:
    with session_scope() as session:
        request = _request(_open(session), "project")
        assert re.fullmatch(rf"http://127\.0\.0\.1:8000/intake/{request.id}\?token=[\w.-]+",
                            request_link(request))


@pytest.mark.parametrize(("days_left", "expected"), [
    (10, None), (7, 7), (6, 7), (5, 7), (3, 3), (2, 3), (1, 1), (0, 1), (-1, None)])
def test_the_reminder_for_each_day(days_left: int, expected: int | None) -> None:
    assert reminder_offset(days_left, (7, 3, 1)) == expected


def test_reminders_go_out_at_each_offset_once(database_url: str) -> None:
    with session_scope() as session:
        _open(session)
        assert queue_reminders(session, today=DUE - dt.timedelta(days=8)) == 0
        assert queue_reminders(session, today=DUE - dt.timedelta(days=7)) == 4
        assert queue_reminders(session, today=DUE - dt.timedelta(days=7)) == 0
        assert queue_reminders(session, today=DUE - dt.timedelta(days=5)) == 0
        assert queue_reminders(session, today=DUE - dt.timedelta(days=3)) == 4
        assert queue_reminders(session, today=DUE - dt.timedelta(days=1)) == 4
        reminder = [m for m in _messages(session) if m.to_addr.startswith("culture")][-1]
        assert reminder.subject.startswith("Напоминание: до срока 1 день")


def test_a_missed_tick_is_caught_up_and_received_items_are_not_reminded(
        workspace: Path) -> None:
    with session_scope() as session:
        submission = _open(session)
        for request in submission.requests:
            if request.department_id != "culture":
                request.state = "received"
        assert queue_reminders(session, today=DUE - dt.timedelta(days=5)) == 1
        [message] = _messages(session)
        assert "осталось 5 дней" in message.body
        assert "Фотографии проекта" not in message.body  # optional items are not chased


def test_the_coordinator_gets_one_late_summary_a_day(database_url: str) -> None:
    with session_scope() as session:
        submission = _open(session)
        for request in submission.requests:
            if request.department_id != "head-office":
                request.state = "accepted"
        assert queue_late_summary(session, today=DUE) is False  # due today is not late
        late_day = DUE + dt.timedelta(days=2)
        assert queue_late_summary(session, today=late_day) is True
        assert queue_late_summary(session, today=late_day) is False
        [summary] = _messages(session)
        assert summary.to_addr == "international@stavropol.example"
        assert "Аппарат главы города Ставрополя: просрочено на 2 дня" in summary.body
        assert "Приложение A. Письмо главы города" in summary.body


def test_reminders_wait_for_working_hours() -> None:
    monday_morning = dt.datetime(2028, 3, 6, 7, 30, tzinfo=dt.UTC)  # 10:30 in Stavropol
    assert in_working_hours(monday_morning)
    assert not in_working_hours(monday_morning.replace(hour=3))  # 06:00
    assert not in_working_hours(monday_morning + dt.timedelta(days=5))  # Saturday


def test_reopening_asks_again_with_the_comment(workspace: Path) -> None:
    with session_scope() as session:
        photos = _request(_open(session), "photographs")
        photos.state = "received"
        assert reopen_and_notify(session, photos.id, "Фото слишком маленькое, пришлите крупнее",
                                 actor="coordinator") is True
        assert photos.state == "reopened"
        [message] = _messages(session)
        assert message.subject.startswith("Нужно прислать заново: Фотографии проекта")
        assert "Фото слишком маленькое, пришлите крупнее" in message.body
        assert f"/intake/{photos.id}?token=" in message.body
        reopen_and_notify(session, photos.id, "И ещё одно", actor="coordinator")
        assert len(_messages(session)) == 2  # a second reopening is a second message


def test_only_a_received_material_can_be_accepted(workspace: Path) -> None:
    with session_scope() as session:
        project = _request(_open(session), "project")
        with pytest.raises(MaterialError):
            accept_request(session, project.id, actor="coordinator")
        project.state = "received"
        accept_request(session, project.id, actor="coordinator")
        assert project.state == "accepted"


def test_accept_file_runs_every_check(workspace: Path, tmp_path: Path) -> None:
    macro = tmp_path / "Проект.docx"
    macro.write_bytes(samples.docm_renamed())
    good = tmp_path / "Проект «итог».docx"
    good.write_bytes(samples.docx_bytes())
    with session_scope() as session:
        project = _request(_open(session), "project")
        with pytest.raises(UploadRefused) as refused:
            accept_file(session, project.id, macro, filename=macro.name, language="ru",
                        actor="coordinator")
        assert refused.value.code == "macros"
        material = accept_file(session, project.id, good, filename=good.name, language="ru",
                               actor="coordinator")
        assert (material.version, material.filename) == (1, "Проект «итог».docx")


def test_the_cli_refuses_a_bad_file_in_one_line(workspace: Path, tmp_path: Path) -> None:
    from contestflow.cli.main import app

    program = tmp_path / "отчёт.docx"
    program.write_bytes(samples.executable())
    with session_scope() as session:
        request_id = _request(_open(session), "project").id
    result = CliRunner().invoke(app, ["material", "add", str(request_id), str(program)])
    assert result.exit_code == 1
    assert "programs are never accepted" in result.output
