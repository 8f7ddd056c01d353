"""Signing in and out of the office: with an account, or once through the coordinator's link."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from contestflow.accounts import authenticate
from contestflow.audit import record_event
from contestflow.db import session_scope
from contestflow.i18n import tr
from contestflow.signins import LINK_LOGIN
from contestflow.web.deps import Language, Viewer, render
from contestflow.web.guessing import guard
from contestflow.web.sessions import (
    end_office_session,
    login_form_matches,
    remember_login_form,
    spend_coordinator_login,
    start_office_session,
)

router = APIRouter(tags=["sign-in"])
HOME = "/coordinator"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never send a person elsewhere after signing in."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return HOME


def _form(request: Request, *, next_url: str, error: str = "", status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    response = render(request, "signin.html", {"next": next_url, "error": error,
                                               "form_token": token}, status=status)
    remember_login_form(response, token)
    return response


@router.get("/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse(HOME, status_code=303)


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> Response:
    return _form(request, next_url=_safe_next(next))


@router.post("/login")
def login(request: Request, lang: Language, login: Annotated[str, Form()] = "",
          password: Annotated[str, Form()] = "", form_token: Annotated[str, Form()] = "",
          next: Annotated[str, Form()] = HOME) -> Response:
    target = _safe_next(next)
    guard(request).check(request)
    if not login_form_matches(request, form_token):
        return _form(request, next_url=target, status=403, error=tr(
            lang, "The sign-in form has expired. Enter your login and password again."))
    with session_scope() as session:
        person = authenticate(session, login, password)
        if person is not None:
            record_event(session, actor=person.actor, action="account.signed_in",
                         subject_type="account", subject_id=person.login)
    if person is None:
        guard(request).missed(request, "wrong_password")
        return _form(request, next_url=target, status=401, error=tr(
            lang, "Wrong login or password. Check them and try again; if you forgot the "
                  "password, ask the coordinator to set a new one."))
    response = RedirectResponse(target, status_code=303)
    start_office_session(response, person.login, person.role)
    return response


@router.get("/coordinator/login")
def login_by_link(request: Request, lang: Language, token: str = "") -> Response:
    """The first coordinator's way in, before any account exists: a link from ``contestflow
    intake coordinator-link`` that works once, for fifteen minutes."""
    guard(request).check(request)
    if not spend_coordinator_login(token):
        guard(request).missed(request, "login_link")
        return render(request, "message.html", {
            "title": tr(lang, "This sign-in link does not work"),
            "message": tr(lang, "The link has already been used, has expired or was copied "
                                "incompletely: each link works once, for fifteen minutes. Sign "
                                "in with your login and password, or ask the administrator for "
                                "a new link."),
            "back": "/login"}, status=403)
    response = RedirectResponse(HOME, status_code=303)
    start_office_session(response, LINK_LOGIN, "coordinator", by_link=True)
    return response


@router.post("/logout")
def logout(request: Request, office: Viewer,
           csrf_token: Annotated[str, Form()] = "") -> Response:
    """End this session on the server, not only in this browser."""
    office.check_form(csrf_token)
    response = RedirectResponse("/login", status_code=303)
    end_office_session(request, response, actor=office.person.actor)
    return response
