"""Signed session cookies: a department's (the links it opened) and the office's (a person
signed in with an account, or the first coordinator through the signed link).

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
from contestflow.intake.tokens import Grant

DEPARTMENT_COOKIE = "cf_intake"
OFFICE_COOKIE = "cf_office"
LOGIN_FORM_COOKIE = "cf_login_form"
SESSION_MAX_AGE = 12 * 3600
COORDINATOR_LINK_MAX_AGE = 12 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt=salt)


@dataclass
class DepartmentSession:
    department_id: str
    grants: dict[int, tuple[str, int]] = field(default_factory=dict)  # request → (token, expiry)
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))

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


def coordinator_login_token() -> str:
    """A signed login link token for the coordinator, valid for twelve hours."""
    return _serializer("contestflow.coordinator-login").dumps(
        {"role": "coordinator", "n": secrets.token_urlsafe(8)})


def coordinator_login_url() -> str:
    base = get_settings().base_url.rstrip("/")
    return f"{base}/coordinator/login?token={coordinator_login_token()}"


def check_coordinator_login(token: str) -> bool:
    try:
        data = _serializer("contestflow.coordinator-login").loads(
            token, max_age=COORDINATOR_LINK_MAX_AGE)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("role") == "coordinator"


@dataclass(frozen=True)
class OfficeSession:
    """A signed-in person's cookie: their login and role, and the CSRF token of their forms.

    ``by_link`` marks the first coordinator's way in (the signed link, no account yet)."""

    login: str
    role: str
    csrf: str
    by_link: bool = False


def read_office_session(request: Request) -> OfficeSession | None:
    raw = request.cookies.get(OFFICE_COOKIE)
    if not raw:
        return None
    try:
        data = _serializer("contestflow.office-session").loads(raw, max_age=SESSION_MAX_AGE)
        return OfficeSession(str(data["u"]), str(data["r"]), str(data["c"]), bool(data["l"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def write_office_session(response: Response, login: str, role: str, *,
                         by_link: bool = False) -> None:
    payload = {"u": login, "r": role, "c": secrets.token_urlsafe(24), "l": int(by_link)}
    _set_cookie(response, OFFICE_COOKIE, _serializer("contestflow.office-session").dumps(payload))


def end_office_session(response: Response) -> None:
    response.delete_cookie(OFFICE_COOKIE, path="/")


def remember_login_form(response: Response, token: str) -> None:
    """The sign-in form's token, also set as a cookie: a form posted from another site cannot
    carry both (double submit)."""
    _set_cookie(response, LOGIN_FORM_COOKIE, token)


def login_form_matches(request: Request, given: str | None) -> bool:
    return csrf_matches(request.cookies.get(LOGIN_FORM_COOKIE, ""), given)
