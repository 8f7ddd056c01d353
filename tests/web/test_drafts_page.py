"""The upload page offers last edition's approved material: «this is what you sent last time:
confirm or update», in Russian; one click confirms it (headless Chromium), an upload replaces
it, structured items come prefilled; confirming twice or after the entry closed is refused
in one sentence, adding nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import Material, MaterialRequest
from contestflow.intake.requests import request_link
from contestflow.intake.tokens import current_token
from contestflow.lifecycle import transition
from contestflow.submission.opening import open_submission
from contestflow.web.app import create_app
from contestflow.web.server import BackgroundServer
from tests.intake import samples
from tests.intake.test_drafts import MAYOR, earlier_entry


@dataclass
class Offered:
    base_url: str
    client: httpx.Client
    submission_id: int
    requests: dict[str, int]  # item id -> this entry's request id
    earlier: dict[str, int]  # item id -> the 2026 entry's request id

    def token(self, item: str) -> str:
        with session_scope() as session:
            return current_token(session, session.get(MaterialRequest, self.requests[item]))

    def link(self, item: str) -> str:
        with session_scope() as session:
            link = request_link(session.get(MaterialRequest, self.requests[item]))
        return self.base_url + link.split("127.0.0.1:8000", 1)[1]

    def confirm(self, item: str, lang: str = "ru") -> httpx.Response:
        return self.client.post(f"/intake/{self.requests[item]}/draft/confirm",
                                params={"token": self.token(item)},
                                headers={"Accept": "application/json", "Accept-Language": lang})

    def materials(self, item: str) -> list[Material]:
        with session_scope() as session:
            return list(session.scalars(select(Material).where(
                Material.request_id == self.requests[item]).order_by(Material.version)))


@pytest.fixture
def offered(workspace: Path, tmp_path: Path) -> Iterator[Offered]:
    with session_scope() as session:
        last = earlier_entry(session, tmp_path / "files")
        submission = open_submission(session, "uclg-culture21", "2028")
        transition(session, submission.id, "draft", "collecting", actor="test")
        requests = {r.item_id: r.id for r in submission.requests}
        earlier = {r.item_id: r.id for r in last.requests}
        submission_id = submission.id
    app = create_app(advance=lambda _id: None, deliver=lambda: None)
    with BackgroundServer(app) as server, \
            httpx.Client(base_url=server.base_url, timeout=60) as client:
        yield Offered(server.base_url, client, submission_id, requests, earlier)


def test_the_api_confirms_once_and_refuses_the_second_time(offered: Offered) -> None:
    answer = offered.confirm("membership")
    assert answer.status_code == 201, answer.text
    assert answer.json() == {"confirmed": True, "version": 1}
    (material,) = offered.materials("membership")
    assert material.filename == "ОГМВ 2026.docx" and material.reused_from_id is not None
    again = offered.confirm("membership")
    assert again.status_code == 409
    assert again.json()["error"] == (
        "Для «Сведения о членстве в ОГМВ» материал этой заявки уже есть (подтверждён или "
        "загружен): чтобы изменить его, загрузите новую версию.")
    assert len(offered.materials("membership")) == 1


def test_confirming_after_the_entry_closed_is_refused(offered: Offered) -> None:
    with session_scope() as session:
        transition(session, offered.submission_id, "collecting", "withdrawn", actor="test")
    answer = offered.confirm("membership", lang="en")
    assert answer.status_code == 409
    assert "no longer takes materials" in answer.json()["error"]
    assert offered.materials("membership") == []


def test_an_item_offered_nothing_has_no_confirm_button_and_the_api_refuses(
        offered: Offered) -> None:
    client = httpx.Client(base_url=offered.base_url, follow_redirects=True)
    page = client.get(f"/intake/{offered.requests['project']}",
                      params={"token": offered.token("project")})
    assert "в прошлый раз" not in page.text and "/draft/confirm" not in page.text
    answer = offered.confirm("project")
    assert answer.status_code == 404 and "загрузите файл" in answer.json()["error"]


def test_an_upload_replaces_the_offer(offered: Offered) -> None:
    answer = offered.client.post(
        f"/intake/{offered.requests['city-description']}",
        params={"token": offered.token("city-description")},
        files={"file": ("Город 2028.docx", samples.docx_bytes("Новое описание."))},
        headers={"Accept": "application/json"})
    assert answer.status_code == 201, answer.text
    client = httpx.Client(base_url=offered.base_url, follow_redirects=True)
    page = client.get(f"/intake/{offered.requests['city-description']}",
                      params={"token": offered.token("city-description")})
    assert "Вот что вы отправили в прошлый раз" not in page.text
    assert offered.confirm("city-description").status_code == 409


def test_the_mayors_details_come_prefilled(offered: Offered) -> None:
    client = httpx.Client(base_url=offered.base_url, follow_redirects=True)
    page = client.get(f"/intake/{offered.requests['mayor-details']}",
                      params={"token": offered.token("mayor-details")})
    assert page.status_code == 200
    assert f'name="name" value="{MAYOR["name"]}"' in page.text
    assert "Поля ниже заполнены тем, что было отправлено в прошлый раз" in page.text


@pytest.mark.browser
def test_a_department_confirms_last_times_text_in_one_click(offered: Offered) -> None:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, chromium_executable

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable(),
                                             args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(locale="ru-RU").new_page()
            page.goto(offered.link("city-description"))
            offer = page.locator("#draft")
            offer.get_by_text("Вот что вы отправили в прошлый раз: подтвердите или обновите") \
                .wait_for()
            assert "К выпуску 2026 ваше подразделение отправило" in offer.inner_text()
            assert offer.locator(".filename").inner_text() == "Город 2026.docx"
            assert page.locator("form.upload").count() == 1  # or an update instead
            page.get_by_role("button", name="Подтвердить: ничего не изменилось").click()
            page.get_by_text("Файл получен: версия 1.").wait_for(timeout=15000)
            assert page.locator("#draft").count() == 0
            assert page.locator("table.versions .filename").inner_text() == "Город 2026.docx"
        finally:
            browser.close()
    (material,) = offered.materials("city-description")
    with session_scope() as session:
        earlier = session.get(MaterialRequest, offered.earlier["city-description"])
        assert material.sha256 == earlier.materials[-1].sha256
        assert material.uploaded_by == "department:economy"
