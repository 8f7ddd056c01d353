"""Items that take several files: uploading adds one, replacing or removing one is an explicit
action, every file reaches the package numbered in order; and a children's drawing contest
entry (drawings with their forms and consents) from opening to approval through the CLI."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from contestflow.assembly.approval import approved_package
from contestflow.assembly.context import gather
from contestflow.db import session_scope
from contestflow.db.models import MaterialRequest
from contestflow.materials import current_files
from contestflow.store import get_store
from contestflow.submission import steps
from tests.cli.test_cli import run, run_json
from tests.intake.samples import docx_bytes, pdf_bytes, png_bytes
from tests.web.conftest import Intake, material_count


def _files(intake: Intake) -> list[tuple[int, str]]:
    with session_scope() as session:
        request = session.get(MaterialRequest, intake.request_id("photographs"))
        return [(m.slot, m.filename) for m in current_files(request)]


def _send(intake: Intake, name: str, **params: str):  # type: ignore[no-untyped-def]
    rid = intake.request_id("photographs")
    return intake.client.post(f"/intake/{rid}", params={"token": intake.token("photographs"),
                                                         **params},
                              files={"file": (name, png_bytes())},
                              headers={"Accept": "application/json", "Accept-Language": "ru"})


def test_uploads_add_replace_and_remove_files(intake: Intake) -> None:
    for name in ("festival.png", "parade.png", "concert.png"):
        assert _send(intake, name).status_code == 201
    assert _files(intake) == [(1, "festival.png"), (2, "parade.png"), (3, "concert.png")]
    replaced = _send(intake, "parade-larger.png", replace="2")
    assert replaced.status_code == 201 and replaced.json()["version"] == 4
    assert _files(intake) == [(1, "festival.png"), (2, "parade-larger.png"), (3, "concert.png")]
    rid = intake.request_id("photographs")
    removed = intake.client.post(f"/intake/{rid}/files/1/remove",
                                 params={"token": intake.token("photographs")},
                                 headers={"Accept": "application/json"})
    assert removed.status_code == 200 and removed.json() == {"removed": 1}
    assert _files(intake) == [(2, "parade-larger.png"), (3, "concert.png")]
    assert material_count() == 4  # every version stays on record
    # The package numbers the files in order, 01 and 02.
    with session_scope() as session:
        context = gather(session, get_store(), steps.load(session, intake.submission_id))
    names = [p.name for p in context.items if p.item.id == "photographs"]
    assert names == ["uclg-culture21-2028-photographs-en-01.png",
                     "uclg-culture21-2028-photographs-en-02.png"]


def test_a_file_that_is_not_there_cannot_be_replaced_or_removed(intake: Intake) -> None:
    assert _send(intake, "one.png").status_code == 201
    missing = _send(intake, "two.png", replace="7")
    assert missing.status_code == 404 and "нет файла № 7" in missing.json()["error"]
    rid = intake.request_id("photographs")
    gone = intake.client.post(f"/intake/{rid}/files/5/remove",
                              params={"token": intake.token("photographs")},
                              headers={"Accept": "application/json", "Accept-Language": "ru"})
    assert gone.status_code == 404
    assert _files(intake) == [(1, "one.png")] and material_count() == 1


def test_no_more_files_than_the_item_takes(intake: Intake) -> None:
    for index in range(10):
        assert _send(intake, f"photo-{index}.png").status_code == 201
    refused = _send(intake, "eleventh.png")
    assert refused.status_code == 409
    assert "не больше файлов, чем 10" in refused.json()["error"]
    assert len(_files(intake)) == 10


def test_the_page_lists_the_files_with_their_actions(intake: Intake) -> None:
    assert _send(intake, "festival.png").status_code == 201
    client, _csrf = intake.browser_session("photographs")
    page = client.get(f"/intake/{intake.request_id('photographs')}",
                      headers={"Accept-Language": "ru"}).text
    assert "Загружено файлов: 1 из 10" in page
    assert "?replace=1" in page and "/files/1/remove" in page


def test_a_drawing_contest_entry_through_the_cli(database_url: str, tmp_path: Path) -> None:
    opened = run_json("submission", "open", "ero-children-drawing", "--edition", "2020",
                      "--late")
    requests = {r["item"]: r["id"] for r in opened["requests"]}
    files = {"drawings": ("drawing-{}.png", png_bytes),
             "application-forms": ("анкета-{}.docx", lambda: docx_bytes("Анкета участника.")),
             "parental-consent": ("согласие-{}.pdf", pdf_bytes)}
    for item, (pattern, make) in files.items():
        for number in (1, 2, 3):
            path = tmp_path / pattern.format(number)
            path.write_bytes(make())
            run("material", "add", str(requests[item]), str(path))
    assert run_json("submission", "advance", str(opened["id"]))["state"] == "in_review"
    run("submission", "confirm", str(opened["id"]), "--all")
    run("submission", "review", str(opened["id"]), "--approve")
    with session_scope() as session:
        package = approved_package(get_store(), steps.load(session, opened["id"]))
    assert package is not None
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        names = archive.namelist()
        manifest = json.loads(archive.read("manifest.json"))
    stem = "ero-children-drawing-2020"
    assert names == [f"{stem}-application-form-ru.docx",
                     *[f"{stem}-application-forms-ru-0{n}.docx" for n in (1, 2, 3)],
                     *[f"{stem}-drawings-ru-0{n}.png" for n in (1, 2, 3)],
                     *[f"{stem}-parental-consent-ru-0{n}.pdf" for n in (1, 2, 3)],
                     "manifest.json"]
    assert [f["name"] for f in manifest["files"]] == names[:-1]


def test_the_cli_removes_a_file_and_refuses_one_that_is_not_there(intake: Intake) -> None:
    from typer.testing import CliRunner

    from contestflow.cli.main import app

    for name in ("one.png", "two.png"):
        assert _send(intake, name).status_code == 201
    rid = str(intake.request_id("photographs"))
    removed = CliRunner().invoke(app, ["material", "remove", rid, "1"])
    assert removed.exit_code == 0 and "file 1 removed" in removed.output
    assert _files(intake) == [(2, "two.png")]
    again = CliRunner().invoke(app, ["material", "remove", rid, "1"])
    assert again.exit_code == 1 and "has no file 1 to remove" in again.output
    assert _files(intake) == [(2, "two.png")]
