"""Headless Chromium opens an upload link, uploads a Russian-named .docx through the real page
(progress bar and all), and sees it listed; the screenshot is the README tour's picture."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from contestflow.intake.requests import request_link
from tests.browser import screenshot_path
from tests.intake import samples
from tests.web.conftest import Intake

DOCUMENT_NAME = "Проект «Культура 21» — описание.docx"

pytestmark = pytest.mark.browser


def _link(intake: Intake, item: str) -> str:
    from contestflow.db import session_scope
    from contestflow.db.models import MaterialRequest

    with session_scope() as session:
        link = request_link(session.get(MaterialRequest, intake.request_id(item)))
    return intake.base_url + link.split("127.0.0.1:8000", 1)[1]


def test_a_department_uploads_through_the_page(chromium, intake: Intake,  # type: ignore[no-untyped-def]
                                               tmp_path: Path) -> None:
    intake.upload("project", "Проект (черновик).docx", samples.docx_bytes("Черновик"))
    document = tmp_path / DOCUMENT_NAME
    document.write_bytes(samples.docx_bytes())
    context = chromium.new_context(locale="ru-RU", viewport={"width": 1000, "height": 1250})
    page = context.new_page()
    try:
        page.goto(_link(intake, "project"))
        assert "?token=" not in page.url  # the link became a session cookie
        page.get_by_text("Что нужно прислать").wait_for()
        page.set_input_files("input[type=file]", str(document))
        assert page.locator(".chosen").inner_text() == DOCUMENT_NAME
        page.get_by_role("button", name="Отправить").click()
        page.get_by_text("Файл получен: версия 2.").wait_for(timeout=15000)
        rows = page.locator("table.versions tbody tr")
        assert rows.count() == 2
        assert rows.first.locator(".filename").inner_text() == DOCUMENT_NAME
        # The README's picture: written when missing or when asked, so a test run does not
        # leave the working tree changed (the page shows the upload time).
        shot = screenshot_path("intake-upload.png", tmp_path)
        shot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()


def test_a_refusal_is_shown_on_the_page(chromium, intake: Intake,  # type: ignore[no-untyped-def]
                                        tmp_path: Path) -> None:
    fake = tmp_path / "Фото.jpg"
    fake.write_bytes(samples.html_page())
    context = chromium.new_context(locale="ru-RU")
    page = context.new_page()
    try:
        page.goto(_link(intake, "photographs"))
        page.set_input_files("input[type=file]", str(fake))
        page.get_by_role("button", name="Отправить").click()
        status = page.locator(".status.error")
        status.wait_for(timeout=15000)
        assert "веб-страница (HTML)" in status.inner_text()
    finally:
        context.close()


def test_a_file_dropped_on_the_page_is_uploaded(chromium, intake: Intake) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context(locale="ru-RU")
    page = context.new_page()
    try:
        page.goto(_link(intake, "photographs"))
        drop = page.evaluate_handle(
            """([name, data]) => {
                const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], name, {type: "image/png"}));
                return transfer;
            }""", ["Фото площади.png", base64.b64encode(samples.png_bytes()).decode()])
        page.dispatch_event(".dropzone", "drop", {"dataTransfer": drop})
        page.get_by_text("Файл получен: версия 1.").wait_for(timeout=15000)
        assert page.locator("table.versions .filename").inner_text() == "Фото площади.png"
    finally:
        context.close()
