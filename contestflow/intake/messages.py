# ruff: noqa: E501  (mail texts: a line of a template is a line of the mail)
"""The e-mails departments and the coordinator receive: Russian by default, English available.

Plain-text Jinja2 templates, kept here as strings so that the texts are read and edited in one
place. Each template gets plain data (``RequestSpec``, ``SubmissionInfo``), never ORM rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from jinja2 import Environment, StrictUndefined

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


@dataclass(frozen=True)
class LateRow:
    submission: SubmissionInfo
    department_ru: str
    department_en: str
    titles: list[tuple[str, str]] = field(default_factory=list)
    due_on: dt.date | None = None
    days_late: int = 0


_ITEMS = {
    "ru": """{% for spec in specs %}
{{ labels[loop.index0] }}{{ spec.title_ru }}{% if not spec.required %} (по желанию){% endif %}

   {% if spec.language %}Язык: {{ languages[spec.language] }}. {% endif %}Формат: {{ spec.formats }}. Не больше {{ spec.max_mb }} МБ.
{% if spec.limit %}   Объём: {{ spec.limit }}.
{% endif %}{% if spec.comment %}   Комментарий координатора: {{ spec.comment }}
{% endif %}{% if spec.guidance_ru %}   Пояснение: {{ spec.guidance_ru }}
{% endif %}   Срок: {{ date(spec.due_on) }}
   Загрузить: {{ spec.link }}
{% endfor %}""",
    "en": """{% for spec in specs %}
{{ labels[loop.index0] }}{{ spec.title_en }}{% if not spec.required %} (optional){% endif %}

   {% if spec.language %}Language: {{ languages[spec.language] }}. {% endif %}Format: {{ spec.formats }}. At most {{ spec.max_mb }} MB.
{% if spec.limit_en %}   Length: {{ spec.limit_en }}.
{% endif %}{% if spec.comment %}   Coordinator's comment: {{ spec.comment }}
{% endif %}{% if spec.guidance %}   Guidance: {{ spec.guidance }}
{% endif %}   Due: {{ date(spec.due_on) }}
   Upload: {{ spec.link }}
{% endfor %}""",
}

_TEMPLATES = {
    ("request", "ru"): (
        "Запрос материалов: {{ info.contest_ru }} ({{ info.edition }})",
        """Здравствуйте!

Город {{ city.ru }} готовит заявку на конкурс: {{ info.contest_ru }} ({{ info.edition }}{% if info.nomination %}, номинация «{{ info.nomination }}»{% endif %}).
Просим подготовить и загрузить следующие материалы:
{{ items }}
Каждая ссылка личная и действует только для вашего подразделения: не пересылайте её.
Загруженные файлы сразу видны на странице по ссылке. Если что-то непонятно, ответьте на это письмо.

С уважением,
{{ signature }}
""",
    ),
    ("request", "en"): (
        "Materials requested: {{ info.contest_en }} ({{ info.edition }})",
        """Hello,

The city of {{ city.en }} is preparing its entry to the contest: {{ info.contest_en }} ({{ info.edition }}{% if info.nomination %}, nomination "{{ info.nomination }}"{% endif %}).
Please prepare and upload the following materials:
{{ items }}
Each link is personal to your department: please do not forward it.
Uploaded files are listed on the page at once. If anything is unclear, reply to this e-mail.

Kind regards,
{{ signature }}
""",
    ),
    ("reminder", "ru"): (
        "Напоминание: {% if days_left == 0 %}сегодня срок сдачи{% else %}до срока {{ days }}{% endif %} — {{ info.contest_ru }}",
        """Здравствуйте!

Напоминаем: для заявки на конкурс ({{ info.contest_ru }}, {{ info.edition }}) ещё не получены материалы, срок — {{ date(due_on) }}{% if days_left == 0 %} (сегодня){% else %} (осталось {{ days }}){% endif %}.
{{ items }}
Если материалы уже отправлены другим способом, сообщите координатору, ответив на это письмо.

