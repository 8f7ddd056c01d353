"""The page language: Russian by default, English on request (``?lang=en``, a cookie, or the
browser's Accept-Language when it prefers English over Russian)."""

from __future__ import annotations

from starlette.requests import Request

from contestflow.accounts import ROLE_NAMES
from contestflow.assembly.checklist import STATUS_NAMES
from contestflow.i18n import LANGUAGES, tr, translator
from contestflow.intake.messages import LANGUAGE_NAMES
from contestflow.states import REQUEST_STATE_NAMES, SUBMISSION_STATE_NAMES
from contestflow.translation.records import ORIGIN_NAMES, REVIEW_STATE_NAMES
from contestflow.wording import date_text, human_size

__all__ = ["LANGUAGE_NAMES", "LANG_COOKIE", "date_text", "human_size", "name_of",
           "pick_language", "translator"]

LANG_COOKIE = "cf_lang"

# The tables of names a page shows for a stored value (a state, an origin, a rule's result).
NAMES: dict[str, dict[str, str]] = {
    "submission": SUBMISSION_STATE_NAMES,
    "request": REQUEST_STATE_NAMES,
    "review": REVIEW_STATE_NAMES,
    "origin": ORIGIN_NAMES,
    "rule": STATUS_NAMES,
    "role": ROLE_NAMES,
}


def name_of(lang: str, kind: str, value: str) -> str:
    """What a person reads for ``value`` of ``kind``; an unknown value is shown as it is."""
    message = NAMES[kind].get(value)
    return tr(lang, message) if message else value


def pick_language(request: Request) -> str:
    """``?lang=``, then the cookie, then Accept-Language if it ranks English above Russian."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(LANG_COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return _from_accept_language(request.headers.get("accept-language", ""))


def _from_accept_language(header: str) -> str:
    best, best_q = "ru", -1.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if q > best_q:
            best, best_q = primary, q
    return best
