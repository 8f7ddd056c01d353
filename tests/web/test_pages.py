"""The department's page, the coordinator's pages, and the automatic advance after the last
required item arrives."""

from __future__ import annotations

import re
from contextlib import closing

import httpx

from contestflow.db import session_scope
from contestflow.db.models import MaterialRequest
from contestflow.lifecycle import transition
from contestflow.materials import reopen_request
from contestflow.web.sessions import coordinator_login_url
from tests.intake import samples
from tests.web.conftest import Intake


def test_the_page_shows_what_is_asked_and_the_versions(intake: Intake) -> None:
    intake.upload("project", "Проект v1.docx", samples.docx_bytes())
    client, _ = intake.browser_session("project")
    with closing(client):
        page = client.get(f"/intake/{intake.request_id('project')}")
        assert page.status_code == 200
        text = page.text
        assert page.url.query == b""  # the token left the address bar
        for expected in ("4. Проект: цели, реализация, результаты", "Word (.docx)", "20 МБ",
                         "21.02.2028", "Проект v1.docx", "Перетащите файл сюда",
                         "Комитет культуры и молодежной политики", "получено"):
            assert expected in text, expected
        english = client.get(f"/intake/{intake.request_id('project')}", params={"lang": "en"})
        assert "4. The project" in english.text and "Already uploaded" in english.text
        remembered = client.get(f"/intake/{intake.request_id('project')}")
        assert "Already uploaded" in remembered.text  # the choice is kept in a cookie


def test_english_follows_the_browser_when_it_prefers_english(intake: Intake) -> None:
    client, _ = intake.browser_session("project")
    with closing(client):
        page = client.get(f"/intake/{intake.request_id('project')}",
                          headers={"Accept-Language": "en-GB,en;q=0.9,ru;q=0.5"})
        assert "What is needed" in page.text
        russian = client.get(f"/intake/{intake.request_id('project')}",
                             headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
        assert "Что нужно прислать" in russian.text


def test_the_form_without_javascript_redirects_back_to_the_page(intake: Intake) -> None:
    client, csrf = intake.browser_session("project")
    with closing(client):
        answer = client.post(f"/intake/{intake.request_id('project')}",
                             data={"csrf_token": csrf},
                             files={"file": ("Итог.docx", samples.docx_bytes())})
        assert answer.status_code == 200 and "Файл получен: версия 1." in answer.text
        refused = client.post(f"/intake/{intake.request_id('project')}",
                              data={"csrf_token": csrf},
                              files={"file": ("Итог.docx", samples.executable())})
        assert refused.status_code == 415 and "программы не принимаются" in refused.text


def test_pages_carry_security_headers(intake: Intake) -> None:
    response = intake.client.get(f"/intake/{intake.request_id('project')}")
    headers = response.headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def _coordinator(intake: Intake) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=intake.base_url, follow_redirects=True)
    login = coordinator_login_url(asked_by="test").split("/coordinator/login", 1)[1]
    page = client.get("/coordinator/login" + login)
    assert page.status_code == 200
    return client, page.text


def test_the_coordinator_needs_a_login_link(intake: Intake) -> None:
    assert intake.client.get("/coordinator").status_code == 401
    forged = intake.client.get("/coordinator/login", params={"token": "x.y.z"})
    assert forged.status_code == 403


def test_the_coordinator_sees_progress_per_department(intake: Intake) -> None:
    intake.upload("project", "Проект.docx", samples.docx_bytes())
    client, text = _coordinator(intake)
    with closing(client):
        assert "Международная премия" in text and "(2028)" in text
        assert "Комитет культуры и молодежной политики администрации города Ставрополя: 1/6" \
            in text
        assert "13.03.2028" in text and "21.02.2028" in text
        detail = client.get(f"/coordinator/submissions/{intake.submission_id}")
        assert "Проект.docx" in detail.text


def test_the_coordinator_accepts_reopens_and_downloads(intake: Intake) -> None:
    data = samples.docx_bytes()
    material_id = intake.upload("project", "Проект «итог».docx", data).json()["material_id"]
    request_id = intake.request_id("project")
    client, _ = _coordinator(intake)
    with closing(client):
        detail = client.get(f"/coordinator/submissions/{intake.submission_id}").text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', detail).group(1)
        assert client.post(f"/coordinator/requests/{request_id}/accept").status_code == 403
        assert client.post(f"/coordinator/requests/{request_id}/accept",
                           data={"csrf_token": "forged"}).status_code == 403
        accepted = client.post(f"/coordinator/requests/{request_id}/accept",
                               data={"csrf_token": csrf})
        assert accepted.status_code == 200
        reopened = client.post(f"/coordinator/requests/{request_id}/reopen",
                               data={"csrf_token": csrf, "comment": "Нужна подпись"})
        assert reopened.status_code == 200 and intake.delivered  # mail goes out at once
        download = client.get(f"/coordinator/materials/{material_id}")
        assert download.content == data
        assert "filename*=utf-8''%D0%9F" in download.headers["content-disposition"]
        link_page = client.post(f"/coordinator/requests/{request_id}/link",
                                data={"csrf_token": csrf})
        assert f"/intake/{request_id}?token=" in link_page.text
    with session_scope() as session:
        request = session.get(MaterialRequest, request_id)
        assert (request.state, request.comment) == ("reopened", "Нужна подпись")


PDF_ITEMS = {"presentation-letter", "membership"}


STRUCTURED = {"mayor-details", "bid-contact"}  # typed into fields, never sent as files
PERSON = {"name": "Ivan Ivanov", "position": "Head", "address": "96 Karl Marx Avenue",
          "city": "Stavropol", "country": "Russia", "phone": "+7 8652 00-00-00",
          "email": "glava@stavropol.example", "website": "https://stavropol.example"}


def _upload_item(intake: Intake, item: str) -> None:
    if item in STRUCTURED:
        values = {k: v for k, v in PERSON.items() if item == "mayor-details" or k != "website"}
        answer = intake.client.post(f"/intake/{intake.request_id(item)}/fields",
                                    params={"token": intake.token(item)}, json=values,
                                    headers={"Accept": "application/json"})
        assert answer.status_code == 201, answer.text
        return
    name, data = (("файл.pdf", samples.pdf_bytes()) if item in PDF_ITEMS
                  else ("файл.docx", samples.docx_bytes()))
    assert intake.upload(item, name, data).status_code == 201


def test_the_last_required_item_advances_the_submission(intake: Intake) -> None:
    with session_scope() as session:
        transition(session, intake.submission_id, "draft", "collecting", actor="test")
    required = [item for item in intake.requests if item != "photographs"]
    for item in required:
        assert not intake.advanced  # nothing moves while something is missing
        _upload_item(intake, item)
    assert intake.advanced_times(1)


def test_the_last_reopened_item_advances_after_changes_were_requested(intake: Intake) -> None:
    with session_scope() as session:
        transition(session, intake.submission_id, "draft", "collecting", actor="test")
    for item in intake.requests:
        if item != "photographs":
            _upload_item(intake, item)
    assert intake.advanced_times(1)
    reopened = ["project", "membership"]
    with session_scope() as session:
        for old, new in (("collecting", "translating"), ("translating", "assembling"),
                         ("assembling", "in_review"), ("in_review", "changes_requested")):
            transition(session, intake.submission_id, old, new, actor="test")
        for item in reopened:
            reopen_request(session, intake.request_id(item), "Нужна подпись", actor="test")
    _upload_item(intake, reopened[0])
    assert intake.advanced_times(1)  # the other re-opened item is still missing
    _upload_item(intake, reopened[1])
    assert intake.advanced_times(2)
