"""Known and expected dates in the office: the contests page says which dates are expected,
the coordinator confirms one from the organiser's call and makes next cycle's edition, and a
past edition opens only as a late or historical entry."""

from __future__ import annotations

import re
from contextlib import closing
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, EditionOverlay, Submission
from tests.browser import screenshot_path
from tests.web.office import Office, sign_in_page

CALL = "https://www.agenda21culture.net/es/node/9999"


def _written() -> tuple[int, int, int]:
    with session_scope() as session:
        return tuple(session.scalar(select(func.count()).select_from(table))  # type: ignore
                     for table in (EditionOverlay, Submission, AuditEvent))


@pytest.mark.browser
def test_expected_dates_say_so_and_a_coordinator_confirms_one(  # type: ignore[no-untyped-def]
        chromium, office: Office, tmp_path: Path) -> None:
    context = chromium.new_context(locale="ru-RU", viewport={"width": 1200, "height": 1400})
    page = context.new_page()
    try:
        sign_in_page(page, office.base_url, "ivanova")
        page.get_by_role("link", name="Конкурсы").click()
        edition = page.locator("#uclg-culture21-2028")
        phase = edition.locator("li.phase")
        assert "13.03.2028 (ожидается, по прошлому циклу)" in phase.inner_text()
        assert phase.get_attribute("data-status") == "expected"
        confirmed = page.locator("#unhabitat-scroll-2027 li.phase")
        assert "ожидается" in confirmed.inner_text()

        edition.get_by_text("Подтвердить сроки по объявлению организатора").click()
        edition.get_by_label("Срок подачи, ГГГГ-ММ-ДД").fill("2028-03-20")
        edition.get_by_label("Адрес объявления организатора").fill(CALL)
        page.screenshot(path=str(screenshot_path("office-confirm-dates.png", tmp_path)))
        edition.get_by_role("button", name="Подтвердить сроки").click()
        page.get_by_text("Сроки подтверждены").wait_for()
        phase = page.locator("#uclg-culture21-2028 li.phase")
        assert "20.03.2028" in phase.inner_text() and "ожидается" not in phase.inner_text()
        assert phase.get_attribute("data-status") == "confirmed"
        assert phase.get_by_role("link", name="объявление организатора").get_attribute(
            "href") == CALL

        # Next cycle's edition, made from this one: shown as expected.
        edition = page.locator("#uclg-culture21-2028")
        edition.get_by_text("Создать по этому выпуску следующий").click()
        edition.get_by_label("Новый выпуск, обычно год").fill("2030")
        edition.get_by_role("button", name="Создать выпуск").click()
        page.get_by_text("Новый выпуск создан").wait_for()
        made = page.locator("#uclg-culture21-2030 li.phase")
        assert "20.03.2030 (ожидается, по прошлому циклу)" in made.inner_text()

        # The English page says the same.
        page.goto(office.base_url + "/coordinator/contests?lang=en")
        assert "2030-03-20 (expected, from the last cycle)" in page.locator(
            "#uclg-culture21-2030 li.phase").inner_text()
    finally:
        context.close()
    with session_scope() as session:
        contest = catalog_for(session).get("uclg-culture21")
        assert contest.edition("2028").phases[0].source == CALL
        assert contest.edition("2030").phases[0].expected
        actions = set(session.scalars(select(AuditEvent.action)))
        assert {"edition.dates_confirmed", "edition.created"} <= actions
        assert set(session.scalars(select(AuditEvent.actor).where(
            AuditEvent.action.like("edition.%")))) == {"Иванова Мария Петровна (ivanova)"}


def test_bad_confirmations_on_the_web_change_nothing(office: Office) -> None:
    client, csrf = office.signed_in("ivanova")
    with closing(client):
        before = _written()
        for form, message in [
            ({"deadline": "2028-03-20"}, "укажите адрес объявления организатора"),
            ({"deadline": "2027-11-01", "source": CALL}, "раньше даты начала приёма"),
            ({"deadline": "20.03.2028", "source": CALL}, "дата пишется в виде ГГГГ-ММ-ДД"),
            ({"source": CALL}, "укажите срок подачи"),
            ({"deadline": "2028-03-20", "source": CALL, "phase": "jury"}, "нет этапа jury"),
        ]:
            answer = client.post("/coordinator/contests/uclg-culture21/2028/confirm",
                                 data={"csrf_token": csrf, **form})
            assert answer.status_code == 409 and message in answer.text, (form, answer.text)
        unknown = client.post("/coordinator/contests/uclg-culture21/1999/confirm",
                              data={"csrf_token": csrf, "deadline": "2028-03-20",
                                    "source": CALL})
        assert unknown.status_code == 409 and "нет выпуска 1999" in unknown.text
        taken = client.post("/coordinator/contests/uclg-culture21/2026/new-edition",
                            data={"csrf_token": csrf, "key": "2028"})
        assert taken.status_code == 409 and "уже есть выпуск 2028" in taken.text
        forged = client.post("/coordinator/contests/uclg-culture21/2028/confirm",
                             data={"csrf_token": "forged", "deadline": "2028-03-20",
                                   "source": CALL})
        assert forged.status_code == 403
        assert _written() == before
    reader, reader_csrf = office.signed_in("lead")  # read-only: sees the dates, cannot confirm
    with closing(reader):
        before = _written()  # the sign-in itself is audited
        page = reader.get("/coordinator/contests")
        assert "ожидается, по прошлому циклу" in page.text
        assert "/confirm" not in page.text
        refused = reader.post("/coordinator/contests/uclg-culture21/2028/confirm",
                              data={"csrf_token": reader_csrf, "deadline": "2028-03-20",
                                    "source": CALL})
        assert refused.status_code == 403
    assert _written() == before


def test_a_past_edition_opens_on_the_web_only_as_a_late_entry(office: Office) -> None:
    client, csrf = office.signed_in("ivanova")
    with closing(client):
        page = client.get("/coordinator/contests")
        past = page.text.split("Прошедшие выпуски", 1)[1]
        assert 'id="uclg-culture21-2024"' in past and 'name="late"' in past
        before = _written()
        form = {"csrf_token": csrf, "contest": "uclg-culture21", "edition": "2024"}
        refused = client.post("/coordinator/submissions", data=form)
        assert refused.status_code == 409
        assert "срок выпуска" in refused.text and "прошёл 16.02.2024" in refused.text
        assert "отметьте" in refused.text  # what to do on this page
        assert _written() == before
        opened = client.post("/coordinator/submissions", data={**form, "late": "true"})
        assert opened.status_code == 200 and "Поздняя или историческая заявка" in opened.text
        submission_id = int(re.search(r"/coordinator/submissions/(\d+)", str(opened.url))[1])
    with session_scope() as session:
        assert session.get(Submission, submission_id).late_entry
