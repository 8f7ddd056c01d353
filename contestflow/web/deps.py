"""What routes share: templates, the page language, refusals as pages or JSON, the coordinator.

Written to read like prose in a route signature: ``lang: Language``, ``office: Coordinator``
(or ``Reviewer``, ``Viewer``: the role the route needs).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from contestflow.accounts import Permission, Person, Role, find_person
from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.i18n import ntr, tr
from contestflow.intake.errors import IntakeError
from contestflow.signins import live_session
from contestflow.translation.qa import flag_text
from contestflow.translation.records import origin_detail_text
from contestflow.web.i18n import (
    LANG_COOKIE,
    LANGUAGE_NAMES,
    date_text,
    human_size,
    name_of,
    pick_language,
    translator,
)
from contestflow.web.sessions import csrf_matches, read_office_cookie
from contestflow.wording import city_words, deadline_text

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
# `_("…")` in a template calls the page's `gettext` (see render): one language per request.
templates.env.add_extension("jinja2.ext.i18n")

Language = Annotated[str, Depends(pick_language)]


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> Response:
    """Render ``name`` in the request's language; remember an explicit ``?lang=`` choice."""
    lang = pick_language(request)
    other = "en" if lang == "ru" else "ru"
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "token")]
    switch = "?" + urlencode([*query, ("lang", other)])
    response = templates.TemplateResponse(request, name, {
        "lang": lang, "gettext": translator(lang), "switch_url": switch,
        "ngettext": lambda one, many, n, **kw: ntr(lang, one, many, n, **kw),
        "named": lambda kind, value: name_of(lang, kind, value),
        "flag": lambda stored: flag_text(lang, stored),
        "origin_detail": lambda stored: origin_detail_text(lang, stored),
        # the city as it follows "contest entries": «города Ставрополя» in Russian
        "city_of": city_words()["city_ru_genitive" if lang == "ru" else "city_en"],
        "size": lambda n: human_size(n, lang), "date": lambda d: date_text(d, lang),
        "deadline": lambda phase: deadline_text(phase.deadline, phase.expected, lang),
        "language_name": lambda code: LANGUAGE_NAMES[lang].get(code, code), **context,
    }, status_code=status)
    if request.query_params.get("lang") in ("ru", "en"):
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="lax", path="/")
    return response


def refusal_response(request: Request, refusal: IntakeError, *, back: str | None = None
                     ) -> Response:
    """A refusal as ``{"error": ...}`` for scripts and the upload page, or as a page."""
    lang = pick_language(request)
    if wants_json(request):
        return JSONResponse({"error": refusal.message(lang), "code": refusal.code},
                            status_code=refusal.status)
    no_access = refusal.status in (401, 403, 404)
    title = tr(lang, "No access") if no_access else tr(lang, "File not accepted")
    return render(request, "message.html", {"title": title, "message": refusal.message(lang),
                                            "back": back}, status=refusal.status)


class Refused(HTTPException):
    """A core refusal answered with ``status``: the page says it in the person's language,
    JSON carries it in English as ``detail``."""

    def __init__(self, status: int, cause: BaseException) -> None:
        super().__init__(status_code=status, detail=str(cause))
        self.cause = cause


class SignInRequired(HTTPException):
    """No valid office session: pages answer with the sign-in page's address, JSON with 401."""

    def __init__(self) -> None:
        super().__init__(status_code=401, detail="sign in first")


class NotAllowed(HTTPException):
    """Signed in, but the person's role does not allow this."""

    def __init__(self) -> None:
        super().__init__(status_code=403, detail="your role does not allow this")


@dataclass(frozen=True)
class Office:
    """The signed-in person and the CSRF token their forms must carry."""

    person: Person
    csrf: str

    def check_form(self, given: str | None) -> None:
        if not csrf_matches(self.csrf, given):
            raise HTTPException(status_code=403, detail="the form did not come from this site")


def signed_in(request: Request) -> Office:
    """The office session, looked up on the server and re-checked against the accounts (an
    ended session or a deactivated account is out at its next request)."""
    cookie = read_office_cookie(request)
    if cookie is None:
        raise SignInRequired()
    with session_scope() as session:
        row = live_session(session, cookie.key)
        if row is None:
            raise SignInRequired()
        if row.by_link:
            # the first coordinator, before any account: named by role in the audit log
            person: Person | None = Person(row.login, tr("ru", "Coordinator"),
                                           Role.COORDINATOR)
        else:
            person = find_person(session, row.login)
        if person is None or person.role != row.role:
            raise SignInRequired()
    return Office(person, cookie.csrf)


def office_with(permission: Permission) -> Callable[[Request], Office]:
    def dependency(request: Request) -> Office:
        office = signed_in(request)
        if not office.person.may(permission):
            raise NotAllowed()
        return office

    return dependency


Viewer = Annotated[Office, Depends(signed_in)]
Reviewer = Annotated[Office, Depends(office_with(Permission.REVIEW))]
Coordinator = Annotated[Office, Depends(office_with(Permission.COORDINATE))]


# The largest id the database holds (a signed 64-bit integer): a bigger one names nothing.
MAX_ID = 2**63 - 1
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


def ids_in_range(request: Request) -> None:
    """A number in the address too large for the database is a page that does not exist
    (not a 500 from the driver): every route depends on this (app.py)."""
    for value in request.path_params.values():
        text = str(value)
        # 20 digits and more are out of range before int() has to read them all
        if _WHOLE_NUMBER.fullmatch(text) and (len(text.lstrip("+-")) > 19
                                              or abs(int(text)) > MAX_ID):
            raise HTTPException(status_code=404, detail="no such page")


def require_coordinator(request: Request) -> str:
    """The coordinator's CSRF token (for routers that only need that)."""
    return office_with(Permission.COORDINATE)(request).csrf


def intake_tmp_dir() -> Path:
    """Where uploads land while they stream: inside the workspace, on the store's filesystem."""
    directory = get_settings().home / "intake-tmp"
    directory.mkdir(parents=True, exist_ok=True)
    return directory
