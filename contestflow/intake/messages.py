"""The e-mails departments and the coordinator receive: Russian by default, English available.

Plain-text Jinja2 templates in ``templates/mail/``, whose sentences come from the catalogue like
the pages'. Each template gets plain data (``RequestSpec``, ``SubmissionInfo``), never ORM rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined

from contestflow.i18n import translator
from contestflow.identity import city, coordinator_signature
from contestflow.wording import date_text, days_text

LANGUAGE_NAMES = {
    "ru": {"ru": "русский", "en": "английский", "fr": "французский", "es": "испанский"},
    "en": {"ru": "Russian", "en": "English", "fr": "French", "es": "Spanish"},
}


@dataclass(frozen=True)
class SubmissionInfo:
    id: int
    contest_ru: str
    contest_en: str
    edition: str
    nomination: str = ""
    # Some of the edition's dates are estimated from the last cycle, not published yet: the
    # due dates asked of departments may move when the organiser's call appears.
    dates_expected: bool = False
    late_entry: bool = False  # opened after the deadline, as a late or historical entry


@dataclass(frozen=True)
class RequestSpec:
    """What one request asks of a department, ready to be shown in a mail or on a page."""

    request_id: int
    department_id: str
    title_ru: str
    title_en: str
    required: bool
    language: str
    formats: str
    max_mb: int
    limit: str
    limit_en: str
    due_on: dt.date | None
    guidance: str = ""
    guidance_ru: str = ""  # shown on Russian pages and mails; the English one never there
    comment: str = ""
    link: str = ""
    max_files: int = 1  # more than one: the page lists the files, each replaceable
    # Last edition's approved material, offered while the department has still to answer:
    # the edition it went to and its files' names ("" and () when none is offered).
    draft_edition: str = ""
    draft_files: tuple[str, ...] = ()


@dataclass(frozen=True)
class LateRow:
    submission: SubmissionInfo
    department_ru: str
    department_en: str
    titles: list[tuple[str, str]] = field(default_factory=list)
    due_on: dt.date | None = None
    days_late: int = 0


# The organiser's own section number at the head of a title: "1.1 Название проекта", "4. Проект".
_OWN_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s")


def item_labels(specs: Sequence[RequestSpec]) -> list[str]:
    """What stands before each item's title in a mail.

    The item's place in the list ("2. "), unless a title carries the organiser's own number:
    then that number alone ("1.1 Название", not "1. 1.1 Название"), and the other items get a
    dash, so that a place in the list cannot pass for one of the organiser's sections.
    """
    own = [bool(_OWN_NUMBER.match(spec.title_ru) or _OWN_NUMBER.match(spec.title_en))
           for spec in specs]
    if not any(own):
        return [f"{place}. " for place in range(1, len(specs) + 1)]
    return ["" if numbered else "— " for numbered in own]


# Plain-text mail, never HTML; one template per subject and body under templates/mail/, their
# sentences from the catalogue (``_("…")``, extracted by ``make messages``).
_environment = Environment(loader=PackageLoader("contestflow.intake", "templates/mail"),
                           undefined=StrictUndefined, keep_trailing_newline=True,
                           autoescape=False, extensions=["jinja2.ext.i18n"])


def render(kind: str, language: str = "ru", **context: object) -> tuple[str, str]:
    """``(subject, body)`` of mail ``kind`` in ``language`` (Russian unless ``en``)."""
    language = "en" if language == "en" else "ru"
    translate = translator(language)
    info = context.get("info")
    helpers: dict[str, object] = {
        "lang": language,
        "_": translate,
        "gettext": translate,
        "city_name": city().names.ru if language == "ru" else city().names.en,
        "languages": LANGUAGE_NAMES[language],
        "date": lambda day: date_text(day, language),
        "ndays": lambda n: days_text(n, language),
        "signature": "\n".join(coordinator_signature(language)),
    }
    if isinstance(info, SubmissionInfo):
        helpers["contest"] = info.contest_ru if language == "ru" else info.contest_en
    if "specs" in context:
        specs = context["specs"]
        context["items"] = _environment.get_template("items.txt").render(
            specs=specs, labels=item_labels(specs), **helpers)  # type: ignore[arg-type]
    if "days_left" in context:
        context["days"] = days_text(int(context["days_left"]), language)  # type: ignore[call-overload]
    merged = {**helpers, **context}
    subject = _environment.get_template(f"{kind}.subject.txt").render(**merged)
    body = _environment.get_template(f"{kind}.body.txt").render(**merged)
    return " ".join(subject.split()), body
