"""The record form's certificate streams in through the intake's receiver: to a temp file in the
workspace (never the system temp folder), refused at the first byte past the cap, CSRF-checked
before a byte of it is written, and stored under its own clean name."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, Result
from contestflow.results.certificates import MAX_CERTIFICATE_BYTES
from contestflow.store import get_store
from contestflow.web.server import BackgroundServer
from tests.results.helpers import sent_submission
from tests.results.test_web import TOKEN, make_app

MiB = 1024 * 1024
NOMINATION = "Казачья культура"
CYRILLIC_NAME = "Диплом лауреата — Ставрополь 2024.pdf"
Part = tuple[str, str | tuple[str, bytes]]


@dataclass
class TempWatch:
    """A fresh, empty system temp folder, and every path ``os.open`` was asked for."""

    system_tmp: Path
    workspace_tmp: Path
    opened: list[str] = field(default_factory=list)

    def opened_under(self, folder: Path) -> list[str]:
        return [p for p in self.opened if p == str(folder) or p.startswith(f"{folder}{os.sep}")]


@pytest.fixture
def watch(tmp_path: Path, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> TempWatch:
    """The ``tempfile`` module (Starlette's spooled uploads included) points at an empty folder
    of the test's own, and ``os.open`` is watched: Linux opens an anonymous temp file
    (``O_TMPFILE``) that never shows in a listing, but it is opened in that folder."""
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(system_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    found = TempWatch(system_tmp, workspace / "intake-tmp")
    real_open = os.open

    def spy(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        found.opened.append(os.fsdecode(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    return found


@pytest.fixture
def client(database_url: str) -> Iterator[TestClient]:
    with TestClient(make_app()) as test_client:
        yield test_client


def multipart(parts: list[Part]) -> tuple[bytes, dict[str, str]]:
    """A body in the order given, as a browser sends the form (the file before the notes);
    a part whose value is ``(name, bytes)`` is a file."""
    boundary = f"----cf{secrets.token_hex(8)}"
    chunks: list[bytes] = []
    for name, value in parts:
        if isinstance(value, tuple):
            filename, data = value
            head = (f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: application/octet-stream")
        else:
            head, data = f'Content-Disposition: form-data; name="{name}"', value.encode()
        chunks += [f"--{boundary}\r\n{head}\r\n\r\n".encode(), data, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def browser_form(file: tuple[str, bytes], *, token: str | None = TOKEN,
                 notes: str = "диплом пришёл почтой") -> list[Part]:
    """The record form's fields in the page's order; ``("", b"")`` is "no file chosen"."""
    before: list[Part] = [] if token is None else [("csrf_token", token)]
    return [*before, ("outcome", "good-practice"), ("nomination", NOMINATION),
            ("department", "culture"), ("announced_on", "2024-06-11"),
            ("prize_amount", "1500,50"), ("prize_currency", "eur"), ("certificate", file),
            ("notes", notes)]


def pdf(size: int) -> bytes:
    return (b"%PDF-1.4\n" + b"0" * size)[:size]


def post(client: TestClient | httpx.Client, submission_id: int, parts: list[Part]
         ) -> httpx.Response:
    body, headers = multipart(parts)
    return client.post(f"/results/record/{submission_id}?lang=en", content=body,
                       headers=headers, follow_redirects=False)


def results_count() -> int:
    with session_scope() as session:
        return session.scalar(select(func.count()).select_from(Result)) or 0


def assert_nothing_kept(watch: TempWatch | None = None) -> None:
    assert results_count() == 0
    assert not list(get_store().root.glob("??/??/*"))
    assert not list(get_store().root.glob("tmp/*"))
    if watch is not None:
        assert not list(watch.workspace_tmp.glob("*"))
        assert not list(watch.system_tmp.iterdir())
        assert not watch.opened_under(watch.system_tmp)


@pytest.mark.parametrize("over", [1, 3 * MiB], ids=["one-byte-over", "declared-far-over"])
def test_a_certificate_over_the_cap_is_refused_and_nothing_is_kept(
        client: TestClient, watch: TempWatch, over: int) -> None:
    submission_id = sent_submission()
    response = post(client, submission_id,
                    browser_form(("big.pdf", pdf(MAX_CERTIFICATE_BYTES + over))))
    assert response.status_code == 413
    assert ("The file is too large: “Certificate or letter” accepts files of at most 20 MB."
            in response.text)
    assert 'role="alert"' in response.text and 'name="outcome"' in response.text
    if over == 1:  # refused mid-body: what was typed before the file is shown again
        assert f'value="{NOMINATION}"' in response.text
    assert_nothing_kept(watch)


def test_exactly_the_cap_is_accepted(client: TestClient) -> None:
    submission_id = sent_submission()
    response = post(client, submission_id,
                    browser_form(("full.pdf", pdf(MAX_CERTIFICATE_BYTES))))
    assert response.status_code == 303, response.text
    with session_scope() as session:
        digest = session.scalars(select(Result)).one().certificate_sha256
    assert digest and get_store().path(digest).stat().st_size == MAX_CERTIFICATE_BYTES


def test_a_large_certificate_streams_to_the_workspace_not_the_system_temp_folder(
        client: TestClient, watch: TempWatch) -> None:
    submission_id = sent_submission()
    data = pdf(3 * MiB)  # Starlette spooled anything over 1 MiB to the system temp folder
    response = post(client, submission_id, browser_form(("letter.pdf", data)))
    assert response.status_code == 303, response.text
    assert not watch.opened_under(watch.system_tmp)
    assert watch.opened_under(watch.workspace_tmp)  # it did stream to the workspace
    assert not list(watch.system_tmp.iterdir()) and not list(watch.workspace_tmp.iterdir())
    with session_scope() as session:
        result = session.scalars(select(Result)).one()
        assert result.notes == "диплом пришёл почтой"  # a field after the file still arrives
        assert result.certificate_sha256
        assert get_store().read_bytes(result.certificate_sha256) == data


def test_a_cyrillic_certificate_is_stored_and_linked_from_its_result(
        client: TestClient) -> None:
    submission_id = sent_submission()
    data = pdf(4096)
    response = post(client, submission_id, browser_form((CYRILLIC_NAME, data)))
    assert response.status_code == 303, response.text
    with session_scope() as session:
        result_id = session.scalars(select(Result)).one().id
        event = session.scalars(select(AuditEvent)
                                .where(AuditEvent.action == "result.certificate")).one()
        assert event.details["filename"] == CYRILLIC_NAME
    ledger = client.get(response.headers["location"])
    assert f'href="/results/{result_id}/certificate"' in ledger.text
    download = client.get(f"/results/{result_id}/certificate")
    assert download.headers["content-type"] == "application/pdf" and download.content == data


def test_the_form_fields_work_without_a_file(client: TestClient) -> None:
    submission_id = sent_submission()
    notes = "отмечено жюри; " * 500  # longer than the intake's 4 KiB fields
    response = post(client, submission_id, browser_form(("", b""), notes=notes))
    assert response.status_code == 303, response.text
    assert response.headers["location"] == "/results?recorded=1&lang=en"
    with session_scope() as session:
        result = session.scalars(select(Result)).one()
        assert (result.outcome, result.nomination, result.department_id) == (
            "good-practice", NOMINATION, "culture")
        assert result.announced_on == dt.date(2024, 6, 11)
        assert (result.prize_amount, result.prize_currency) == (Decimal("1500.50"), "EUR")
        assert result.notes == notes.strip() and result.certificate_sha256 is None


def test_a_bad_field_shows_the_form_again_with_what_was_typed(client: TestClient) -> None:
    submission_id = sent_submission()
    parts = [(k, v) if k != "announced_on" else (k, "11.06.2024")
             for k, v in browser_form(("letter.pdf", pdf(4096)))]
    response = post(client, submission_id, parts)
    assert response.status_code == 400 and "is not a date" in response.text
    assert 'value="11.06.2024"' in response.text and "диплом пришёл почтой" in response.text
    assert_nothing_kept()


@pytest.mark.parametrize("token", [None, "forged"], ids=["missing", "wrong"])
@pytest.mark.parametrize("file", [("letter.pdf", pdf(2 * MiB)), ("", b"")],
                         ids=["with-file", "without-file"])
def test_a_missing_or_wrong_csrf_token_is_refused(
        client: TestClient, watch: TempWatch, token: str | None, file: tuple[str, bytes]
        ) -> None:
    submission_id = sent_submission()
    response = post(client, submission_id, browser_form(file, token=token))
    assert response.status_code == 403 and "expired" in response.text
    assert not watch.opened_under(watch.workspace_tmp)  # refused before the file was written
    assert_nothing_kept(watch)


def test_a_disguised_name_is_refused_before_a_byte_is_written(
        client: TestClient, watch: TempWatch) -> None:
    submission_id = sent_submission()
    response = post(client, submission_id, browser_form(("diploma\u202efdp.exe", pdf(4096))))
    assert response.status_code == 400 and "hidden control characters" in response.text
    assert not watch.opened_under(watch.workspace_tmp)
    assert_nothing_kept(watch)


def test_a_real_server_refuses_a_chunked_body_one_byte_over_the_cap(
        database_url: str, watch: TempWatch) -> None:
    """Over a real connection, without a Content-Length: the refusal comes from the stream."""
    submission_id = sent_submission()
    body, headers = multipart(browser_form(("big.pdf", pdf(MAX_CERTIFICATE_BYTES + 1))))

    def chunked() -> Iterator[bytes]:
        for start in range(0, len(body), MiB):
            yield body[start:start + MiB]

    with BackgroundServer(make_app()) as server, \
            httpx.Client(base_url=server.base_url, timeout=60) as http:
        response = http.post(f"/results/record/{submission_id}?lang=en", content=chunked(),
                             headers=headers)
    assert response.status_code == 413
    assert "accepts files of at most 20 MB" in response.text
    assert_nothing_kept(watch)
