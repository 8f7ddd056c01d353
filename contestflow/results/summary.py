"""The ledger as a report sees it: rows with names in one language, and tallies of entries,
awards and success rate per year, per contest and per department.

An entry is one ledger row (one practice, work or rating entry with its outcome). Success rate
is awarded entries / entries whose result is known, where "awarded" is the flag each contest's
outcome vocabulary sets: an entry sent with its result never learnt ("result-not-known") counts
as an entry, but neither as a success nor as a failure.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contestflow.catalog import Catalog, catalog_for
from contestflow.db.models import Contest, Department, Result, Submission
from contestflow.results.i18n import labels, percent
from contestflow.results.ledger import AwaitingResult, awaiting_results, list_results
from contestflow.results.vocabulary import contest_name, definition_or_none, outcome_info
from contestflow.wording import date_text


@dataclass(frozen=True)
class LedgerRow:
    result_id: int
    year: int | None
    contest_id: str
    contest_name: str
    edition: str
    nomination: str
    department_id: str | None
    department_name: str
    outcome_id: str
    outcome_name: str
    awarded: bool
    decided: bool
    prize_amount: Decimal | None
    prize_currency: str | None
    announced_on: dt.date | None
    submission_id: int | None
    source: str
    reference: str
    notes: str
    has_certificate: bool
    phases: str = ""  # an entry sent in phases: each sending and the shortlist, in ``lang``


@dataclass
class Tally:
    """Entries, awards, outcomes and prize money for one year, contest or department."""

    key: str
    label: str
    entries: int = 0
    awarded: int = 0
    decided: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    prizes: dict[str, Decimal] = field(default_factory=dict)

    @property
    def success_rate(self) -> float | None:
        return self.awarded / self.decided if self.decided else None

    def add(self, row: LedgerRow) -> None:
        self.entries += 1
        self.awarded += row.awarded
        self.decided += row.decided
        self.outcomes[row.outcome_name] += 1
        if row.prize_amount is not None and row.prize_currency:
            self.prizes[row.prize_currency] = (
                self.prizes.get(row.prize_currency, Decimal(0)) + row.prize_amount
            )

    def outcomes_text(self) -> str:
        return "; ".join(f"{name} × {count}" for name, count in self.outcomes.most_common())

    def prizes_text(self) -> str:
        return "; ".join(f"{amount:,.0f} {currency}".replace(",", " ")
                         for currency, amount in sorted(self.prizes.items()))


@dataclass
class Summary:
    lang: str
    year_from: int | None
    year_to: int | None
    rows: list[LedgerRow]
    left_out_without_year: int
    awaiting: list[AwaitingResult]
    generated_on: dt.date

    def tally(self, key: Callable[[LedgerRow], tuple[str, str]]) -> list[Tally]:
        return tally_by(self.rows, key)

    @property
    def by_year(self) -> list[Tally]:
        not_stated = labels(self.lang)["year_not_stated"]
        tallies = self.tally(lambda r: (str(r.year or "~"), str(r.year or not_stated)))
        return sorted(tallies, key=lambda t: t.key)

    @property
    def by_contest(self) -> list[Tally]:
        return sorted(self.tally(lambda r: (r.contest_id, r.contest_name)),
                      key=lambda t: (-t.entries, t.label))

    @property
    def by_department(self) -> list[Tally]:
        return sorted(self.tally(lambda r: (r.department_id or "~", r.department_name)),
                      key=lambda t: (t.key == "~", -t.entries, t.label))

    @property
    def total(self) -> Tally:
        total = Tally(key="total", label=labels(self.lang)["total"])
        for row in self.rows:
            total.add(row)
        return total

    @property
    def period(self) -> str:
        words = labels(self.lang)
        if self.year_from is None and self.year_to is None:
            return words["all_years"]
        return f"{self.year_from or '…'}–{self.year_to or '…'}"


def tally_by(rows: Iterable[LedgerRow], key: Callable[[LedgerRow], tuple[str, str]]) -> list[Tally]:
    tallies: dict[str, Tally] = {}
    for row in rows:
        sort_key, label = key(row)
        tallies.setdefault(sort_key, Tally(key=sort_key, label=label)).add(row)
    return list(tallies.values())


def ledger_rows(
    session: Session, results: Iterable[Result], catalog: Catalog, lang: str
) -> list[LedgerRow]:
    """Ledger rows with contest, outcome and department names in ``lang``."""
    words = labels(lang)
    contests = {c.id: c.name for c in session.scalars(select(Contest))}
    departments = {d.id: (d.name_ru if lang == "ru" else d.name_en)
                   for d in session.scalars(select(Department))}
    rows = []
    for r in results:
        outcome = outcome_info(definition_or_none(catalog, r.contest_id), r.outcome)
        rows.append(LedgerRow(
            result_id=r.id, year=r.year, contest_id=r.contest_id,
            contest_name=contest_name(catalog, r.contest_id, lang, contests.get(r.contest_id, "")),
            edition=r.edition_key, nomination=r.nomination, department_id=r.department_id,
            department_name=departments.get(r.department_id or "", words["department_not_stated"]),
            outcome_id=r.outcome, outcome_name=outcome.name(lang), awarded=outcome.awarded,
            decided=outcome.decided,
            prize_amount=r.prize_amount, prize_currency=r.prize_currency,
            announced_on=r.announced_on, submission_id=r.submission_id, source=r.source,
            reference=r.reference, notes=r.notes, has_certificate=bool(r.certificate_sha256),
            phases=phases_text(session, catalog, r, words, lang),
        ))
    return rows


def phases_text(session: Session, catalog: Catalog, result: Result, words: dict[str, str],
                lang: str) -> str:
    """Each phase's sending and the organiser's shortlist, for an entry sent in phases."""
    if result.submission_id is None:
        return ""
    submission = session.get(Submission, result.submission_id)
    if submission is None or not submission.phases_done:
        return ""
    definition = definition_or_none(catalog, result.contest_id)
    names: dict[str, str] = {}
    if definition is not None:
        for edition in definition.editions:
            if edition.key == result.edition_key:
                names = {p.id: (p.name_ru or p.name) if lang == "ru" else p.name
                         for p in edition.phases}
    def day(at: dt.datetime | None) -> str:
        return date_text(at.date() if at else None, lang)

    parts = [words["phase_shortlisted" if row.shortlisted else "phase_not_shortlisted"].format(
        name=names.get(row.phase, row.phase), date=day(row.sent_at))
        for row in submission.phases_done]
    current = submission.phase or next(iter(names), "")  # empty: the first phase
    if submission.sent_at is not None and all(
            row.phase != current for row in submission.phases_done):
        parts.append(words["phase_sent"].format(name=names.get(current, current),
                                                date=day(submission.sent_at)))
    return "; ".join(parts)


def build_summary(
    session: Session,
    *,
    year_from: int | None = None,
    year_to: int | None = None,
    lang: str = "ru",
    today: dt.date | None = None,
) -> Summary:
    """Everything a report shows, read in one session."""
    labels(lang)  # refuses an unknown language before any work
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ValueError(f"--from {year_from} is after --to {year_to}")
    catalog = catalog_for(session)
    results = list_results(session, year_from=year_from, year_to=year_to)
    left_out = 0
    if year_from is not None or year_to is not None:
        left_out = session.scalar(select(func.count()).where(Result.year.is_(None))) or 0
    return Summary(
        lang=lang, year_from=year_from, year_to=year_to,
        rows=ledger_rows(session, results, catalog, lang), left_out_without_year=left_out,
        awaiting=awaiting_results(session, today), generated_on=today or dt.date.today(),
    )


def table_rows(tallies: Iterable[Tally], lang: str, first: str) -> list[dict[str, object]]:
    """Tallies as rows of display text and counts (Prefect table artifacts, JSON)."""
    words = labels(lang)
    return [
        {first: t.label, words["entries"]: t.entries, words["awarded"]: t.awarded,
         words["success_rate"]: percent(t.success_rate, lang),
         words["outcomes"]: t.outcomes_text(), words["prize_money"]: t.prizes_text()}
        for t in tallies
    ]


def report_tables(summary: Summary) -> dict[str, list[dict[str, object]]]:
    """The report's three tables, each with its total row, keyed as artifacts are."""
    words = labels(summary.lang)
    total = summary.total
    return {
        "results-by-year": table_rows([*summary.by_year, total], summary.lang, words["year"]),
        "results-by-contest": table_rows([*summary.by_contest, total], summary.lang,
                                         words["contest"]),
        "results-by-department": table_rows([*summary.by_department, total], summary.lang,
                                            words["department"]),
    }
