"""The city is data: a second city's identity file reaches the e-mails, the covering letter,
the pages and the report, and nothing of the shipped city (Stavropol) is left in them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from sqlalchemy import select

from contestflow.catalog import definition_of
from contestflow.db import session_scope
from contestflow.db.models import Department, OutboxMessage
from contestflow.identity import IdentityError, city, load_identity
from contestflow.intake.requests import notify_material_requests
from contestflow.intake.tokens import current_token
from contestflow.results.report import write_report
from contestflow.sending.letter import compose
from contestflow.submission.opening import open_submission
from contestflow.web.app import create_app
from schemas import DEFAULT_CITY_FILE

SHIPPED = ("Ставропол", "Stavropol")


def _tver(workspace: Path) -> dict:
    """Stavropol's file with every name changed: Tver, its coordinator, its departments."""
    data = yaml.safe_load(DEFAULT_CITY_FILE.read_text(encoding="utf-8"))
    data["names"] = {"ru": "Тверь", "ru_genitive": "города Твери", "en": "Tver"}
    data["coordinator"] = {
        "name_ru": "Анна Смирнова", "name_en": "Anna Smirnova",
        "position_ru": "главный специалист", "position_en": "Chief specialist",
        "email": "smirnova@tver.example", "phone": "+7 4822 11-22-33"}
    data["letterhead"] = {
        "administration_ru": "Администрация города Твери",
        "administration_en": "Tver City Administration",
        "address_ru": "170100, г. Тверь, ул. Советская, 11",
        "address_en": "11 Sovetskaya St, Tver, 170100, Russia", "website": ""}
    data.pop("history", None)
    for department in data["departments"]:
        department["name_ru"] = department["name_ru"].replace("Ставрополя", "Твери").replace(
            "Ставропольская", "Тверская")
        department["name_en"] = department["name_en"].replace("Stavropol", "Tver")
        department["email"] = f"{department['id']}@tver.example"
    workspace.mkdir(parents=True, exist_ok=True)
    (workspace / "city.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                         encoding="utf-8")
    return data


def _no_shipped_city(text: str) -> None:
    assert not [name for name in SHIPPED if name in text], text[:400]


def test_a_second_city_reaches_mail_letter_pages_and_report(
    workspace: Path, database_url: str, tmp_path: Path
) -> None:
    _tver(workspace)
    assert city().names.en == "Tver"
    with session_scope() as session:
        departments = {d.id: d for d in session.scalars(select(Department))}
        assert departments["culture"].email == "culture@tver.example"  # seeded from the file
        submission = open_submission(session, "uclg-culture21", "2028")
        notify_material_requests(session, submission)
        request_id = submission.requests[0].id
        token = current_token(session, submission.requests[0], actor="test")
        definition, edition = definition_of(session, submission)
        letter = compose(session, definition, edition.key, "", [], "ru")
        letter_en = compose(session, definition, edition.key, "", [], "en")
        mails = list(session.scalars(select(OutboxMessage)))
    assert mails and all("Город Тверь готовит заявку" in m.body for m in mails)
    for mail in mails:
        _no_shipped_city(mail.subject + mail.body)
    assert "Тверь" in letter.subject and "материалы города Твери" in letter.body
    assert "Анна Смирнова" in letter.body and "+7 4822 11-22-33" in letter.body
    assert "City of Tver" in letter_en.body and "Tver City Administration" in letter_en.body
    _no_shipped_city(letter.subject + letter.body + letter_en.subject + letter_en.body)

    with TestClient(create_app(advance=lambda _sid: None, deliver=lambda: 0)) as client:
        page = client.get(f"/intake/{request_id}", params={"token": token})
    assert page.status_code == 200 and "Конкурсные заявки города Твери" in page.text
    _no_shipped_city(page.text)

    with session_scope() as session:
        report = write_report(session, tmp_path / "report", lang="ru")
    html = report.index.read_text(encoding="utf-8")
    assert "Участие города Твери в международных конкурсах" in html
    _no_shipped_city(html)


def test_a_broken_city_file_names_its_line_and_field(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_CITY_FILE.read_text(encoding="utf-8"))
    data["coordinating_department"] = "nobody"
    path = tmp_path / "city.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(IdentityError, match=r"city\.yaml:1: \(top level\): coordinating_department "
                                            "'nobody' is not in departments"):
        load_identity(path)
    data = yaml.safe_load(DEFAULT_CITY_FILE.read_text(encoding="utf-8"))
    data["coordinator"]["email"] = "not an address"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(IdentityError, match=r"city\.yaml:\d+: coordinator\.email: "):
        load_identity(path)


def test_the_shipped_file_is_valid() -> None:
    assert load_identity(DEFAULT_CITY_FILE).names.en == "Stavropol"
