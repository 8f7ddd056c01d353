"""Structured items through the intake: the mayor's details as fields on the upload page and
through the API, each refusal in one sentence, nothing kept when refused."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from contestflow.cli.main import app
from contestflow.db import session_scope
from contestflow.db.models import Material
from contestflow.store import get_store
from tests.web.conftest import Intake, material_count, refusals

MAYOR = {"name": "Ivan Ivanovich Ivanov", "position": "Head of the city of Stavropol",
         "address": "96 Karl Marx Avenue", "city": "Stavropol, 355006",
         "country": "Russian Federation", "phone": "+7 (8652) 00-00-00",
         "email": "glava@stavropol.example", "website": "https://stavropol.gosuslugi.ru"}


def _post(intake: Intake, values: object, **params: str):  # type: ignore[no-untyped-def]
    rid = intake.request_id("mayor-details")
    return intake.client.post(f"/intake/{rid}/fields",
                              params={"token": intake.token("mayor-details"), **params},
                              json=values, headers={"Accept": "application/json",
                                                    "Accept-Language": "ru"})


def _stored(intake: Intake) -> list[dict]:
    with session_scope() as session:
        rows = session.query(Material).filter_by(request_id=intake.request_id("mayor-details"))
        return [json.loads(get_store().read_bytes(m.sha256)) for m in rows.order_by(Material.id)]


def test_fields_through_the_api_are_kept_as_a_version(intake: Intake) -> None:
    answer = _post(intake, MAYOR | {"name": "  Ivan   Ivanovich Ivanov "})
    assert answer.status_code == 201, answer.text
    assert answer.json()["version"] == 1
    assert _stored(intake) == [MAYOR]  # spaces folded, field order the item's
    again = _post(intake, MAYOR)
    assert again.status_code == 201 and again.json()["version"] == 1  # unchanged: nothing new
    changed = _post(intake, MAYOR | {"phone": "+7 (8652) 11-11-11"})
    assert changed.json()["version"] == 2


def test_a_missing_required_field_is_refused_in_russian_and_nothing_kept(intake: Intake) -> None:
    before = material_count()
    answer = _post(intake, {k: v for k, v in MAYOR.items() if k != "phone"})
    assert answer.status_code == 422
    assert "поле «Телефон» не заполнено" in answer.json()["error"]
    assert material_count() == before
    assert refusals("bad_fields")


def test_unknown_fields_and_bad_bodies_are_refused(intake: Intake) -> None:
    assert _post(intake, MAYOR | {"salary": "1"}).status_code == 422
    assert _post(intake, ["not", "a", "mapping"]).status_code == 400
    assert _post(intake, MAYOR | {"name": "x" * 301}).status_code == 422
    assert material_count() == 0


def test_a_file_for_a_structured_item_is_refused(intake: Intake) -> None:
    answer = intake.upload("mayor-details", "mayor.docx", b"PK\x03\x04" + b"x" * 100, lang="ru")
    assert answer.status_code == 409
    assert "заполняется полями на странице" in answer.json()["error"]


def test_the_page_shows_the_fields_and_saves_them_as_a_browser_does(intake: Intake) -> None:
    client, csrf = intake.browser_session("mayor-details")
    page = client.get(f"/intake/{intake.request_id('mayor-details')}",
                      headers={"Accept-Language": "ru"})
    assert 'name="phone"' in page.text and "Заполните сведения" in page.text
    assert "английский" in page.text  # the fields are typed in the language of the entry
    rid = intake.request_id("mayor-details")
    refused = client.post(f"/intake/{rid}/fields", data=MAYOR | {"csrf_token": "forged"})
    assert refused.status_code == 403 and material_count() == 0
    saved = client.post(f"/intake/{rid}/fields", data=MAYOR | {"csrf_token": csrf})
    assert saved.status_code == 200 and "Сведения сохранены (версия 1)" in saved.text
    assert re.search(r'name="phone" value="\+7 \(8652\) 00-00-00"', saved.text)


def test_the_cli_enters_fields_too(intake: Intake) -> None:
    rid = intake.request_id("mayor-details")
    result = CliRunner().invoke(app, ["material", "fields", str(rid),
                                      *[f"{k}={v}" for k, v in MAYOR.items()]])
    assert result.exit_code == 0, result.output
    assert _stored(intake) == [MAYOR]
    bad = CliRunner().invoke(app, ["material", "fields", str(rid), "name"])
    assert bad.exit_code == 2 and "field=value" in bad.output


def test_each_press_piece_records_its_outlet_author_date_and_kind(database_url: str) -> None:
    import pytest

    from contestflow.intake.errors import UploadRefused
    from contestflow.intake.fields import describe_file
    from contestflow.materials import NoSuchFile, record_material
    from contestflow.submission.opening import open_submission

    with session_scope() as session:
        submission = open_submission(session, "iac-city-media", "2026",
                                     nomination="Помним и гордимся!")
        request = next(r for r in submission.requests if r.item_id == "publications")
        for name in ("статья-1.pdf", "статья-2.pdf"):
            record_material(session, request.id, get_store().put_bytes(name.encode()),
                            filename=name, media_type="application/pdf", actor="press")
        piece = {"outlet": "Вечерний Ставрополь", "author": "И. Петрова",
                 "published_on": "15.05.2026", "kind": "Печать"}
        described = describe_file(session, request.id, 2, piece, actor="press")
        assert described.details == piece | {"published_on": "2026-05-15", "kind": "print"}
        assert described.version == 2  # details change no file: no new version
        with pytest.raises(UploadRefused, match="a date as YYYY-MM-DD"):
            describe_file(session, request.id, 1, piece | {"published_on": "May 15"},
                          actor="press")
        with pytest.raises(UploadRefused, match="one of print, audio, video, online"):
            describe_file(session, request.id, 1, piece | {"kind": "telegram"}, actor="press")
        with pytest.raises(NoSuchFile):
            describe_file(session, request.id, 9, piece, actor="press")


def test_the_cli_describes_a_press_piece(database_url: str) -> None:
    from contestflow.materials import record_material
    from contestflow.submission.opening import open_submission

    with session_scope() as session:
        submission = open_submission(session, "iac-city-media", "2026",
                                     nomination="Помним и гордимся!")
        request = next(r for r in submission.requests if r.item_id == "publications")
        piece = record_material(session, request.id, get_store().put_bytes(b"%PDF-1.4 piece"),
                                filename="статья.pdf", media_type="application/pdf",
                                actor="press")
        rid, piece_id = str(request.id), piece.id
    runner = CliRunner()
    ok = runner.invoke(app, ["material", "describe", rid, "1", "outlet=Вечерний Ставрополь",
                             "author=И. Петрова", "published_on=15.05.2026", "kind=online"])
    assert ok.exit_code == 0, ok.output
    with session_scope() as session:
        assert session.get(Material, piece_id).details["published_on"] == "2026-05-15"
    bad = runner.invoke(app, ["material", "describe", rid, "1", "outlet=X", "author=Y",
                              "published_on=someday", "kind=print"])
    assert bad.exit_code == 1 and "a date as YYYY-MM-DD" in bad.output
    missing = runner.invoke(app, ["material", "describe", rid, "4", "outlet=X"])
    assert missing.exit_code == 1 and "has no file 4" in missing.output
    with session_scope() as session:  # the refused calls changed nothing
        assert session.get(Material, piece_id).details["kind"] == "online"


def test_press_piece_details_through_the_web(database_url: str) -> None:
    import httpx

    from contestflow.intake.tokens import current_token
    from contestflow.materials import record_material
    from contestflow.submission.opening import open_submission
    from contestflow.web.app import create_app
    from contestflow.web.server import BackgroundServer

    with session_scope() as session:
        submission = open_submission(session, "iac-city-media", "2026",
                                     nomination="Помним и гордимся!")
        request = next(r for r in submission.requests if r.item_id == "publications")
        piece = record_material(session, request.id, get_store().put_bytes(b"%PDF-1.4 p"),
                                filename="статья.pdf", media_type="application/pdf",
                                actor="press")
        rid, piece_id, token = request.id, piece.id, current_token(session, request)
    values = {"outlet": "Вечерний Ставрополь", "author": "И. Петрова",
              "published_on": "2026-05-15", "kind": "video"}
    with BackgroundServer(create_app(advance=lambda _sid: None, deliver=lambda: 0)) as server, \
            httpx.Client(base_url=server.base_url, timeout=60) as client:
        headers = {"Accept": "application/json", "Accept-Language": "ru"}
        url = f"/intake/{rid}/files/1/details"
        saved = client.post(url, params={"token": token}, json=values, headers=headers)
        assert saved.status_code == 200 and saved.json() == {"described": 1}
        wrong = client.post(url, params={"token": token}, json=values | {"kind": "radio"},
                            headers=headers)
        assert wrong.status_code == 422 and "одно из: печать" in wrong.json()["error"]
        missing = client.post(f"/intake/{rid}/files/3/details", params={"token": token},
                              json=values, headers=headers)
        assert missing.status_code == 404
        # A page's form needs its CSRF token: a forged one changes nothing.
        page = client.get(f"/intake/{rid}", params={"token": token}, follow_redirects=True)
        assert f'action="/intake/{rid}/files/1/details"' in page.text
        forged = client.post(url, data=values | {"kind": "print", "csrf_token": "forged"})
        assert forged.status_code == 403
    with session_scope() as session:
        assert session.get(Material, piece_id).details["kind"] == "video"
