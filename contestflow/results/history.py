"""History import: results from before contestflow, from a CSV
(``year,contest,edition,nomination,department,outcome,notes``, and where present ``reference``:
where the row is stated, the city's account or an organiser's page).

Every row is checked against the catalog (contest and its outcome vocabulary), the departments
and the other rows, and gets one verdict with its reasons. An import is all-or-nothing: one
refused row and nothing is written. A row already in the ledger is left alone, so importing the
same file twice adds nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import Catalog, CatalogError, catalog_for, sync_contest
from contestflow.db.models import Department, Result
from contestflow.results.csvfile import CsvFileError, CsvTable, read_table, unprotect
from contestflow.results.vocabulary import (
    contest_hint,
    fold,
    resolve_contest,
    resolve_outcome,
    vocabulary_hint,
)

# UN-Habitat's Scroll of Honour, the oldest award these contests include, began in 1989.
EARLIEST_YEAR = 1989
MAX_LENGTHS = {"edition": 32, "nomination": 500, "notes": 4000, "reference": 2000}
Status = Literal["accepted", "refused", "already"]


@dataclass
class RowVerdict:
    line: int
    status: Status
    messages: list[str] = field(default_factory=list)
    summary: str = ""


@dataclass
class ImportReport:
    source: str
    sha256: str = ""
    encoding: str = ""
    delimiter: str = ""
    notices: list[str] = field(default_factory=list)
    rows: list[RowVerdict] = field(default_factory=list)
    file_error: str | None = None
    added: int = 0
    committed: bool = False

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.refused

    @property
    def refused(self) -> list[RowVerdict]:
        return [row for row in self.rows if row.status == "refused"]

    def count(self, status: Status) -> int:
        return sum(row.status == status for row in self.rows)


@dataclass
class _Checked:
    verdict: RowVerdict
    values: dict[str, object] = field(default_factory=dict)

    def key(self) -> tuple:
        v = self.values
        return (v["year"], v["contest_id"], fold(str(v["edition_key"])), fold(str(v["nomination"])),
                v["department_id"], v["outcome"], fold(str(v["notes"])))


class _Context:
    """What every row is checked against: the catalog and the departments."""

    def __init__(self, session: Session, catalog: Catalog, today: dt.date) -> None:
        self.catalog = catalog
        self.today = today
        self.departments: dict[str, str] = {}
        for department in session.scalars(select(Department)):
            for name in (department.id, department.name_ru, department.name_en):
                self.departments[fold(name)] = department.id


def _check_year(text: str, notes: str, ctx: _Context, problems: list[str]) -> int | None:
    text = text.strip()
    if not text:
        if not notes.strip():
            problems.append("the year is empty: say in notes why (e.g. 'year not stated')")
        return None
    if not (text.isdigit() and len(text) == 4):
        problems.append(f"year {text!r} is not a four-digit year")
        return None
    year = int(text)
    if year > ctx.today.year:
        problems.append(f"year {year} is in the future")
    elif year < EARLIEST_YEAR:
        problems.append(f"year {year} is impossible: no contest here is older than {EARLIEST_YEAR}")
    return year


def _check_row(cells: dict[str, str], ctx: _Context) -> tuple[dict[str, object], list[str]]:
    problems: list[str] = []
    year = _check_year(cells["year"], cells["notes"], ctx, problems)
    cells.setdefault("reference", "")
    for name, limit in MAX_LENGTHS.items():
        if len(cells[name].strip()) > limit:
            problems.append(f"{name} is longer than {limit} characters")
    definition = resolve_contest(ctx.catalog, cells["contest"])
    if not cells["contest"].strip():
        problems.append("the contest is empty")
    elif definition is None:
        problems.append(f"unknown contest {cells['contest'].strip()!r}; "
                        f"{contest_hint(ctx.catalog, cells['contest'])}")
    outcome = None
    if definition is not None:
        outcome = resolve_outcome(definition, cells["outcome"])
        if outcome is None:
            problems.append(f"outcome {cells['outcome'].strip()!r} is not in {definition.id}'s "
                            f"vocabulary ({vocabulary_hint(definition, cells['outcome'])})")
    department_id = None
    if cells["department"].strip():
        department_id = ctx.departments.get(fold(cells["department"]))
        if department_id is None:
            known = sorted(set(ctx.departments.values()))
            problems.append(f"unknown department {cells['department'].strip()!r} "
                            f"(known: {', '.join(known)})")
    edition = cells["edition"].strip() or (str(year) if year else "")
    values: dict[str, object] = {
        "year": year, "contest_id": definition.id if definition else None,
        "edition_key": edition, "nomination": cells["nomination"].strip(),
        "department_id": department_id, "outcome": outcome.id if outcome else None,
        "awarded": bool(outcome and outcome.awarded), "notes": cells["notes"].strip(),
        "reference": cells["reference"].strip(),
    }
    return values, problems


def _cells(table: CsvTable, raw: list[str]) -> dict[str, str] | str:
    if len(raw) < table.width:
        return (f"has {len(raw)} fields, the header has {table.width} "
                "(a field with the delimiter inside needs quotes)")
    if len(raw) > table.width and any(cell.strip() for cell in raw[table.width:]):
        return (f"has {len(raw)} fields, the header has {table.width} "
                "(a field with the delimiter inside needs quotes)")
    return {name: unprotect(raw[index]) for name, index in table.columns.items()}


def _summary(values: dict[str, object]) -> str:
    awarded = " (awarded)" if values["awarded"] else ""
    year = values["year"] or "year not stated"
    return f"{year} {values['contest_id']} {values['edition_key']}: {values['outcome']}{awarded}"


def check_rows(session: Session, table: CsvTable, catalog: Catalog,
               today: dt.date | None = None) -> list[_Checked]:
    """A verdict for every row: refused (with every reason), already in the ledger, or accepted."""
    ctx = _Context(session, catalog, today or dt.date.today())
    in_ledger = _ledger_keys(session)
    seen: dict[tuple, int] = {}
    checked: list[_Checked] = []
    for line, raw in table.rows:
        cells = _cells(table, raw)
        if isinstance(cells, str):
            checked.append(_Checked(RowVerdict(line, "refused", [cells])))
            continue
        values, problems = _check_row(cells, ctx)
        item = _Checked(RowVerdict(line, "refused", problems), values)
        if not problems:
            item.verdict.summary = _summary(values)
            key = item.key()
            if key in seen:
                item.verdict.messages.append(f"duplicates line {seen[key]} (tell equal outcomes "
                                             "apart in notes, e.g. 'work 2 of 5')")
            elif key in in_ledger:
                item.verdict.status = "already"
                item.verdict.messages.append(f"already in the ledger as result {in_ledger[key]}")
            else:
                item.verdict.status = "accepted"
            seen.setdefault(key, line)
        checked.append(item)
    return checked


def _ledger_keys(session: Session) -> dict[tuple, int]:
    keys: dict[tuple, int] = {}
    for r in session.scalars(select(Result).order_by(Result.id)):
        key = (r.year, r.contest_id, fold(r.edition_key), fold(r.nomination), r.department_id,
               r.outcome, fold(r.notes))
        keys.setdefault(key, r.id)
    return keys


def _write(session: Session, checked: list[_Checked], catalog: Catalog) -> int:
    accepted = [item for item in checked if item.verdict.status == "accepted"]
    for contest_id in sorted({str(item.values["contest_id"]) for item in accepted}):
        sync_contest(session, catalog.get(contest_id))
    for item in accepted:
        values = {k: v for k, v in item.values.items() if k != "awarded"}
        session.add(Result(**values, source="import"))
    session.flush()
    return len(accepted)


def import_history(
    session: Session,
    data: bytes,
    *,
    source: str = "history.csv",
    encoding: str | None = None,
    check_only: bool = False,
    actor: str = "coordinator",
    today: dt.date | None = None,
) -> ImportReport:
    """Check every row and, when none is refused (and ``check_only`` is false), add them all."""
    report = ImportReport(source=source, sha256=hashlib.sha256(data).hexdigest())
    try:
        table = read_table(data, encoding)
        catalog = catalog_for(session)
    except (CsvFileError, CatalogError) as error:
        report.file_error = str(error)
        return report
    report.encoding, report.delimiter = table.encoding, table.delimiter
    report.notices = table.notices
    if not table.rows:
        report.file_error = "the file has a header but no rows"
        return report
    checked = check_rows(session, table, catalog, today)
    report.rows = [item.verdict for item in checked]
    if not report.ok or check_only:
        return report
    report.added = _write(session, checked, catalog)
    report.committed = True
    if report.added:  # a file already imported changes nothing, not even the audit log
        record_event(session, actor=actor, action="results.imported", subject_type="import",
                     subject_id=report.sha256[:16], source=source, added=report.added,
                     already=report.count("already"), encoding=report.encoding)
    return report


def import_history_file(session: Session, path: Path, **options: object) -> ImportReport:
    """``import_history`` on a file; a missing or unreadable file is a file error."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return ImportReport(source=str(path), file_error=f"cannot read {path}: {error.strerror}")
    return import_history(session, data, source=Path(path).name, **options)  # type: ignore[arg-type]
