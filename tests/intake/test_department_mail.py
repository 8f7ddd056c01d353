"""The mails departments receive, as a mail program reads them: sent through the outbox to a
real SMTP server (aiosmtpd on 127.0.0.1) and parsed with Python's e-mail parser."""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from pathlib import Path

import yaml

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.intake.messages import RequestSpec, item_labels
from contestflow.intake.reminders import queue_reminders
from contestflow.intake.requests import notify_material_requests, reopen_and_notify
from contestflow.lifecycle import transition
from contestflow.notify import deliver_due
from contestflow.submission.opening import open_submission
from schemas import DEFAULT_CITY_FILE
from tests.intake.mailserver import Collector, parse, queue

CULTURE = "culture@stavropol.example"
COORDINATOR = "international@stavropol.example"
SIGNATURE_RU = ["С уважением,", "Мария Иванова",
                "Консультант отдела международных и межрегиональных связей",
                "тел. +7 8652 00-00-00"]
DUE = dt.date(2028, 2, 21)  # uclg-culture21 2028


def _received(smtp: Collector, to: str) -> list[EmailMessage]:
    return [parse(raw) for recipients, raw in smtp.messages if recipients == [to]]


def _text(mail: EmailMessage) -> str:
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    return text.replace("\r\n", "\n")  # the body travels with SMTP's line ends


def _block(body: str, title: str) -> str:
    """One item of a mail: from its title line to the blank line before the next item."""
    start = body.index(title)
    end = body.find("\n\n", body.index("Загрузить:", start))
    return body[start:end]


def _ends_with_signature(body: str, lines: list[str]) -> None:
    assert body.rstrip("\n").splitlines()[-len(lines):] == lines


def test_a_request_replies_to_the_coordinator_and_is_signed(database_url: str,
                                                            smtp: Collector) -> None:
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        notify_material_requests(session, submission)
    deliver_due()
    [mail] = _received(smtp, CULTURE)
    assert mail["From"] == get_settings().mail_from  # the sender stays the configured one
    assert mail["Reply-To"] == COORDINATOR
    body = _text(mail)
    _ends_with_signature(body, SIGNATURE_RU)

    # Titles that carry the organiser's own numbers show them once, and nothing else numbers.
    lines = body.splitlines()
    assert "1.1 Название проекта" in lines and "4. Проект: цели, реализация, результаты" in lines
    assert not [line for line in lines if re.match(r"\d+\. \d", line)]
    assert "— Фотографии проекта (по желанию)" in lines

    # A photograph has no language: no "Язык" line for it; a text still has one.
    photos = _block(body, "Фотографии проекта")
    assert "Язык" not in photos and "Формат: JPEG" in photos
    assert "Язык: русский." in _block(body, "1.1 Название проекта")


def test_reminders_and_reopenings_are_signed_too(database_url: str, smtp: Collector) -> None:
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        transition(session, submission.id, "draft", "collecting", actor="test")
        queue_reminders(session, today=DUE - dt.timedelta(days=3))
        photos = next(r for r in submission.requests if r.item_id == "photographs")
        photos.state = "received"
        reopen_and_notify(session, photos.id, "Пришлите крупнее", actor="coordinator")
    deliver_due()
    mails = _received(smtp, CULTURE)
    subjects = sorted(mail["Subject"].split(":")[0] for mail in mails)
    assert subjects == ["Напоминание", "Нужно прислать заново"]
    for mail in mails:
        assert mail["Reply-To"] == COORDINATOR
        _ends_with_signature(_text(mail), SIGNATURE_RU)
    reopened = next(m for m in mails if m["Subject"].startswith("Нужно"))
    assert "Язык" not in _text(reopened)  # it asks for the photographs alone


def test_the_workspace_city_file_signs_and_receives_the_replies(
        workspace: Path, database_url: str, smtp: Collector) -> None:
    data = yaml.safe_load(DEFAULT_CITY_FILE.read_text(encoding="utf-8"))
    data["coordinator"] = {
        "name_ru": "Анна Смирнова", "name_en": "Anna Smirnova",
        "position_ru": "главный специалист", "position_en": "Chief specialist",
        "email": "smirnova@tver.example", "phone": "+7 4822 11-22-33"}
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "city.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                         encoding="utf-8")
    with session_scope() as session:
        notify_material_requests(session, open_submission(session, "uclg-culture21", "2028"))
    deliver_due()
    [mail] = _received(smtp, CULTURE)
    assert mail["Reply-To"] == "smirnova@tver.example"
    _ends_with_signature(_text(mail), ["С уважением,", "Анна Смирнова", "Главный специалист",
                                       "тел. +7 4822 11-22-33"])


def test_a_mail_to_the_coordinator_has_no_reply_to(database_url: str, smtp: Collector) -> None:
    with session_scope() as session:
        queue(session, "to-coordinator", to=COORDINATOR)
    deliver_due()
    [mail] = _received(smtp, COORDINATOR)
    assert mail["Reply-To"] is None


def _spec(title_ru: str, title_en: str) -> RequestSpec:
    return RequestSpec(1, "culture", title_ru, title_en, True, "ru", "docx", 20, "", "", None)


def test_items_are_numbered_once() -> None:
    plain = [_spec("Заявка", "Application"), _spec("Фотографии", "Photographs")]
    assert item_labels(plain) == ["1. ", "2. "]
    own = [_spec("1.1 Название", "1.1 Title"), _spec("4. Проект", "4. The project"),
           _spec("Фотографии", "Photographs")]
    assert item_labels(own) == ["", "", "— "]
