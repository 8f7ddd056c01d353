"""Signed session cookies: a department's (the links it opened) and the office's (a person
signed in with an account, or the first coordinator through the single-use signed link; the
office's sessions are rows on the server, see ``contestflow.signins``).

A department's session lists the grants it received from links (request id → token id and
expiry) and carries a CSRF token that the upload page echoes back. The cookie is signed, so it
cannot be forged; every use re-checks the grant against the database, so revoking a link ends
the sessions opened with it. Cookies have no Max-Age (they end with the browser) and a signed
age limit of twelve hours.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.intake.tokens import Grant
from contestflow.signins import (
    LINK_LIFETIME,
    end_session,
    issue_login_link,
    spend_login_link,
    start_session,
)

DEPARTMENT_COOKIE = "cf_intake"
OFFICE_COOKIE = "cf_office"
LOGIN_FORM_COOKIE = "cf_login_form"
SESSION_MAX_AGE = 12 * 3600
COORDINATOR_LINK_MAX_AGE = int(LINK_LIFETIME.total_seconds())
LOGIN_LINK_SALT = "contestflow.coordinator-login"
# "-v2": cookies of the old kind (who and role inside, nothing on the server) stop working
OFFICE_SALT = "contestflow.office-session-v2"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().signing_key, salt=salt)


@dataclass
class DepartmentSession:
    department_id: str
    grants: dict[int, tuple[str, int]] = field(default_factory=dict)  # request → (token, expiry)
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    def renew_csrf(self) -> None:
        self.csrf = secrets.token_urlsafe(24)

    def add(self, grant: Grant) -> None:
        self.grants[grant.request_id] = (grant.token_id, int(grant.expires_at.timestamp()))

    def grant_for(self, request_id: int) -> tuple[str, dt.datetime] | None:
        found = self.grants.get(request_id)
        if found is None:
            return None
        return found[0], dt.datetime.fromtimestamp(found[1], dt.UTC)


def read_department_session(request: Request) -> DepartmentSession | None:
    raw = request.cookies.get(DEPARTMENT_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer("contestflow.intake-session").loads(raw, max_age=SESSION_MAX_AGE)
        grants = {int(k): (str(v[0]), int(v[1])) for k, v in data["g"].items()}
        return DepartmentSession(str(data["d"]), grants, str(data["c"]))
    except (BadSignature, KeyError, TypeError, ValueError, IndexError):
        return None


def write_department_session(response: Response, session: DepartmentSession) -> None:
    payload = {"d": session.department_id, "c": session.csrf,
               "g": {str(k): list(v) for k, v in session.grants.items()}}
    _set_cookie(response, DEPARTMENT_COOKIE,
                _serializer("contestflow.intake-session").dumps(payload))


def _set_cookie(response: Response, name: str, value: str) -> None:
    secure = get_settings().base_url.startswith("https://")
    response.set_cookie(name, value, httponly=True, samesite="lax", secure=secure, path="/")


def csrf_matches(expected: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(expected.encode(), str(given).encode())


def coordinator_login_url(*, asked_by: str) -> str:
    """A new single-use login link to the coordinator's pages, recorded with who asked.

    The link is signed (a guessed one is refused without a database look-up) and names a row
    that its first use spends (``contestflow.signins``)."""
    with session_scope() as session:
        link_id = issue_login_link(session, asked_by=asked_by)
    token = _serializer(LOGIN_LINK_SALT).dumps({"role": "coordinator", "n": link_id})
    return f"{get_settings().base_url.rstrip('/')}/coordinator/login?token={token}"


def spend_coordinator_login(token: str) -> bool:
    """Whether ``token`` is a coordinator's login link used now for the first time."""
    try:
        data = _serializer(LOGIN_LINK_SALT).loads(token, max_age=COORDINATOR_LINK_MAX_AGE)
    except BadSignature:
        return False
    if not isinstance(data, dict) or data.get("role") != "coordinator":
        return False
    with session_scope() as session:
        return spend_login_link(session, str(data.get("n", "")))


@dataclass(frozen=True)
class OfficeCookie:
    """A signed-in browser's cookie: the key of its session on the server (``sign_ins``) and
    the CSRF token of its forms. Who is signed in is read from the server, never the cookie."""

    key: str
    csrf: str


def read_office_cookie(request: Request) -> OfficeCookie | None:
    raw = request.cookies.get(OFFICE_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer(OFFICE_SALT).loads(raw, max_age=SESSION_MAX_AGE)
        return OfficeCookie(str(data["s"]), str(data["c"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def start_office_session(response: Response, login: str, role: str, *,
                         by_link: bool = False) -> None:
    """Record a new session on the server and give the browser its cookie."""
    with session_scope() as session:
        key = start_session(session, login=login, role=role, by_link=by_link)
    payload = {"s": key, "c": secrets.token_urlsafe(24)}
    _set_cookie(response, OFFICE_COOKIE, _serializer(OFFICE_SALT).dumps(payload))


def end_office_session(request: Request, response: Response, *, actor: str) -> None:
    """End this browser's session on the server (a copied cookie stops working too)."""
    cookie = read_office_cookie(request)
    if cookie is not None:
        with session_scope() as session:
            end_session(session, cookie.key, actor=actor)
    response.delete_cookie(OFFICE_COOKIE, path="/")


def remember_login_form(response: Response, token: str) -> None:
    """The sign-in form's token, also set as a cookie: a form posted from another site cannot
    carry both (double submit)."""
    _set_cookie(response, LOGIN_FORM_COOKIE, token)


def login_form_matches(request: Request, given: str | None) -> bool:
    return csrf_matches(request.cookies.get(LOGIN_FORM_COOKIE, ""), given)
