"""The upload API: what is accepted, and every bad input refused with nothing left behind."""

from __future__ import annotations

import datetime as dt
import socket
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import IntakeToken, Material, MaterialRequest
from contestflow.intake.tokens import mint_token, revoke_tokens
from contestflow.store import get_store
from tests.intake import samples
from tests.web.conftest import Intake, material_count, refusals, stored_blobs

RUSSIAN_NAME = "Заявка «Культура 21» — проект (итог)...docx"


def test_a_russian_named_docx_is_accepted_and_keeps_its_name(intake: Intake) -> None:
    data = samples.docx_bytes()
    response = intake.upload("project", RUSSIAN_NAME, data)
    assert response.status_code == 201, response.text
    answer = response.json()
    assert set(answer) == {"material_id", "version", "sha256"}
    assert answer["version"] == 1
    with session_scope() as session:
        material = session.get(Material, answer["material_id"])
        assert material is not None
        assert material.filename == RUSSIAN_NAME
        assert material.sha256 == answer["sha256"]
        assert material.media_type.endswith("wordprocessingml.document")
        assert material.uploaded_by == "department:culture"
        assert session.get(MaterialRequest, intake.request_id("project")).state == "received"
    assert get_store().path(answer["sha256"]).read_bytes() == data
    assert not list((intake.workspace / "intake-tmp").iterdir())


def test_a_second_upload_is_a_new_version(intake: Intake) -> None:
    first = intake.upload("presentation-letter", "письмо.pdf", samples.pdf_bytes()).json()
    second = intake.upload("presentation-letter", "письмо.docx", samples.docx_bytes()).json()
    assert (first["version"], second["version"]) == (1, 2)


def test_the_real_type_decides_the_extension(intake: Intake) -> None:
    response = intake.upload("presentation-letter", "письмо.docx", samples.pdf_bytes())
    assert response.status_code == 201
    with session_scope() as session:
        material = session.get(Material, response.json()["material_id"])
        assert (material.filename, material.media_type) == ("письмо.pdf", "application/pdf")


BAD_FILES: dict[str, tuple[str, str, Callable[[], bytes], int, str]] = {
    # case: (item, file name, content, status, refusal code)
    "xxe": ("project", "проект.docx", samples.xxe_docx, 422, "dtd"),
    "billion laughs": ("project", "проект.docx", samples.billion_laughs_docx, 422, "dtd"),
    "zip bomb": ("project", "проект.docx", samples.zip_bomb, 422, "zip_bomb"),
    "small docx, huge part": ("project", "проект.docx", samples.docx_with_huge_part, 422,
                              "zip_bomb"),
    "directory claims 3 GB": ("project", "проект.docx", samples.claimed_gigabytes_docx, 422,
                              "zip_bomb"),
    "path traversal in the zip": ("project", "проект.docx", samples.traversal_zip_docx, 422,
                                  "zip_names"),
    "absolute name in the zip": ("project", "проект.docx", samples.absolute_name_docx, 422,
                                 "zip_names"),
    "duplicate part names": ("project", "проект.docx", samples.duplicate_name_docx, 422,
                             "zip_names"),
    "path traversal in the file name": ("project", "../../outside.docx", samples.docx_bytes,
                                        400, "name_path"),
    "backslash traversal in the file name": ("project", "..\\..\\outside.docx",
                                             samples.docx_bytes, 400, "name_path"),
    "NUL in the file name": ("project", "проект\x00.exe.docx", samples.docx_bytes, 400,
                             "bad_name"),
    "a 5,000-character name": ("project", "а" * 5000 + ".docx", samples.docx_bytes, 400,
                               "name_too_long"),
    "a 300-byte name": ("project", "о" * 145 + ".docx", samples.docx_bytes, 400,
                        "name_too_long"),
    "CR in the file name": ("project", "проект\r.docx", samples.docx_bytes, 400,
                            "name_line_break"),
    "CRLF in the file name": ("project", "проект\r\n.docx", samples.docx_bytes, 400,
                              "name_line_break"),
    "right-to-left override in the name": ("project", "проект\u202excod.exe",
                                           samples.docx_bytes, 400, "bad_name"),
    "empty file": ("project", "проект.docx", lambda: b"", 422, "empty"),
    "executable named .docx": ("project", "проект.docx", samples.executable, 415, "program"),
    "plain text named .docx": ("project", "проект.docx", samples.plain_text, 415,
                               "wrong_type"),
    "macro document renamed .docx": ("project", "проект.docx", samples.docm_renamed, 422,
                                     "macros"),
    "ActiveX control": ("project", "проект.docx", samples.activex_docx, 422, "macros"),
    "remote template": ("project", "проект.docx", samples.external_template_docx, 422,
                        "external"),
    "HTML named .jpg": ("photographs", "фото.jpg", samples.html_page, 415, "wrong_type"),
    "truncated docx": ("project", "проект.docx", lambda: samples.truncated(samples.docx_bytes()),
                       422, "damaged"),
    "corrupt docx": ("project", "проект.docx", samples.corrupted_docx, 422, "damaged"),
    "truncated jpeg": ("photographs", "фото.jpg",
                       lambda: samples.truncated(samples.jpeg_bytes()), 422, "damaged"),
    "pixel flood png": ("photographs", "фото.png", lambda: samples.png_claiming(9000, 9000),
                        422, "image_too_big"),
    "truncated pdf": ("presentation-letter", "письмо.pdf",
                      lambda: samples.truncated(samples.pdf_bytes(4000)), 422, "damaged"),
}


