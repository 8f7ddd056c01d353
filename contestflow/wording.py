"""Quantities and dates in the users' words, shared by pages, letters, reports and the CLI.

Russian is the default everywhere: a decimal comma, dates as дд.мм.гггг, nouns that agree with
their number. English is the second language.
"""

from __future__ import annotations

import datetime as dt

from contestflow.i18n import N_, tr
from contestflow.identity import city, local_timezone

# How a date the organiser never published is shown everywhere (pages, mail, calendar, CLI).
EXPECTED_DATE = N_("expected, from the last cycle")


def human_size(size: int, language: str) -> str:
    """``1,5 МБ`` in Russian (decimal comma), ``1.5 MB`` in English."""
    units = ("Б", "КБ", "МБ", "ГБ") if language != "en" else ("B", "KB", "MB", "GB")
    value = float(size)
    for unit in units:
        if value < 1024 or unit == units[-1]:
            text = f"{value:.0f}" if unit == units[0] else f"{value:.1f}"
            return f"{text.replace('.', ',') if language != 'en' else text} {unit}"
        value /= 1024
    return str(size)


def date_text(day: dt.date | dt.datetime | None, language: str) -> str:
    """``31.03.2026`` in Russian, ``2026-03-31`` in English; a moment in the city's own time."""
    if day is None:
        return "—"
    if isinstance(day, dt.datetime):
        moment = day if day.tzinfo else day.replace(tzinfo=dt.UTC)
        moment = moment.astimezone(local_timezone())
        return moment.strftime("%d.%m.%Y %H:%M" if language != "en" else "%Y-%m-%d %H:%M")
    return day.strftime("%d.%m.%Y") if language != "en" else day.isoformat()


def deadline_text(day: dt.date, expected: bool, language: str) -> str:
    """``13.03.2028 (ожидается, по прошлому циклу)`` for a date estimated from the previous
    cycle, the bare date for one confirmed from the organiser's call."""
    text = date_text(day, language)
    return f"{text} ({tr(language, EXPECTED_DATE)})" if expected else text


def plural_ru(n: int, one: str, few: str, many: str) -> str:
    """``1 день``, ``3 дня``, ``5 дней``: Russian picks the noun form by the number."""
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return f"{n} {few}"
    return f"{n} {many}"


def days_text(n: int, language: str) -> str:
    if language == "en":
        return f"{n} day" if n == 1 else f"{n} days"
    return plural_ru(n, "день", "дня", "дней")


def percent(value: float | None, lang: str) -> str:
    """``0.4286`` as ``42,9 %`` (ru) or ``42.9%`` (en); ``—`` when there is nothing to divide."""
    if value is None:
        return "—"
    text = f"{value * 100:.1f}"
    return f"{text.replace('.', ',')} %" if lang == "ru" else f"{text}%"


def city_words() -> dict[str, str]:
    """The city's name for the placeholders of every text: ``{city_ru}``, ``{city_ru_genitive}``
    («города Ставрополя»), ``{city_en}``."""
    names = city().names
    return {"city_ru": names.ru, "city_ru_genitive": names.ru_genitive, "city_en": names.en}


def with_city(text: str) -> str:
    """``text`` with the city's name put into its placeholders (texts without them unchanged)."""
    return text.format(**city_words()) if "{city_" in text else text
