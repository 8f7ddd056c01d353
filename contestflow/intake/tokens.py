"""Signed, expiring, revocable upload links, each bound to one request and its department.

A token is ``sign({request, department, token id, expiry})`` with the workspace's secret key.
The signature makes it unforgeable and its expiry untamperable; the ``intake_tokens`` row makes
it revocable. The signature is deterministic (no timestamp inside), so a reminder can repeat a
still-valid link instead of minting a new one each time.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.config import get_settings
from contestflow.db.base import utcnow
from contestflow.db.models import IntakeToken, MaterialRequest
from contestflow.intake.errors import AccessRefused

LINK_SALT = "contestflow.intake-link"
LIFETIME_AFTER_DUE = dt.timedelta(days=30)
LIFETIME_WITHOUT_DUE = dt.timedelta(days=90)
MIN_LIFETIME = dt.timedelta(days=14)
REUSE_IF_VALID_FOR = dt.timedelta(days=3)


@dataclass(frozen=True)
class Grant:
    """What a valid token or session allows: uploading to one request, as one department."""

    request_id: int
    department_id: str
    token_id: str
    expires_at: dt.datetime


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().signing_key, salt=LINK_SALT)


def aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns stored UTC datetimes without their zone; give it back."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def token_string(row: IntakeToken) -> str:
    payload = {"r": row.request_id, "d": row.department_id, "t": row.id,
               "e": int(aware(row.expires_at).timestamp())}
    return _serializer().dumps(payload)


def default_expiry(request: MaterialRequest, now: dt.datetime) -> dt.datetime:
    if request.due_on is None:
        return now + LIFETIME_WITHOUT_DUE
    end_of_due = dt.datetime.combine(request.due_on, dt.time.max, tzinfo=dt.UTC)
    return max(end_of_due + LIFETIME_AFTER_DUE, now + MIN_LIFETIME)


def mint_token(session: Session, request: MaterialRequest, *, actor: str,
               expires_at: dt.datetime | None = None) -> str:
    """A new link token for ``request``, recorded so that it can be revoked."""
    now = utcnow()
    expires_at = (expires_at or default_expiry(request, now)).replace(microsecond=0)
    row = IntakeToken(id=secrets.token_urlsafe(16), request_id=request.id,
                      department_id=request.department_id, expires_at=expires_at,
                      created_by=actor)
    session.add(row)
    session.flush()
    record_event(session, actor=actor, action="intake.link_issued",
                 subject_type="material_request", subject_id=request.id, token_id=row.id,
                 expires_at=expires_at.isoformat())
    return token_string(row)


def current_token(session: Session, request: MaterialRequest, *, actor: str = "system") -> str:
    """A link token for ``request``: a still-valid one if there is one, else a new one."""
    soon = utcnow() + REUSE_IF_VALID_FOR
    rows = session.scalars(
        select(IntakeToken).where(IntakeToken.request_id == request.id,
                                  IntakeToken.department_id == request.department_id,
                                  IntakeToken.revoked_at.is_(None))
        .order_by(IntakeToken.expires_at.desc())
    )
    for row in rows:
        if aware(row.expires_at) > soon:
            return token_string(row)
    return mint_token(session, request, actor=actor)


def verify_token(session: Session, token: str, request_id: int,
                 now: dt.datetime | None = None) -> Grant:
    """The grant ``token`` gives for ``request_id``, or ``AccessRefused`` saying why not."""
    try:
        payload = _serializer().loads(token)
        claimed = (int(payload["r"]), str(payload["d"]), str(payload["t"]), int(payload["e"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        raise AccessRefused("token_invalid") from None
    claimed_request, department, token_id, expires = claimed
    if claimed_request != request_id:
        raise AccessRefused("wrong_request")
    return check_grant(session, request_id, department, token_id,
                       dt.datetime.fromtimestamp(expires, dt.UTC), now)


def check_grant(session: Session, request_id: int, department_id: str, token_id: str,
                expires_at: dt.datetime, now: dt.datetime | None = None) -> Grant:
    """Re-check a grant against the database: used for the link and for every session request."""
    row = session.get(IntakeToken, token_id)
    request = session.get(MaterialRequest, request_id)
    if row is None or row.request_id != request_id or row.department_id != department_id:
        raise AccessRefused("token_invalid")
    if request is None or request.department_id != department_id:
        raise AccessRefused("wrong_request")
    if row.revoked_at is not None:
        raise AccessRefused("token_revoked")
    if (now or utcnow()) >= expires_at:
        raise AccessRefused("token_expired")
    return Grant(request_id, department_id, token_id, expires_at)


def revoke_tokens(session: Session, request_id: int, *, actor: str) -> int:
    """Withdraw every link to ``request_id``; sessions opened with them stop working too."""
    result = session.execute(
        update(IntakeToken)
        .where(IntakeToken.request_id == request_id, IntakeToken.revoked_at.is_(None))
        .values(revoked_at=utcnow(), revoked_by=actor)
        .execution_options(synchronize_session="fetch")
    )
    count = result.rowcount or 0
    record_event(session, actor=actor, action="intake.links_revoked",
                 subject_type="material_request", subject_id=request_id, count=count)
    return count
