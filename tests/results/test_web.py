"""The results pages, through FastAPI's test client, with the router mounted on its own."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from contestflow.db import session_scope
from contestflow.db.models import Result, Submission
from contestflow.identity import history_file
from contestflow.results.history import import_history_file
from contestflow.store import get_store
from contestflow.web.routes.results import coordinator_csrf, office_actor, router
from tests.results.helpers import sent_submission

TOKEN = "test-csrf-token"
PDF = b"%PDF-1.4\n%%EOF\n"


def make_app(logged_in: bool = True) -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    if logged_in:
        app.dependency_overrides[coordinator_csrf] = lambda: TOKEN
        app.dependency_overrides[office_actor] = lambda: "coordinator"
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client


def _results() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(Result)) or 0


def test_pages_need_the_coordinator() -> None:
    with TestClient(make_app(logged_in=False)) as anonymous:
        for path in ("/results", "/results/record/1", "/results/report", "/results/calendar.ics"):
            assert anonymous.get(path).status_code == 401, path


def test_record_a_result_with_its_certificate(client: TestClient) -> None:
    submission_id = sent_submission()
    form = client.get(f"/results/record/{submission_id}")
    assert form.status_code == 200
    assert 'value="good-practice"' in form.text and TOKEN in form.text
    assert 'value="culture" selected' in form.text  # the practice's owner by default
    response = client.post(
        f"/results/record/{submission_id}?lang=en",
        data={"csrf_token": TOKEN, "outcome": "good-practice", "department": "culture",
              "announced_on": "2024-06-11", "notes": "listed in the UCLG database"},
        files={"certificate": ("letter.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert response.status_code == 303
    ledger = client.get(response.headers["location"])
    assert "Result 1 recorded." in ledger.text and "listed in the UCLG database" in ledger.text
    with session_scope() as session:
        assert session.get(Submission, submission_id).state == "result_recorded"
    download = client.get("/results/1/certificate")
    assert download.headers["content-type"] == "application/pdf" and download.content == PDF
    again = client.post(f"/results/record/{submission_id}",
                        data={"csrf_token": TOKEN, "outcome": "good-practice",
                              "department": "culture", "announced_on": "2024-06-11",
                              "notes": "listed in the UCLG database"},
                        follow_redirects=False)
    assert again.headers["location"].startswith("/results?again=1")
    corrected = client.post(f"/results/record/{submission_id}",
                            data={"csrf_token": TOKEN, "outcome": "winner",
                                  "department": "culture", "announced_on": "2024-06-11",
                                  "notes": "corrected"}, follow_redirects=False)
    assert corrected.headers["location"].startswith("/results?changed=1")
    assert _results() == 1
    page = client.get("/results")
    removed = client.post("/results/1/remove", data={"csrf_token": "forged"})
    assert removed.status_code == 403 and _results() == 1
    assert 'action="/results/1/remove' in page.text
    removed = client.post("/results/1/remove", data={"csrf_token": TOKEN},
                          follow_redirects=False)
    assert removed.headers["location"].startswith("/results?removed=1") and _results() == 0
    with session_scope() as session:
        assert session.get(Submission, submission_id).state == "sent"


BAD_FORMS = [
    # The page is Russian, and so is each refusal on it.
    ({"outcome": "gold"}, None, 400, "итога «gold» нет у конкурса"),
    ({"outcome": "winner", "prize_amount": "100"}, None, 400, "укажите валюту тремя буквами"),
    ({"outcome": "winner", "announced_on": "11.06.2024"}, None, 400, "— не дата"),
    ({"outcome": "winner"}, {"certificate": ("x.pdf", b"<html>", "application/pdf")}, 400,
     "диплом должен быть в формате PDF, PNG или JPEG"),
    ({"outcome": "winner", "csrf_token": "forged"}, None, 403, "expired"),
]


def test_bad_forms_are_refused_and_keep_nothing(client: TestClient) -> None:
    submission_id = sent_submission()
    for data, files, status, message in BAD_FORMS:
        response = client.post(f"/results/record/{submission_id}",
                               data={"csrf_token": TOKEN, **data}, files=files)
        assert response.status_code == status, data
        assert message in response.text, data
        if status == 400:  # the form again, with the reason and what was typed
            assert 'role="alert"' in response.text and 'name="outcome"' in response.text
    assert _results() == 0
    assert not list(get_store().root.glob("??/??/*"))


def test_ledger_report_and_calendar_pages(client: TestClient) -> None:
    with session_scope() as session:
        assert import_history_file(session, history_file()).ok
    ledger = client.get("/results?lang=en&year_from=2016&year_to=2016")
    assert ledger.status_code == 200 and "Entries: 1, awards: 1" in ledger.text
    report = client.get("/results/report?lang=en")
    assert report.status_code == 200 and report.text.count("data:image/png;base64,") == 2
    assert client.get("/results/report?year_from=2020&year_to=2010").status_code == 400
    calendar = client.get("/results/calendar.ics")
    assert calendar.headers["content-type"].startswith("text/calendar")
    assert calendar.content.startswith(b"BEGIN:VCALENDAR")
    assert client.get("/results/record/999").status_code == 404
    assert client.get("/results/5/certificate").status_code == 404
