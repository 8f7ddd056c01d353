"""The ledger and its tallies as ``results.csv`` and ``results.xlsx``.

``results.csv`` is for machines and for Excel: UTF-8 with a byte-order mark (without one Excel
reads the Cyrillic as Windows-1251), commas, English column names; its first seven columns are
the history-import format, so it re-imports into another database. ``results.xlsx`` is for
people: one sheet per table, headers in the report's language, years as numbers and dates as
dates so that they sort and filter; a result without a stated year has an empty year cell in
the ledger and its own row after the years in the by-year sheet.

Both refuse to carry a formula: text that starts like one (``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is an apostrophe-prefixed cell in the CSV and a text cell marked with
Excel's quote prefix in the XLSX, so a note reading ``=HYPERLINK(…)`` stays a note.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from contestflow.results.csvfile import COLUMNS, FORMULA_STARTS, protect
from contestflow.results.i18n import labels
from contestflow.results.summary import LedgerRow, Summary, Tally

CSV_COLUMNS = (*COLUMNS, "contest_name", "department_name", "outcome_name", "awarded",
               "prize_amount", "prize_currency", "announced_on", "submission_id", "source",
               "result_id", "reference")
DATE_FORMAT = "DD.MM.YYYY"  # as the report and the pages write dates
MONEY_FORMAT = "#,##0.00"


def _csv_record(row: LedgerRow) -> list[object]:
    record: list[object] = [
        row.year or "", row.contest_id, row.edition, row.nomination, row.department_id or "",
        row.outcome_id, row.notes, row.contest_name,
        row.department_name if row.department_id else "", row.outcome_name,
        "yes" if row.awarded else "no",
        f"{row.prize_amount:.2f}" if row.prize_amount is not None else "",
        row.prize_currency or "", row.announced_on.isoformat() if row.announced_on else "",
        row.submission_id or "", row.source, row.result_id, row.reference,
    ]
    return [protect(value) if isinstance(value, str) else value for value in record]


def write_csv(summary: Summary, path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_csv_record(row) for row in summary.rows)
    return path


def _append(sheet: Worksheet, values: Sequence[object]) -> None:
    """One row; text is always a text cell, never a formula (openpyxl reads "=…" as one)."""
    sheet.append(list(values))
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = "s"
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


def _tally_sheet(workbook: Workbook, title: str, first: str, tallies: list[Tally],
                 total: Tally, lang: str, *, first_cell: Callable[[Tally], object] | None = None,
                 apart: Sequence[Tally] = ()) -> None:
    """A table of tallies, then (after an empty row, outside the range Excel sorts) the
    tallies ``apart`` and the total."""
    words = labels(lang)
    sheet = workbook.create_sheet(title[:31])
    _append(sheet, [first, words["entries"], words["awarded"], words["success_rate"],
                    words["outcomes"], words["prize_money"]])

    def write(tally: Tally, label: object) -> None:
        _append(sheet, [label, tally.entries, tally.awarded, tally.success_rate,
                        tally.outcomes_text(), tally.prizes_text()])
        sheet.cell(sheet.max_row, 4).number_format = "0.0%"

    for tally in tallies:
        write(tally, first_cell(tally) if first_cell else tally.label)
    if first_cell:
        sheet.append([])
    for tally in [*apart, total]:
        write(tally, tally.label)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _finish(sheet, widths=(44, 10, 10, 12, 60, 18))


def _finish(sheet: Worksheet, widths: tuple[int, ...]) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _ledger_sheet(workbook: Workbook, summary: Summary) -> None:
    words = labels(summary.lang)
    sheet = workbook.create_sheet(words["ledger"][:31])
    _append(sheet, [words["year"], words["contest"], words["edition"], words["nomination"],
                    words["department"], words["outcome"], words["awarded"],
                    words["prize_amount"], words["prize_currency"], words["announced_on"],
                    words["source"], words["reference"], words["notes"]])
    for row in summary.rows:
        _append(sheet, [
            row.year, row.contest_name, row.edition, row.nomination, row.department_name,
            row.outcome_name, words["yes"] if row.awarded else words["no"], row.prize_amount,
            row.prize_currency or "", row.announced_on,
            words.get(f"source_{row.source}", row.source), row.reference, row.notes,
        ])
        sheet.cell(sheet.max_row, 8).number_format = MONEY_FORMAT
        sheet.cell(sheet.max_row, 10).number_format = DATE_FORMAT
    _finish(sheet, widths=(10, 40, 12, 40, 36, 20, 9, 14, 9, 12, 10, 50, 80))


def write_xlsx(summary: Summary, path: Path) -> Path:
    words = labels(summary.lang)
    workbook = Workbook()
    workbook.remove(workbook.active)
    total = summary.total
    years = [t for t in summary.by_year if t.key.isdigit()]
    _tally_sheet(workbook, words["by_year"], words["year"], years, total, summary.lang,
                 first_cell=lambda tally: int(tally.key),
                 apart=[t for t in summary.by_year if not t.key.isdigit()])
    _tally_sheet(workbook, words["by_contest"], words["contest"], summary.by_contest, total,
                 summary.lang)
    _tally_sheet(workbook, words["by_department"], words["department"], summary.by_department,
                 total, summary.lang)
    _ledger_sheet(workbook, summary)
    workbook.properties.title = words["report_title"]
    workbook.save(path)
    return path
