"""The command line through its real entry point (the installed `contestflow` script)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from schemas import CONTESTS_DIR

CONTESTFLOW = str(Path(sys.executable).with_name("contestflow"))


def run(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [CONTESTFLOW, *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=240,
    )
    if ok:
        assert result.returncode == 0, result.stderr
    return result


def run_json(*args: str):  # type: ignore[no-untyped-def]
    return json.loads(run(*args, "--json").stdout)


def assert_one_line_error(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    assert result.returncode != 0
    assert result.stderr.count("\n") == 1, result.stderr
    assert fragment in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_contests_list_and_show(database_url: str) -> None:
    contests = run_json("contests", "list")
    assert {"id", "name"} <= set(contests[0])
    assert "uclg-culture21" in {c["id"] for c in contests}
    shown = run_json("contests", "show", "uclg-culture21")
    assert shown["items"][1]["limit"] == {"max": 300, "unit": "words"}
    assert "Brief description" in run("contests", "show", "uclg-culture21").stdout
    assert_one_line_error(run("contests", "show", "nope", ok=False), "unknown contest 'nope'")


def test_validate_points_at_the_field(tmp_path: Path, database_url: str) -> None:
    assert (
        "valid" in run("contests", "validate", str(CONTESTS_DIR / "unhabitat-scroll.yaml")).stdout
    )
    data = yaml.safe_load((CONTESTS_DIR / "uclg-culture21.yaml").read_text(encoding="utf-8"))
    data["items"][0]["limit"]["max"] = -1
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert_one_line_error(run("contests", "validate", str(bad), ok=False), "items[0].limit.max")
    assert_one_line_error(
        run("contests", "validate", str(tmp_path / "none.yaml"), ok=False), "no such file"
    )


def test_open_status_and_errors_leave_the_database_unchanged(database_url: str) -> None:
    opened = run_json("submission", "open", "uclg-culture21", "--edition", "2028")
    assert opened["id"] == 1 and len(opened["requests"]) == 13
    assert {"id", "department", "item"} <= set(opened["requests"][0])
    before = run_json("submission", "list")
    assert_one_line_error(
        run("submission", "open", "uclg-culture21", "--edition", "2028", ok=False),
        "already has submission 1",
    )
    assert_one_line_error(
        run("submission", "open", "nope", "--edition", "2028", ok=False), "unknown contest"
    )
    assert_one_line_error(
        run("submission", "open", "uclg-culture21", "--edition", "1999", ok=False),
        "no edition '1999'",
    )
    assert run_json("submission", "list") == before
    status = run_json("submission", "status", "1")
    assert status["state"] == "draft" and len(status["requests"]) == 13
    assert_one_line_error(run("submission", "status", "42", ok=False), "no submission 42")


def test_departments_are_seeded_and_editable(database_url: str) -> None:
    ids = {d["id"] for d in run_json("departments", "list")}
    assert {"international", "culture", "economy", "press", "education"} <= ids
    run(
        "departments",
        "set",
        "tourism",
        "--name-ru",
        "Комитет по туризму",
        "--name-en",
        "Tourism committee",
        "--email",
        "tourism@stavropol.example",
    )
    assert "tourism" in {d["id"] for d in run_json("departments", "list")}
    assert_one_line_error(
        run("departments", "set", "culture", "--email", "not-an-address", ok=False),
        "department “culture”",
    )
    assert_one_line_error(run("departments", "set", "new-one", ok=False), "needs --name-ru")


@pytest.mark.flow
def test_advance_runs_the_flow_as_far_as_it_can(tmp_path: Path, database_url: str) -> None:
    opened = run_json("submission", "open", "iac-city-to-live", "--edition", "2027")
    assert run_json("submission", "advance", "1")["state"] == "collecting"
    # Nothing arrived yet: running again changes nothing.
    assert run_json("submission", "advance", "1")["state"] == "collecting"
    for request in opened["requests"]:
        if request["item"] == "photographs":
            continue
        path = tmp_path / f"{request['item']}.docx"
        _write_docx(path, f"Материал {request['item']}")
        added = run_json("material", "add", str(request["id"]), str(path))
        assert added["version"] == 1 and len(added["sha256"]) == 64
    result = run("submission", "advance", "1", "--json")
    assert json.loads(result.stdout)["state"] == "in_review"
    assert "Traceback" not in result.stderr and "database is locked" not in result.stderr
    status = run_json("submission", "status", "1")
    assert Path(status["package_file"]).is_file()


def _write_docx(path: Path, text: str) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    document.save(str(path))


def test_a_refused_file_is_audited_and_not_stored(tmp_path: Path, database_url: str) -> None:
    from sqlalchemy import select

    from contestflow.db import session_scope
    from contestflow.db.models import AuditEvent, Material

    opened = run_json("submission", "open", "iac-city-to-live", "--edition", "2027")
    request_id = str(opened["requests"][0]["id"])
    fake = tmp_path / "отчёт.docx"
    fake.write_bytes(b"MZ\x90\x00 this is a Windows executable, not a Word file")
    assert_one_line_error(run("material", "add", request_id, str(fake), ok=False), "error:")
    with session_scope() as session:
        assert session.scalars(select(Material)).all() == []
        refusals = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "intake.refused")).all()
        assert [r.subject_id for r in refusals] == [request_id]
        assert refusals[0].details["filename"] == "отчёт.docx"
