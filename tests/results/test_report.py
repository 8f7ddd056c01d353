"""The report's numbers, checked against the imported ledger; its files and charts."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PIL import Image

from contestflow.db import session_scope
from contestflow.identity import history_file
from contestflow.results.history import import_history, import_history_file
from contestflow.results.report import write_report
from contestflow.results.summary import build_summary
from tests.results.helpers import ledger_counts


def _import_sample() -> None:
    with session_scope() as session:
        assert import_history_file(session, history_file()).ok


def _assert_real_chart(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.width > 300 and image.height > 150
        colours = image.convert("RGB").getcolors(maxcolors=1_000_000) or []
        assert len(colours) > 20  # drawn bars, text and a legend, not a blank canvas


def test_report_numbers_match_the_ledger(database_url: str, tmp_path: Path) -> None:
    _import_sample()
    entries, awarded, per_year = ledger_counts()
    with session_scope() as session:
        files = write_report(session, tmp_path / "report")
    summary = files.summary
    assert (summary.total.entries, summary.total.awarded) == (entries, awarded)
    # The 2020 Culture 21 bid was sent and its result never learnt: not in the rate.
    assert summary.total.success_rate == pytest.approx(awarded / (entries - 1))
    by_year = {t.label: t.entries for t in summary.by_year}
    assert by_year["2020"] == per_year[2020] and by_year["год не указан"] == per_year[None]
    assert sum(t.entries for t in summary.by_contest) == entries
    assert sum(t.awarded for t in summary.by_department) == awarded
    drawings = next(t for t in summary.by_contest if t.key == "ero-children-drawing")
    assert drawings.entries == 19
    html = files.index.read_text(encoding="utf-8")
    assert f'id="total-entries">{entries}<' in html
    assert f'id="total-awarded">{awarded}<' in html
    for chart in files.charts.values():
        _assert_real_chart(chart)


def test_report_files_are_self_contained_and_reimportable(tmp_path: Path) -> None:
    _import_sample()
    with session_scope() as session:
        files = write_report(session, tmp_path / "report", lang="en")
    html = files.index.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Success rate" in html
    assert html.count("data:image/png;base64,") == 2
    # Links to a row's source are for the reader to follow; nothing is loaded from outside.
    assert not re.search(r'src="(https?:)?//', html) and "<link" not in html
    assert "@media print" in html
    with files.csv.open(encoding="utf-8-sig") as handle:
        exported = list(csv.DictReader(handle))
    assert len(exported) == files.summary.total.entries
    workbook = load_workbook(files.xlsx)
    assert workbook.sheetnames == ["By year", "By contest", "By department", "Results ledger"]
    totals = list(workbook["By contest"].iter_rows(values_only=True))[-1]
    assert totals[:3] == ("Total", files.summary.total.entries, files.summary.total.awarded)
    # results.csv is in the import format: it rebuilds the same ledger in an empty database.
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with session_scope(other) as session:
        again = import_history(session, files.csv.read_bytes())
    assert again.ok and again.added == files.summary.total.entries
    assert "columns ignored: contest_name" in again.notices[0]


def test_a_year_range_leaves_out_rows_without_a_year(tmp_path: Path) -> None:
    _import_sample()
    with session_scope() as session:
        summary = build_summary(session, year_from=2016, year_to=2018)
    assert [(t.label, t.entries, t.awarded) for t in summary.by_year] == [
        ("2016", 1, 1), ("2018", 1, 1)]
    assert summary.left_out_without_year == 4
    assert summary.period == "2016–2018"


def test_an_empty_ledger_still_makes_a_report(tmp_path: Path) -> None:
    with session_scope() as session:
        files = write_report(session, tmp_path / "empty")
    assert files.summary.total.entries == 0
    assert "Нет данных" not in files.index.read_text(encoding="utf-8")  # it is in the image
    for chart in files.charts.values():
        assert chart.read_bytes().startswith(b"\x89PNG")


def test_bad_report_options_are_refused() -> None:
    with session_scope() as session, pytest.raises(ValueError, match="language"):
        build_summary(session, lang="de")
    with session_scope() as session, pytest.raises(ValueError, match="after"):
        build_summary(session, year_from=2020, year_to=2014)


def test_the_demo_step_records_and_reports_twice_over(tmp_path: Path) -> None:
    from demo.results import finish_demo
    from tests.results.helpers import sent_submission

    submission_id = sent_submission()
    for _ in range(2):
        with session_scope() as session:
            files = finish_demo(session, submission_id, tmp_path / "demo")
    assert files.summary.total.entries == 36
    assert any(row.submission_id == submission_id for row in files.summary.rows)