С уважением,
{{ signature }}
""",
    ),
    ("reminder", "en"): (
        "Reminder: {% if days_left == 0 %}materials due today{% else %}{{ days }} left{% endif %} — {{ info.contest_en }}",
        """Hello,

A reminder: materials for the entry ({{ info.contest_en }}, {{ info.edition }}) have not arrived yet; they are due on {{ date(due_on) }}{% if days_left == 0 %} (today){% else %} ({{ days }} left){% endif %}.
{{ items }}
If you have sent them some other way, please tell the coordinator by replying to this e-mail.

Kind regards,
{{ signature }}
""",
    ),
    ("reopened", "ru"): (
        "Нужно прислать заново: {{ specs[0].title_ru }} — {{ info.contest_ru }}",
        """Здравствуйте!

Координатор просит прислать заново материал для заявки ({{ info.contest_ru }}, {{ info.edition }}).
{{ items }}
С уважением,
{{ signature }}
""",
    ),
    ("reopened", "en"): (
        "Please send again: {{ specs[0].title_en }} — {{ info.contest_en }}",
        """Hello,

The coordinator asks you to send a material for the entry ({{ info.contest_en }}, {{ info.edition }}) again.
{{ items }}
Kind regards,
{{ signature }}
""",
    ),
    ("late", "ru"): (
        "Просроченные материалы на {{ date(today) }}: {{ rows|length }}",
        """Сводка на {{ date(today) }}: не получены материалы, срок которых истёк.
{% for row in rows %}
— {{ row.submission.contest_ru }} ({{ row.submission.edition }}{% if row.submission.nomination %}, {{ row.submission.nomination }}{% endif %}), заявка № {{ row.submission.id }}
  {{ row.department_ru }}: просрочено на {{ ndays(row.days_late) }} (срок {{ date(row.due_on) }})
{% for title_ru, _ in row.titles %}    • {{ title_ru }}
{% endfor %}{% endfor %}
Напоминания подразделениям отправляются автоматически.
""",
    ),
    ("late", "en"): (
        "Late materials as of {{ date(today) }}: {{ rows|length }}",
        """Summary for {{ date(today) }}: materials past their due date that have not arrived.
{% for row in rows %}
- {{ row.submission.contest_en }} ({{ row.submission.edition }}{% if row.submission.nomination %}, {{ row.submission.nomination }}{% endif %}), submission {{ row.submission.id }}
  {{ row.department_en }}: {{ ndays(row.days_late) }} late (due {{ date(row.due_on) }})
{% for _, title_en in row.titles %}    * {{ title_en }}
{% endfor %}{% endfor %}
Reminders to departments go out automatically.
""",
    ),
}

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


_environment = Environment(undefined=StrictUndefined, keep_trailing_newline=True,
                           autoescape=False)  # plain-text mail, never HTML


def render(kind: str, language: str = "ru", **context: object) -> tuple[str, str]:
    """``(subject, body)`` of mail ``kind`` in ``language`` (Russian unless ``en``)."""
    language = "en" if language == "en" else "ru"
    helpers = {
        "city": city().names,
        "languages": LANGUAGE_NAMES[language],
        "date": lambda day: date_text(day, language),
        "ndays": lambda n: days_text(n, language),
        "signature": "\n".join(coordinator_signature(language)),
    }
    if "specs" in context:
        specs = context["specs"]
        context["items"] = _environment.from_string(_ITEMS[language]).render(
            specs=specs, labels=item_labels(specs), **helpers)  # type: ignore[arg-type]
    if "days_left" in context:
        context["days"] = days_text(int(context["days_left"]), language)  # type: ignore[call-overload]
    subject_template, body_template = _TEMPLATES[(kind, language)]
    merged = {**helpers, **context}
    subject = _environment.from_string(subject_template).render(**merged)
    body = _environment.from_string(body_template).render(**merged)
    return " ".join(subject.split()), body
