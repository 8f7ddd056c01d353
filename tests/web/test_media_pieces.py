"""A press piece's outlet, author, date and kind travel with its file on the upload page: a piece
published outside the edition's window is refused at upload with nothing kept, one inside is
kept with its details, and assembly checks the dates again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from contestflow.assembly.package import build_package
from contestflow.catalog import catalog_for
from contestflow.db import session_scope
from contestflow.db.models import Material, Submission
from contestflow.intake.errors import UploadRefused
from contestflow.intake.fields import describe_file
from contestflow.intake.tokens import current_token
from contestflow.store import get_store
from contestflow.submission.opening import open_submission
from tests.web.conftest import Intake, material_count, refusals, stored_blobs

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n" + b"piece " * 200 + b"\n%%EOF\n"


@pytest.fixture
def media(intake: Intake) -> tuple[Intake, int, str, tuple[dt.date, dt.date]]:
    """The intake server with a media-contest entry open: its ``publications`` request, the
    request's link token and the edition's publication window."""
    with session_scope() as session:
        definition = catalog_for(session).get("iac-city-media")
        edition = max((e for e in definition.editions
                       if e.publication_window and e.nominations), key=lambda e: e.deadline)
        submission = open_submission(session, definition.id, edition.key, late=True,
                                     nomination=edition.nominations[0])
        request = next(r for r in submission.requests if r.item_id == "publications")
        assert edition.publication_window is not None
        return intake, request.id, current_token(session, request), edition.publication_window


def _piece(published: dt.date | str) -> dict[str, str]:
    day = published.strftime("%d.%m.%Y") if isinstance(published, dt.date) else published
    return {"outlet": "Вечерний Ставрополь", "author": "И. Петрова", "published_on": day,
            "kind": "печать"}


def _upload(media, details: dict[str, str], lang: str = "en"):  # type: ignore[no-untyped-def]
    intake, request_id, token, _window = media
    return intake.client.post(f"/intake/{request_id}", params={"token": token}, data=details,
                              files={"file": ("Публикация.pdf", PDF)},
                              headers={"Accept": "application/json", "Accept-Language": lang})


def test_a_piece_outside_the_window_is_refused_and_nothing_kept(media) -> None:  # type: ignore[no-untyped-def]
    intake, _request_id, _token, (start, end) = media
    before_rows, before_blobs = material_count(), stored_blobs(intake.workspace)
    late = _upload(media, _piece(end + dt.timedelta(days=1)))
    assert late.status_code == 422, late.text
    assert "outside the contest's window" in late.json()["error"]
    assert end.isoformat() in late.json()["error"]
    early = _upload(media, _piece(start - dt.timedelta(days=1)), lang="ru")
    assert early.status_code == 422
    assert "вне сроков конкурса" in early.json()["error"]
    assert start.strftime("%d.%m.%Y") in early.json()["error"]
    assert material_count() == before_rows
    assert stored_blobs(intake.workspace) == before_blobs
    assert len(refusals("outside_window")) == 2


def test_a_piece_inside_the_window_is_kept_with_its_details(media) -> None:  # type: ignore[no-untyped-def]
    _intake, request_id, _token, (start, end) = media
    for day in (start, end):  # the window's own days are inside it
        answer = _upload(media, _piece(day))
        assert answer.status_code == 201, answer.text
    with session_scope() as session:
        kept = session.query(Material).filter_by(request_id=request_id).order_by(Material.id)
        assert [m.details for m in kept] == [
            {"outlet": "Вечерний Ставрополь", "author": "И. Петрова",
             "published_on": day.isoformat(), "kind": "print"} for day in (start, end)]


def test_malformed_details_refuse_the_file_in_one_sentence(media) -> None:  # type: ignore[no-untyped-def]
    before = material_count()
    answer = _upload(media, _piece("31 February"), lang="ru")
    assert answer.status_code == 422
    assert answer.json()["error"].startswith("Файл не принят")
    assert "дата в виде дд.мм.гггг" in answer.json()["error"]
    missing = _upload(media, {k: v for k, v in _piece("01.01.2026").items() if k != "outlet"})
    assert missing.status_code == 422 and "Outlet is required" in missing.json()["error"]
    assert material_count() == before


def test_assembly_checks_the_dates_again(media) -> None:  # type: ignore[no-untyped-def]
    _intake, request_id, _token, (start, end) = media
    assert _upload(media, _piece(start)).status_code == 201
    # Changing the date afterwards is held to the window as well...
    with pytest.raises(UploadRefused, match="outside the contest's window"), \
            session_scope() as session:
        describe_file(session, request_id, 1, _piece(end + dt.timedelta(days=30)), actor="press")
    with session_scope() as session:
        # ...and a date that no longer fits (the window corrected since) is caught at assembly.
        material = session.query(Material).filter_by(request_id=request_id).one()
        material.details = {**material.details,
                            "published_on": (end + dt.timedelta(days=30)).isoformat()}
        submission_id = material.request.submission_id
    with session_scope() as session:
        submission = session.get(Submission, submission_id)
        assert submission is not None
        result = build_package(session, get_store(), submission)
    window = [f for f in result.blocking if f.rule == "publication-window"]
    assert window and "outside the window" in window[0].message.en


@pytest.mark.browser
def test_the_upload_page_asks_the_details_and_shows_the_refusal(  # type: ignore[no-untyped-def]
        chromium, media, tmp_path: Path) -> None:
    intake, request_id, token, (start, end) = media
    piece = tmp_path / "Публикация.pdf"
    piece.write_bytes(PDF)
    context = chromium.new_context(locale="ru-RU")
    page = context.new_page()
    try:
        page.goto(f"{intake.base_url}/intake/{request_id}?token={token}")
        page.get_by_text("О материале").wait_for()
        assert f"с {start.strftime('%d.%m.%Y')} по {end.strftime('%d.%m.%Y')}" in page.content()
        details = page.locator("form.upload fieldset.details")
        details.locator("input[name=outlet]").fill("Вечерний Ставрополь")
        details.locator("input[name=author]").fill("И. Петрова")
        details.locator("input[name=published_on]").fill(
            (end + dt.timedelta(days=1)).isoformat())
        details.locator("select[name=kind]").select_option(label="печать")
        page.set_input_files("form.upload input[type=file]", str(piece))
        page.get_by_role("button", name="Отправить").click()
        status = page.locator(".status.error")
        status.wait_for(timeout=15000)
        assert "вне сроков конкурса" in status.inner_text()
        assert material_count_for(request_id) == 0
        details.locator("input[name=published_on]").fill(start.isoformat())
        page.get_by_role("button", name="Отправить").click()
        page.get_by_text("Файл получен: версия 1.").wait_for(timeout=15000)
        assert material_count_for(request_id) == 1
    finally:
        context.close()


def material_count_for(request_id: int) -> int:
    with session_scope() as session:
        return session.query(Material).filter_by(request_id=request_id).count()


def test_a_new_version_of_a_piece_keeps_its_details(media) -> None:  # type: ignore[no-untyped-def]
    intake, request_id, token, (start, _end) = media
    assert _upload(media, _piece(start)).status_code == 201
    again = intake.client.post(f"/intake/{request_id}", params={"token": token, "replace": 1},
                               files={"file": ("Публикация, исправлено.pdf", PDF + b" ")},
                               headers={"Accept": "application/json"})
    assert again.status_code == 201, again.text
    with session_scope() as session:
        versions = session.query(Material).filter_by(request_id=request_id).order_by(
            Material.version)
        assert [(m.version, m.details["published_on"]) for m in versions] == [
            (1, start.isoformat()), (2, start.isoformat())]
