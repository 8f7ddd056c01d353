"""The ledger and its tallies as ``results.csv`` and ``results.xlsx``.

``results.csv`` is for machines: UTF-8, commas, English column names; its first seven columns
are the history-import format, so it re-imports into another database. ``results.xlsx`` is for
people: one sheet per table, headers in the report's language.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from contestflow.results.csvfile import COLUMNS
from contestflow.results.i18n import labels
from contestflow.results.summary import LedgerRow, Summary, Tally

CSV_COLUMNS = (*COLUMNS, "contest_name", "department_name", "outcome_name", "awarded",
               "prize_amount", "prize_currency", "announced_on", "submission_id", "source",
               "result_id")


def _csv_record(row: LedgerRow) -> list[object]:
    return [
        row.year or "", row.contest_id, row.edition, row.nomination, row.department_id or "",
        row.outcome_id, row.notes, row.contest_name,
        row.department_name if row.department_id else "", row.outcome_name,
        "yes" if row.awarded else "no",
        f"{row.prize_amount:.2f}" if row.prize_amount is not None else "",
        row.prize_currency or "", row.announced_on.isoformat() if row.announced_on else "",
        row.submission_id or "", row.source, row.result_id,
    ]


def write_csv(summary: Summary, path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(_csv_record(row) for row in summary.rows)
    return path


def _tally_sheet(workbook: Workbook, title: str, first: str, tallies: list[Tally],
                 total: Tally, lang: str) -> None:
    words = labels(lang)
    sheet = workbook.create_sheet(title[:31])
    sheet.append([first, words["entries"], words["awarded"], words["success_rate"],
                  words["outcomes"], words["prize_money"]])
    for tally in [*tallies, total]:
        sheet.append([tally.label, tally.entries, tally.awarded, tally.success_rate,
                      tally.outcomes_text(), tally.prizes_text()])
        sheet.cell(sheet.max_row, 4).number_format = "0.0%"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    _finish(sheet, widths=(44, 10, 10, 12, 60, 18))


def _finish(sheet, widths: tuple[int, ...]) -> None:  # type: ignore[no-untyped-def]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def _ledger_sheet(workbook: Workbook, summary: Summary) -> None:
    words = labels(summary.lang)
    sheet = workbook.create_sheet(words["ledger"][:31])
    sheet.append([words["year"], words["contest"], words["edition"], words["nomination"],
                  words["department"], words["outcome"], words["awarded"], words["prize_money"],
                  words["announced_on"], words["source"], words["notes"]])
    for row in summary.rows:
        prize = (f"{row.prize_amount:.2f} {row.prize_currency}"
                 if row.prize_amount is not None else "")
        sheet.append([
            row.year or words["year_not_stated"], row.contest_name, row.edition, row.nomination,
            row.department_name, row.outcome_name, words["yes"] if row.awarded else words["no"],
            prize, row.announced_on, words.get(f"source_{row.source}", row.source), row.notes,
        ])
    _finish(sheet, widths=(10, 40, 12, 40, 36, 20, 9, 14, 12, 10, 80))


def write_xlsx(summary: Summary, path: Path) -> Path:
    words = labels(summary.lang)
    workbook = Workbook()
    workbook.remove(workbook.active)
    total = summary.total
    _tally_sheet(workbook, words["by_year"], words["year"], summary.by_year, total, summary.lang)
    _tally_sheet(workbook, words["by_contest"], words["contest"], summary.by_contest, total,
                 summary.lang)
    _tally_sheet(workbook, words["by_department"], words["department"], summary.by_department,
                 total, summary.lang)
    _ledger_sheet(workbook, summary)
    workbook.properties.title = words["report_title"]
    workbook.save(path)
    return path
