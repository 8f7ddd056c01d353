"""One submission through its whole life in the browser alone, as the coordinator, two
departments and a reviewer do it: sign in, open, send the requests, upload, confirm, approve,
send to the organiser (a real SMTP server), record and correct the result, read the report.
The screenshots are the README's tour of the office."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest

from tests.browser import screenshot_path
from tests.intake import samples
from tests.intake.mailserver import Collector, serving
from tests.web.office import Office, sign_in_page

pytestmark = pytest.mark.browser
ORGANISER = "contest@iac.example"


def _sign_in(page, office: Office, login: str) -> None:  # type: ignore[no-untyped-def]
    sign_in_page(page, office.base_url, login)


def _sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Выйти").click()
    page.get_by_role("heading", name="Войти").wait_for()


def _until(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Reload until the page says ``text`` (the flow runs on the web app's worker)."""
    for _ in range(60):
        if page.get_by_text(text).count():
            return
        page.wait_for_timeout(500)
        page.reload()
    page.screenshot(path="/tmp/office-stuck.png", full_page=True)
    raise AssertionError(f"the page never said {text!r}")


def _upload(chromium, link: str, document: Path) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context(locale="ru-RU")
    page = context.new_page()
    try:
        page.goto(link)
        page.set_input_files("input[type=file]", str(document))
        page.get_by_role("button", name="Отправить").click()
        page.get_by_text("Файл получен: версия 1.").wait_for(timeout=15000)
    finally:
        context.close()


def test_one_submission_from_opening_to_its_corrected_result(  # type: ignore[no-untyped-def]
        chromium, office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    organiser = Collector()
    with serving(organiser, monkeypatch):
        context = chromium.new_context(locale="ru-RU", viewport={"width": 1200, "height": 1400})
        page = context.new_page()
        try:
            _sign_in(page, office, "ivanova")
            page.get_by_role("link", name="Конкурсы").click()
            edition = page.locator("#iac-city-to-live-2027")
            edition.get_by_label("Рабочее название заявки").fill("Зелёный двор")
            page.screenshot(path=str(screenshot_path("office-contests.png", tmp_path)))
            edition.get_by_role("button", name="Открыть заявку").click()
            page.get_by_text("Заявка открыта.").wait_for()
            submission_id = int(page.url.rsplit("/", 1)[1].split("?")[0])
            page.get_by_role("button", name="Отправить запросы подразделениям").click()
            _until(page, "сбор материалов")

            links = office.upload_links(submission_id)
            for item, text in (("practice-description", "Описание практики «Зелёный двор»."),
                               ("effect-figures", "Показатели: 12 дворов, 3400 жителей.")):
                document = tmp_path / f"{item}.docx"
                document.write_bytes(samples.docx_bytes(text))
                _upload(chromium, links[item], document)  # two departments, each its link

            # The last required upload moves the submission on by itself: no button needed.
            _until(page, "на проверке")
            page.get_by_label("Города СНГ и ЕАЭС").check()
            page.get_by_role("button", name="Подтвердить отмеченные условия").click()
            page.get_by_text("Условия подтверждены.").wait_for()
            page.screenshot(path=str(screenshot_path("office-submission.png", tmp_path)),
                            full_page=True)
            _sign_out(page)

            _sign_in(page, office, "petrov")  # the reviewer decides
            page.goto(f"{office.base_url}/coordinator/submissions/{submission_id}")
            assert page.get_by_role("button", name="Отозвать").count() == 0
            page.get_by_role("button", name="Утвердить пакет").click()
            page.get_by_text("Пакет утверждён.").first.wait_for()
            _sign_out(page)

            _sign_in(page, office, "ivanova")
            page.goto(f"{office.base_url}/coordinator/submissions/{submission_id}")
            with page.expect_download() as download:
                page.get_by_role("link", name="Пакет для организатора").click()
            assert download.value.suggested_filename.endswith(".zip")
            page.get_by_label("Адрес организатора").fill(ORGANISER)
            page.get_by_role("button", name="Отправить пакет").click()
            page.get_by_text("Отправка записана.").wait_for()
            assert page.get_by_text("отправлено").count()

            page.get_by_role("link", name="Записать результат").click()
            page.locator("select[name=outcome]").select_option(label="Без награды")
            page.get_by_role("button", name="Сохранить").click()
            page.goto(f"{office.base_url}/coordinator/submissions/{submission_id}")
            page.get_by_role("link", name="Исправить результат").click()
            page.locator("select[name=outcome]").select_option(label="Диплом в номинации ★")
            page.locator("textarea[name=notes]").fill("Исправлено: диплом вручён в марте.")
            page.get_by_role("button", name="Сохранить").click()
            page.goto(f"{office.base_url}/results/report")
            report = page.content()
            page.screenshot(path=str(screenshot_path("office-report.png", tmp_path)),
                            full_page=True)
        except Exception:
            page.screenshot(path=str(tmp_path / "failed-here.png"), full_page=True)
            raise
        finally:
            context.close()
    mails = [email.message_from_bytes(raw, policy=policy.default)
             for to, raw in organiser.messages if ORGANISER in to]
    assert len(mails) == 1 and mails[0].get_content_type() == "multipart/mixed"
    assert "Исправлено: диплом вручён в марте." in report
    assert "Заявок: 1, наград: 1" in report  # the corrected result is the entry's only one
