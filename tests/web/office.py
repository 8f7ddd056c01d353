"""A live office server with accounts for each role, and the requests' upload links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from contestflow.accounts import add_account
from contestflow.db import session_scope
from contestflow.db.models import MaterialRequest
from contestflow.intake.requests import request_link
from contestflow.notify import deliver_due
from contestflow.web.app import create_app
from contestflow.web.server import BackgroundServer
from tests.flow_steps import run_steps

PASSWORD = "correct horse battery"
ACCOUNTS = {"ivanova": ("coordinator", "Иванова Мария Петровна"),
            "petrov": ("reviewer", "Петров Олег Игоревич"),
            "lead": ("readonly", "Сидоров Андрей Васильевич")}


@dataclass
class Office:
    base_url: str

    def signed_in(self, login: str) -> tuple[httpx.Client, str]:
        """A client signed in as ``login``, and the CSRF token its forms carry."""
        client = httpx.Client(base_url=self.base_url, follow_redirects=True, timeout=60)
        form = client.get("/login")
        token = re.search(r'name="form_token" value="([^"]+)"', form.text)
        assert token, form.text
        answer = client.post("/login", data={"login": login, "password": PASSWORD,
                                             "form_token": token.group(1)})
        assert answer.status_code == 200 and answer.url.path == "/coordinator", answer.text
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', answer.text)
        assert csrf
        return client, csrf.group(1)

    def upload_links(self, submission_id: int) -> dict[str, str]:
        """Each request's upload link (as its department's e-mail carries it), by item id."""
        with session_scope() as session:
            requests = session.query(MaterialRequest).filter_by(submission_id=submission_id)
            links = {r.item_id: request_link(r) for r in requests}
        return {item: self.base_url + "/intake/" + link.split("/intake/", 1)[1]
                for item, link in links.items()}


def sign_in_page(page, base_url: str, login: str) -> None:  # type: ignore[no-untyped-def]
    """Sign ``login`` in through the Russian login form in a browser page."""
    page.goto(base_url + "/login")
    page.get_by_label("Логин").fill(login)
    page.get_by_label("Пароль").fill(PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.get_by_role("heading", name="Заявки").wait_for()


def add_office_accounts() -> None:
    """The accounts of ACCOUNTS, in the database the environment names."""
    with session_scope() as session:
        for login, (role, name) in ACCOUNTS.items():
            add_account(session, login, role=role, password=PASSWORD, full_name=name,
                        actor="test")


@pytest.fixture
def office(workspace) -> Iterator[Office]:  # type: ignore[no-untyped-def]
    """The web app with real background work: the submission's steps (as the flow runs them)
    and the outbox's delivery."""
    add_office_accounts()
    app = create_app(advance=run_steps, deliver=deliver_due)
    with BackgroundServer(app) as server:
        yield Office(server.base_url)
