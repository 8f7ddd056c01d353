"""Every sentence a person reads, in their language, from gettext catalogues.

Message ids are English (the second language); the Russian catalogue is
``contestflow/locale/ru/LC_MESSAGES/contestflow.po``, kept by ``make messages`` (Babel extracts
``tr(lang, "…")``, ``N_("…")`` and the templates' ``_("…")``). A test fails when a message has
no Russian translation, so a new sentence cannot reach a Russian page in English.

The catalogue is compiled in memory when first used: no build step, nothing generated to commit.
Placeholders are ``%(name)s`` so Babel checks that a translation keeps them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = ("ru", "en")
DOMAIN = "contestflow"
LOCALE_DIR = Path(__file__).parent / "locale"


def catalogue_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalogue(lang: str) -> NullTranslations:
    """The compiled catalogue for ``lang``; English is the message ids themselves."""
    if lang not in LANGUAGES:
        raise ValueError(f"no catalogue for language {lang!r}")
    if lang == "en":
        return NullTranslations()
    with catalogue_path(lang).open("rb") as po:
        messages = read_po(po, locale=lang, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, messages)  # fuzzy entries are left out: an unchecked guess is no translation
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def tr(lang: str, message: str, /, **params: object) -> str:
    """``message`` in ``lang``, with ``%(name)s`` placeholders filled from ``params``.

    A value that itself differs by language (a ``Message``, a contest's ``Names``, a date) is
    put in ``lang`` too."""
    text = catalogue(lang).gettext(message)
    return text % {k: _in_language(lang, v) for k, v in params.items()} if params else text


def ntr(lang: str, singular: str, plural: str, count: int, /, **params: object) -> str:
    """The form of ``singular``/``plural`` for ``count`` (Russian has three); ``%(count)s`` is
    filled with ``count``."""
    text = catalogue(lang).ngettext(singular, plural, count)
    return text % {"count": count, **{k: _in_language(lang, v) for k, v in params.items()}}


class Message:
    """A catalogued sentence and its values, said later in whichever language is asked.

    Rules find problems and the core refuses before anyone knows who will read the sentence:
    the Russian page, the English checklist and the CLI each say the same ``Message``.
    """

    __slots__ = ("template", "values")

    def __init__(self, template: str, /, **values: object) -> None:
        self.template = template
        self.values = values

    def in_language(self, lang: str) -> str:
        return tr(lang, self.template, **self.values)

    @property
    def ru(self) -> str:
        return self.in_language("ru")

    @property
    def en(self) -> str:
        return self.in_language("en")

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, Message) and other.template == self.template
                and other.values == self.values)

    def __hash__(self) -> int:
        return hash(self.template)

    def __str__(self) -> str:
        return self.en

    def __repr__(self) -> str:
        return f"Message({self.en!r})"


class Joined:
    """Several sentences said as one, each in the same language (``a; b; c``)."""

    __slots__ = ("parts", "separator")

    def __init__(self, parts: Iterable[object], separator: str = "; ") -> None:
        self.parts = tuple(parts)
        self.separator = separator

    def in_language(self, lang: str) -> str:
        return self.separator.join(str(_in_language(lang, part)) for part in self.parts)


def _in_language(lang: str, value: object) -> object:
    if hasattr(value, "in_language"):
        return value.in_language(lang)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        # As wording.date_text says a day; that module sits above this layer (it needs the
        # city's time zone for moments), so a plain date is said here the same way.
        return value.strftime("%d.%m.%Y") if lang == "ru" else value.isoformat()
    return value


def N_(message: str) -> str:
    """Marks a message for extraction where it is translated later (tables of names)."""
    return message


def translator(lang: str) -> Callable[..., str]:
    """``tr`` bound to one language: what templates call as ``_("…")``."""

    def translate(message: str, /, **params: object) -> str:
        return tr(lang, message, **params)

    return translate