@pytest.fixture
def sentinel_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The system temp folder, redirected to an empty folder we can watch."""
    folder = tmp_path / "system-tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder


def post_raw(intake: Intake, item: str, name: bytes, data: bytes) -> httpx.Response:
    """A multipart body written by hand, so the file name's bytes arrive exactly as given."""
    body = (b"--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + name + b"\"\r\nContent-Type: application/octet-stream\r\n\r\n" + data
            + b"\r\n--b0undary--\r\n")
    return intake.client.post(
        f"/intake/{intake.request_id(item)}", params={"token": intake.token(item)},
        content=body, headers={"Accept": "application/json",
                               "Content-Type": "multipart/form-data; boundary=b0undary"})


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_input_is_refused_and_leaves_nothing(intake: Intake, case: str, tmp_path: Path,
                                                 sentinel_tmp: Path) -> None:
    item, name, content, status, code = BAD_FILES[case]
    blobs_before = stored_blobs(intake.workspace)
    if "\x00" in name or "\r" in name or len(name) > 1000:  # as sent, never re-escaped
        response = post_raw(intake, item, name.encode(), content())
    else:
        response = intake.upload(item, name, content())
    assert response.status_code == status, response.text
    answer = response.json()
    assert answer["code"] == code
    assert answer["error"].endswith(".") and "\n" not in answer["error"]
    assert material_count() == 0
    assert stored_blobs(intake.workspace) == blobs_before
    assert not list((intake.workspace / "intake-tmp").iterdir())
    assert not list(sentinel_tmp.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["system-tmp", "workspace"]
    [event] = refusals(code)
    assert event["actor"] == f"department:{intake.requests[item][1]}"
    assert event["subject_id"] == str(intake.request_id(item))


def test_refusals_are_in_russian_by_default(intake: Intake) -> None:
    response = intake.upload("project", "проект.docx", samples.executable(), lang="ru")
    assert response.json()["error"] == "Это программа, а не документ; программы не принимаются."


def test_one_byte_over_the_cap_is_refused(intake: Intake) -> None:
    cap = 20 * 1024 * 1024  # the "project" item's max_size_mb
    assert intake.upload("project", "проект.docx", b"\x00" * cap + b"\x00").status_code == 413
    [event] = refusals("too_large")
    assert event["size"] == cap + 1
    assert material_count() == 0 and not stored_blobs(intake.workspace)


def test_a_declared_size_far_over_the_cap_is_refused_before_reading(intake: Intake) -> None:
    """Content-Length alone is enough: the answer comes before a gigabyte is sent."""
    host, port = intake.base_url.removeprefix("http://").split(":")
    path = f"/intake/{intake.request_id('project')}?token={intake.token('project')}"
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
            "Content-Type: multipart/form-data; boundary=zz\r\n"
            f"Content-Length: {10 ** 9}\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(head + b"--zz\r\n")
        answer = connection.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413")
    assert material_count() == 0


def _token_case(intake: Intake, case: str) -> tuple[str, int]:
    """A token and the request it is used on, for each way a link can be wrong."""
    project = intake.request_id("project")
    with session_scope() as session:
        request = session.get(MaterialRequest, project)
        if case == "expired":
            past = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
            return mint_token(session, request, actor="test", expires_at=past), project
        if case == "revoked":
            token = mint_token(session, request, actor="test")
            revoke_tokens(session, project, actor="test")
            return token, project
        if case == "another department's request":
            letter = session.get(MaterialRequest, intake.request_id("presentation-letter"))
            assert letter.department_id != request.department_id
            return mint_token(session, letter, actor="test"), project
        token = mint_token(session, request, actor="test")
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    return tampered, project


@pytest.mark.parametrize(("case", "code"), [
    ("expired", "token_expired"), ("tampered", "token_invalid"), ("revoked", "token_revoked"),
    ("another department's request", "wrong_request"),
])
def test_bad_links_are_refused(intake: Intake, case: str, code: str) -> None:
    token, request_id = _token_case(intake, case)
    response = intake.upload("project", "проект.docx", samples.docx_bytes(), token=token,
                             request_id=request_id)
    assert response.status_code == 403
    assert response.json()["code"] == code
    page = intake.client.get(f"/intake/{request_id}", params={"token": token})
    assert page.status_code == 403 and "cf_intake" not in page.headers.get("set-cookie", "")
    assert material_count() == 0
    # counted per address and minute, not a row per request (a guesser cannot grow the log)
    assert refusals(code) == [] and intake.counted_refusals(code) == 2


def test_a_refusal_before_the_body_is_read_still_reaches_the_client(intake: Intake) -> None:
    """The server drains a refused body, so even a 5 MB upload gets its 403, not a reset."""
    response = intake.upload("project", "проект.docx", b"\x00" * (5 * 1024 * 1024),
                             token="not-a-token")
    assert response.status_code == 403


def test_a_session_post_without_the_pages_csrf_token_is_refused(intake: Intake) -> None:
    client, csrf = intake.browser_session("project")
    with closing(client):
        response = intake.upload("project", "проект.docx", samples.docx_bytes(), token="",
                                 client=client)
        assert response.status_code == 403 and response.json()["code"] == "csrf"
        forged = intake.upload("project", "проект.docx", samples.docx_bytes(), token="",
                               client=client, headers={"X-CSRF-Token": csrf[::-1]})
        assert forged.status_code == 403
        assert material_count() == 0
        assert refusals("csrf") == [] and intake.counted_refusals("csrf") == 2
        good = intake.upload("project", "проект.docx", samples.docx_bytes(), token="",
                             client=client, headers={"X-CSRF-Token": csrf})
        assert good.status_code == 201


def test_the_csrf_token_may_come_as_a_form_field_before_the_file(intake: Intake) -> None:
    client, csrf = intake.browser_session("project")
    with closing(client):
        response = client.post(f"/intake/{intake.request_id('project')}",
                               data={"csrf_token": csrf},
                               files={"file": ("проект.docx", samples.docx_bytes())})
    assert response.status_code == 200 and "проект.docx" in response.text  # the page again


def test_a_revoked_link_ends_the_session_it_opened(intake: Intake) -> None:
    client, csrf = intake.browser_session("project")
    with session_scope() as session:
        revoke_tokens(session, intake.request_id("project"), actor="coordinator")
    with closing(client):
        page = client.get(f"/intake/{intake.request_id('project')}")
        assert page.status_code == 403
        upload = intake.upload("project", "проект.docx", samples.docx_bytes(), token="",
                               client=client, headers={"X-CSRF-Token": csrf})
        assert upload.status_code == 403 and upload.json()["code"] == "token_revoked"


def test_a_department_session_sees_only_its_own_requests(intake: Intake) -> None:
    client, _ = intake.browser_session("project")  # culture
    with closing(client):
        other = client.get(f"/intake/{intake.request_id('presentation-letter')}")  # head-office
        assert other.status_code == 403
        same_department = client.get(f"/intake/{intake.request_id('background')}")
        assert same_department.status_code == 403  # no link was opened for it


def test_no_link_and_no_session_is_refused(intake: Intake) -> None:
    response = intake.client.get(f"/intake/{intake.request_id('project')}")
    assert response.status_code == 401


def test_link_tokens_are_recorded_and_revocable(intake: Intake) -> None:
    intake.token("project")
    with session_scope() as session:
        rows = session.scalars(select(IntakeToken)).all()
        assert [row.request_id for row in rows] == [intake.request_id("project")]


def test_a_client_that_goes_away_mid_upload_leaves_nothing(intake: Intake) -> None:
    host, port = intake.base_url.removeprefix("http://").split(":")
    path = f"/intake/{intake.request_id('project')}?token={intake.token('project')}"
    part = (b"--zz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.docx\"\r\n\r\n"
            + b"PK\x03\x04" + b"\x00" * 300_000)
    head = (f"POST {path} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n"
            "Content-Type: multipart/form-data; boundary=zz\r\n"
            f"Content-Length: {2 * 1024 * 1024}\r\n\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(head + part)
        deadline = time.monotonic() + 10
        while not list((intake.workspace / "intake-tmp").glob("upload-*.part")):
            assert time.monotonic() < deadline
            time.sleep(0.01)
    deadline = time.monotonic() + 10
    while list((intake.workspace / "intake-tmp").glob("upload-*.part")):
        assert time.monotonic() < deadline, "the half upload was not removed"
        time.sleep(0.02)
    assert material_count() == 0 and not stored_blobs(intake.workspace)
    assert intake.upload("project", "a.docx", samples.docx_bytes()).status_code == 201
