"""`contestflow results ...` and `contestflow calendar`, in-process through the real app."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from contestflow.cli.main import app
from tests.results.helpers import sent_submission

runner = CliRunner()


def invoke(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
    result = runner.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def test_import_refuses_a_bad_file_row_by_row(tmp_path: Path) -> None:
    bad = tmp_path / "history.csv"
    bad.write_bytes(
        "год;конкурс;выпуск;номинация;подразделение;результат;примечания\n"
        "2020;iac-city-media;2020;Родной город;;first-place;\n"
        "2031;iac-city-media;2031;;;first-place;\n"
        "2020;nowhere;2020;;;winner;\n".encode("cp1251"))
    result = invoke("results", "import", str(bad), code=1)
    assert "accepted" in result.stdout and result.stdout.count("refused") == 2
    assert "year 2031 is in the future" in result.stdout
    assert "unknown contest 'nowhere'" in result.stdout
    assert "note: read as windows-1251" in result.stdout
    assert "2 of 3 rows refused; nothing was imported" in result.stderr
    assert json.loads(invoke("results", "list", "--json").stdout) == []
    missing = invoke("results", "import", str(tmp_path / "nope.csv"), code=1)
    assert "cannot read" in missing.stderr


def test_sample_import_report_and_list(tmp_path: Path) -> None:
    assert "would add 35 results" in invoke("results", "import", "--sample", "--check").stdout
    assert "added 35 results" in invoke("results", "import", "--sample").stdout
    assert "added 0 results; 35 already" in invoke("results", "import", "--sample").stdout
    out = tmp_path / "report"
    result = invoke("results", "report", "--out", str(out), "--from", "2014", "--to", "2020",
                    "--lang", "en")
    assert "31 entries" in result.stdout
    assert {p.name for p in out.iterdir()} >= {"index.html", "results.csv", "results.xlsx",
                                               "awards-per-year.png",
                                               "outcomes-by-department.png"}
    rows = json.loads(invoke("results", "list", "--from", "2016", "--to", "2016", "--json").stdout)
    assert [(r["year"], r["outcome_id"]) for r in rows] == [(2016, "first-place")]
    bad = invoke("results", "report", "--out", str(out), "--from", "2020", "--to", "2010", code=1)
    assert bad.stderr.startswith("error: --from 2020 is after --to 2010")


def test_record_then_calendar(tmp_path: Path) -> None:
    submission_id = sent_submission()
    assert json.loads(invoke("results", "list", "--awaiting", "--json").stdout)[0][
        "submission_id"] == submission_id
    refused = invoke("results", "record", str(submission_id), "--outcome", "gold", code=1)
    assert refused.stderr.count("\n") == 1 and "outcome “gold” is not one of" in refused.stderr
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF-1.4\n%%EOF\n")
    recorded = json.loads(invoke(
        "results", "record", str(submission_id), "--outcome", "Хорошая практика",
        "--announced-on", "2024-06-11", "--certificate", str(letter), "--json").stdout)
    assert recorded["created"] and recorded["outcome"] == "good-practice"
    again = invoke("results", "record", str(submission_id), "--outcome", "good-practice",
                   "--announced-on", "2024-06-11")
    assert "nothing changed" in again.stdout
    corrected = invoke("results", "record", str(submission_id), "--outcome", "good-practice",
                       "--announced-on", "2024-06-12")
    assert "corrected" in corrected.stdout
    assert json.loads(invoke("results", "list", "--awaiting", "--json").stdout) == []
    ics = tmp_path / "deadlines.ics"
    assert "upcoming dates" in invoke("calendar", "--out", str(ics), "--from", "2024-01-01").stdout
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
