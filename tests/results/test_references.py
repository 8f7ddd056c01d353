"""Each history row's reference and the "sent, result not known" outcome, as the report and
its exports show them."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import Result
from contestflow.identity import history_file
from contestflow.results.history import import_history, import_history_file
from contestflow.results.report import write_report

KAZPRAVDA = "https://kazpravda.kz/n/astana-vozglavila-reyting-mezhdunarodnoy-aktivnosti-gorodov"


def _report(tmp_path: Path, lang: str = "ru"):  # type: ignore[no-untyped-def]
    with session_scope() as session:
        assert import_history_file(session, history_file()).ok
        return write_report(session, tmp_path / "report", lang=lang)


def test_the_report_shows_each_rows_reference_and_the_unknown_result(database_url: str,
                                                                     tmp_path: Path) -> None:
    files = _report(tmp_path)
    html = files.index.read_text(encoding="utf-8")
    assert "<th>Источник сведений</th>" in html
    assert f'<a href="{KAZPRAVDA}' in html
    assert "Отправлено, результат неизвестен" in html
    english = _report(tmp_path / "en", lang="en")
    assert "Sent, result not known" in english.index.read_text(encoding="utf-8")


def test_the_csv_carries_the_reference_and_reimports_with_it(database_url: str,
                                                             tmp_path: Path) -> None:
    files = _report(tmp_path, lang="en")
    data = files.csv.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    culture = next(r for r in rows if r["contest"] == "uclg-culture21")
    assert culture["outcome"] == "result-not-known" and culture["awarded"] == "no"
    assert culture["outcome_name"] == "Sent, result not known"
    assert culture["reference"].startswith("The city's account")
    assert all(r["reference"] for r in rows)
    with session_scope(f"sqlite:///{tmp_path / 'other.db'}") as session:
        assert import_history(session, data).ok
        references = {r.edition_key: r.reference for r in session.scalars(
            select(Result).where(Result.contest_id == "ero-uclg-rating"))}
    assert KAZPRAVDA in references["2014-15"]


def test_the_workbook_has_a_reference_column(database_url: str, tmp_path: Path) -> None:
    files = _report(tmp_path)
    ledger = load_workbook(files.xlsx)["Реестр результатов"]
    header = [cell.value for cell in ledger[1]]
    column = header.index("Источник сведений")
    outcome = header.index("Результат")
    values = [(row[outcome].value, row[column].value) for row in ledger.iter_rows(min_row=2)]
    assert all(reference for _, reference in values)
    assert any(name == "Отправлено, результат неизвестен" for name, _ in values)


def test_an_overlong_reference_is_refused_and_nothing_is_written(database_url: str) -> None:
    data = ("year,contest,edition,nomination,department,outcome,notes,reference\n"
            f"2020,uclg-culture21,2020,,,result-not-known,sent,{'x' * 2001}\n").encode()
    with session_scope() as session:
        report = import_history(session, data)
    assert not report.ok
    assert "reference is longer than 2000 characters" in report.refused[0].messages
    with session_scope() as session:
        assert session.scalars(select(Result)).first() is None


def test_addresses_in_a_reference_become_links_and_nothing_else_is_markup() -> None:
    from contestflow.results.report import with_links
    html = str(with_links("<b>City</b>; see https://example.org/a?b=1&c=2."))
    assert html == ('&lt;b&gt;City&lt;/b&gt;; see <a href="https://example.org/a?b=1&amp;c=2">'
                    'https://example.org/a?b=1&amp;c=2</a>.')
