"""Words the results pages, reports and calendar use, in Russian (the default) and English."""

from __future__ import annotations

from typing import Literal

from contestflow.wording import percent, with_city

__all__ = ["LABELS", "LANGUAGES", "Lang", "labels", "percent"]

Lang = Literal["ru", "en"]
LANGUAGES: tuple[Lang, ...] = ("ru", "en")

LABELS: dict[str, dict[str, str]] = {
    "ru": {
        "report_title": "Участие {city_ru_genitive} в международных конкурсах",
        "ledger": "Реестр результатов",
        "generated": "Отчёт составлен",
        "period": "Период",
        "all_years": "все годы",
        "year": "Год",
        "contest": "Конкурс",
        "edition": "Выпуск",
        "nomination": "Номинация",
        "department": "Подразделение",
        "outcome": "Результат",
        "notes": "Примечания",
        "entries": "Заявок",
        "awarded": "Наград",
        "success_rate": "Успешность",
        "outcomes": "Результаты",
        "prize_money": "Денежные премии",
        "by_year": "По годам",
        "by_contest": "По конкурсам",
        "by_department": "По подразделениям",
        "total": "Итого",
        "year_not_stated": "год не указан",
        "department_not_stated": "подразделение не указано",
        "awards_per_year_chart": "Награды по годам и конкурсам",
        "outcomes_by_department_chart": "Результаты по подразделениям",
        "no_data": "Нет данных",
        "count": "Количество",
        "left_out_without_year":
            "Результаты без указанного года в выбранный период не входят: {n}.",
        "awaiting": "Ожидают объявления результатов",
        "submission": "Заявка",
        "results_expected_on": "Дата объявления",
        "source": "Источник",
        "source_import": "история",
        "source_recorded": "записано",
        "yes": "да",
        "no": "нет",
        "summary_line": "Заявок: {entries}, наград: {awarded}, успешность: {rate}.",
        "success_rate_note":
            "Успешность — доля заявок с наградой (по словарю результатов конкурса).",
        "deadline": "Срок подачи",
        "internal_due": "Материалы от подразделений",
        "results_announced": "Объявление результатов",
        "opens": "Начало приёма заявок",
        "record_result": "Записать результат",
        "announced_on": "Дата объявления",
        "prize_amount": "Сумма премии",
        "prize_currency": "Валюта",
        "certificate": "Диплом или письмо (PDF, PNG, JPEG)",
        "save": "Сохранить",
        "recorded": "Результат {id} записан.",
        "already_recorded": "Такой результат уже записан ({id}).",
        "download": "скачать",
        "report_link": "Отчёт для печати",
        "none_awaiting": "Нет заявок, ожидающих результатов.",
        "filter": "Показать",
        "sent_submissions": "Отправленные заявки",
    },
    "en": {
        "report_title": "{city_en} in international contests",
        "ledger": "Results ledger",
        "generated": "Generated",
        "period": "Period",
        "all_years": "all years",
        "year": "Year",
        "contest": "Contest",
        "edition": "Edition",
        "nomination": "Nomination",
        "department": "Department",
        "outcome": "Outcome",
        "notes": "Notes",
        "entries": "Entries",
        "awarded": "Awards",
        "success_rate": "Success rate",
        "outcomes": "Outcomes",
        "prize_money": "Prize money",
        "by_year": "By year",
        "by_contest": "By contest",
        "by_department": "By department",
        "total": "Total",
        "year_not_stated": "year not stated",
        "department_not_stated": "department not stated",
        "awards_per_year_chart": "Awards per year, by contest",
        "outcomes_by_department_chart": "Outcomes by department",
        "no_data": "No data",
        "count": "Count",
        "left_out_without_year": "Results without a stated year are left out of a year range: {n}.",
        "awaiting": "Awaiting the organiser's announcement",
        "submission": "Submission",
        "results_expected_on": "Announcement date",
        "source": "Source",
        "source_import": "history",
        "source_recorded": "recorded",
        "yes": "yes",
        "no": "no",
        "summary_line": "Entries: {entries}, awards: {awarded}, success rate: {rate}.",
        "success_rate_note": "Success rate: the share of entries with an awarded outcome "
        "(as the contest's outcome vocabulary defines it).",
        "deadline": "Deadline",
        "internal_due": "Materials due from departments",
        "results_announced": "Results announced",
        "opens": "Applications open",
        "record_result": "Record a result",
        "announced_on": "Announced on",
        "prize_amount": "Prize amount",
        "prize_currency": "Currency",
        "certificate": "Certificate or letter (PDF, PNG, JPEG)",
        "save": "Save",
        "recorded": "Result {id} recorded.",
        "already_recorded": "This result was already recorded ({id}).",
        "download": "download",
        "report_link": "Printable report",
        "none_awaiting": "No submission is waiting for its result.",
        "filter": "Show",
        "sent_submissions": "Sent submissions",
    },
}


def labels(lang: str) -> dict[str, str]:
    """The words for ``lang``; refuses a language we do not write in."""
    if lang not in LABELS:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return {key: with_city(text) for key, text in LABELS[lang].items()}
