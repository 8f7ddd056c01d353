"""In the browser, in Russian: the coordinator records the organiser's shortlist after the
short form, and sends an entry through the organiser's online form with its proof."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from contestflow.db import session_scope
from contestflow.lifecycle import get_submission
from contestflow.sending import how_sent, mark_sent
from tests.integration.test_delivery_modes import approved
from tests.web.office import Office
from tests.web.test_office_lifecycle import _sign_in

pytestmark = pytest.mark.browser


def test_the_shortlist_on_the_submission_page(chromium, office: Office) -> None:  # type: ignore[no-untyped-def]
    sid = approved("uclg-culture21", "2024")
    with session_scope() as session:
        mark_sent(session, sid, actor="coordinator", how="e-mail to cultureaward@uclg.org")
    context = chromium.new_context(locale="ru-RU")
    try:
        page = context.new_page()
        _sign_in(page, office, "ivanova")
        page.goto(f"{office.base_url}/coordinator/submissions/{sid}")
        page.get_by_role("heading", name="Этапы").wait_for()
        assert page.locator(".phase-current").inner_text().startswith("Краткая анкета")
        assert "после отбора финалистов" in page.locator(".phase-later").inner_text()
        page.get_by_role("button", name="Прошла в финал: перейти к следующему этапу").click()
        page.get_by_text("Заявка прошла в финал: подразделениям отправлены запросы").wait_for()
        assert "прошла в финал" in page.locator(".phase-shortlisted").inner_text()
        assert page.locator(".state").inner_text() == "сбор материалов"
        assert not page.get_by_role("button", name="Не прошла в финал").count()
    finally:
        context.close()
    with session_scope() as session:
        submission = get_submission(session, sid)
        assert submission.phase == "full-form" and submission.state == "collecting"
        assert len(submission.requests) == 13


def test_the_online_form_page_and_its_proof(chromium, office: Office,  # type: ignore[no-untyped-def]
                                            tmp_path: Path) -> None:
    sid = approved("uclg-culture21", "2028")
    client, csrf = office.signed_in("ivanova")
    try:  # without the proof, the server refuses too, and nothing is recorded
        refused = client.post(f"/coordinator/submissions/{sid}/sent",
                              data={"csrf_token": csrf, "how": "онлайн-форма"},
                              files={"proof": ("", b"", "application/octet-stream")},
                              headers={"Accept-Language": "ru"})
    finally:
        client.close()
    assert refused.status_code == 409
    assert "приложите подтверждение получения" in refused.text
    proof = tmp_path / "подтверждение.png"
    proof.write_bytes(b"\x89PNG\r\n\x1a\n the organiser thanks you")
    context = chromium.new_context(locale="ru-RU")
    try:
        page = context.new_page()
        _sign_in(page, office, "ivanova")
        page.goto(f"{office.base_url}/coordinator/submissions/{sid}")
        page.get_by_role("link", name="Подготовить тексты для онлайн-формы и отметить "
                                       "отправку").click()
        page.get_by_role("heading", name="Онлайн-форма", exact=True).wait_for()
        headings = page.locator("ol.online-form h3").all_inner_texts()
        assert headings[0].startswith("1.1 ") and headings[1].startswith("1.2 ")
        assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", page.locator("main").inner_text()
                             if page.locator("main").count() else page.inner_text("body"))
        page.set_input_files("input[name=proof]", str(proof))
        page.locator("#record-online-form").get_by_role("button", name="Записать отправку").click()
        page.get_by_text("Отправка записана.").wait_for()
    finally:
        context.close()
    with session_scope() as session:
        sent = how_sent(session, get_submission(session, sid))
    assert sent is not None and sent.proof is not None
    assert sent.proof.filename == "подтверждение.png"
