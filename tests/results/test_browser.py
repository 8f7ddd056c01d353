"""The report opens in headless Chromium, prints, and its screenshot goes into the README tour."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright import sync_api

from contestflow.db import session_scope
from contestflow.identity import history_file
from contestflow.results.history import import_history_file
from contestflow.results.report import write_report
from tests.browser import CHROMIUM_ARGS, chromium_executable, screenshot_path

pytestmark = pytest.mark.browser


def test_report_opens_prints_and_is_screenshotted(tmp_path: Path) -> None:

    executable = chromium_executable()
    with session_scope() as session:
        assert import_history_file(session, history_file()).ok
        files = write_report(session, tmp_path / "report")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 1500})
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            page.goto(files.index.as_uri())
            assert page.title().startswith("Участие города Ставрополя")
            entries = page.locator("#total-entries").inner_text()
            assert entries == str(files.summary.total.entries)
            assert page.locator("#by-year tbody tr").count() == len(files.summary.by_year) + 1
            widths = page.eval_on_selector_all("img", "images => images.map(i => i.naturalWidth)")
            assert len(widths) == 2 and all(width > 300 for width in widths)
            assert all(url.startswith(("file:", "data:")) for url in requests)
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF") and len(pdf) > 20_000
            shot = screenshot_path("results-report.png", tmp_path)
            page.screenshot(path=str(shot))
        finally:
            browser.close()
    assert shot.stat().st_size > 20_000


def test_record_page_screenshot(tmp_path: Path) -> None:

    executable = chromium_executable()
    from fastapi.testclient import TestClient

    from tests.results.helpers import sent_submission
    from tests.results.test_web import make_app

    submission_id = sent_submission(nomination="Казачья культура")
    with TestClient(make_app()) as client:
        html = client.get(f"/results/record/{submission_id}").text
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 900})
            page.set_content(html)
            options = page.eval_on_selector_all("#outcome option", "os => os.map(o => o.value)")
            assert "good-practice" in options
            page.screenshot(path=str(screenshot_path("results-record.png", tmp_path)))
        finally:
            browser.close()
