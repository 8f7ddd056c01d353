"""Office sessions kept on the server, and the login links that work once.

A session is a row: the browser's cookie holds a random key, the row its sha256. Every request
looks the row up, so logout, ``contestflow users sessions-end`` or a deactivated account end
a session at once instead of when its twelve hours are up. A login link (the first
coordinator's way in) is a row too; its first use spends it, and it lasts minutes, not hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.db.base import utcnow
from contestflow.db.models import LoginLink, SignIn

SESSION_LIFETIME = dt.timedelta(hours=12)
LINK_LIFETIME = dt.timedelta(minutes=15)
COORDINATOR_LINK = "coordinator"
LINK_LOGIN = "coordinator"  # the first coordinator has no account: named by role


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _aware(moment: dt.datetime) -> dt.datetime:
    """SQLite returns stored UTC datetimes without their zone; give it back."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def start_session(session: Session, *, login: str, role: str, by_link: bool = False) -> str:
    """A new office session for ``login``; returns the key its cookie carries."""
    key = secrets.token_urlsafe(32)
    session.add(SignIn(id=_digest(key), login=login, role=role, by_link=by_link,
                       expires_at=utcnow() + SESSION_LIFETIME))
    session.flush()
    return key


def live_session(session: Session, key: str) -> SignIn | None:
    """The session ``key`` opens, or None when it is unknown, ended or expired."""
    row = session.get(SignIn, _digest(key))
    if row is None or row.ended_at is not None or _aware(row.expires_at) <= utcnow():
        return None
    return row


def end_session(session: Session, key: str, *, actor: str) -> bool:
    """End the session ``key`` opens (logout); False if it had already ended."""
    result = session.execute(
        update(SignIn).where(SignIn.id == _digest(key), SignIn.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_by=actor))
    if not result.rowcount:
        return False
    record_event(session, actor=actor, action="account.signed_out", subject_type="account",
                 subject_id=actor)
    return True


def end_sessions_of(session: Session, login: str, *, actor: str) -> int:
    """End every open session of ``login`` (a lost laptop, a person who left); how many."""
    login = login.strip().lower()
    result = session.execute(
        update(SignIn).where(SignIn.login == login, SignIn.ended_at.is_(None),
                             SignIn.expires_at > utcnow())
        .values(ended_at=utcnow(), ended_by=actor))
    count = result.rowcount or 0
    record_event(session, actor=actor, action="account.sessions_ended", subject_type="account",
                 subject_id=login, count=count)
    return count


def open_sessions(session: Session, login: str) -> list[SignIn]:
    return list(session.scalars(
        select(SignIn).where(SignIn.login == login.strip().lower(), SignIn.ended_at.is_(None),
                             SignIn.expires_at > utcnow()).order_by(SignIn.created_at)))


def issue_login_link(session: Session, *, asked_by: str,
                     purpose: str = COORDINATOR_LINK) -> str:
    """A new single-use login link id, recorded with who asked for it."""
    link_id = secrets.token_urlsafe(16)
    expires_at = utcnow() + LINK_LIFETIME
    session.add(LoginLink(id=link_id, purpose=purpose, created_by=asked_by,
                          expires_at=expires_at))
    session.flush()
    record_event(session, actor=asked_by, action="account.login_link_issued",
                 subject_type="login_link", subject_id=link_id, purpose=purpose,
                 expires_at=expires_at.isoformat(timespec="seconds"))
    return link_id


def spend_login_link(session: Session, link_id: str,
                     purpose: str = COORDINATOR_LINK) -> bool:
    """Use the link once: True for its first use before it expires, False ever after.

    Compare-and-set, so two tabs opening the same link at once cannot both get in."""
    now = utcnow()
    result = session.execute(
        update(LoginLink).where(LoginLink.id == link_id, LoginLink.purpose == purpose,
                                LoginLink.used_at.is_(None), LoginLink.expires_at > now)
        .values(used_at=now))
    return bool(result.rowcount)
