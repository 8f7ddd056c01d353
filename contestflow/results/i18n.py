"""Words the results pages, reports and calendar use, in Russian (the default) and English,
from the interface's gettext catalogue."""

from __future__ import annotations

from typing import Literal

from contestflow.i18n import N_, tr
from contestflow.wording import percent, with_city

__all__ = ["LANGUAGES", "MESSAGES", "Lang", "labels", "percent"]

Lang = Literal["ru", "en"]
LANGUAGES: tuple[Lang, ...] = ("ru", "en")

# The words by their use; each is an English msgid, its Russian is in the catalogue
# (contestflow/locale). ``{city_…}`` and ``{name}`` are filled by the caller.
MESSAGES: dict[str, str] = {
    "report_title": N_("{city_en} in international contests"),
    "ledger": N_("Results ledger"),
    "generated": N_("Generated"),
    "period": N_("Period"),
    "all_years": N_("all years"),
    "year": N_("Year"),
    "contest": N_("Contest"),
    "edition": N_("Edition"),
    "nomination": N_("Nomination"),
    "department": N_("Department"),
    "outcome": N_("Outcome"),
    "notes": N_("Notes"),
    "entries": N_("Entries"),
    "awarded": N_("Awards"),
    "success_rate": N_("Success rate"),
    "outcomes": N_("Outcomes"),
    "prize_money": N_("Prize money"),
    "by_year": N_("By year"),
    "by_contest": N_("By contest"),
    "by_department": N_("By department"),
    "total": N_("Total"),
    "year_not_stated": N_("year not stated"),
    "department_not_stated": N_("department not stated"),
    "awards_per_year_chart": N_("Awards per year, by contest"),
    "outcomes_by_department_chart": N_("Outcomes by department"),
    "no_data": N_("No data"),
    "count": N_("Count"),
    "left_out_without_year":
        N_("Results without a stated year are left out of a year range: {n}."),
    "awaiting": N_("Awaiting the organiser's announcement"),
    "submission": N_("Submission"),
    "results_expected_on": N_("Announcement date"),
    "source": N_("Data source"),
    "source_import": N_("history"),
    "source_recorded": N_("recorded"),
    "reference": N_("Stated in"),
    "yes": N_("yes"),
    "no": N_("no"),
    "summary_line": N_("Entries: {entries}, awards: {awarded}, success rate: {rate}."),
    "success_rate_note":
        N_("Success rate: the share of entries with an awarded outcome (as the contest's "
           "outcome vocabulary defines it), among the entries whose result is known."),
    "deadline": N_("Deadline"),
    "organiser": N_("Organiser"),
    "internal_due": N_("Materials due from departments"),
    "results_announced": N_("Results announced"),
    "opens": N_("Applications open"),
    "record_result": N_("Record a result"),
    "announced_on": N_("Announced on"),
    "prize_amount": N_("Prize amount"),
    "prize_currency": N_("Currency"),
    "certificate": N_("Certificate or letter (PDF, PNG, JPEG)"),
    "save": N_("Save"),
    "recorded": N_("Result {id} recorded."),
    "already_recorded": N_("This result was already recorded ({id})."),
    "changed": N_("Result {id} corrected; the earlier values are kept in the audit log."),
    "removed": N_("Result {id} removed; the submission waits for its result again."),
    "remove": N_("Remove the result"),
    "office": N_("← Submissions"),
    "download": N_("download"),
    "report_link": N_("Printable report"),
    "none_awaiting": N_("No submission is waiting for its result."),
    "filter": N_("Show"),
    "sent_submissions": N_("Sent submissions"),
    "phase_shortlisted": N_("{name}: sent {date}, shortlisted"),
    "phase_not_shortlisted": N_("{name}: sent {date}, not shortlisted"),
    "phase_sent": N_("{name}: sent {date}"),
}

def labels(lang: str) -> dict[str, str]:
    """The words for ``lang``; refuses a language we do not write in."""
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return {key: with_city(tr(lang, message)) for key, message in MESSAGES.items()}
