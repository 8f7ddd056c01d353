"""Accounts for the office and what each role may do.

Three roles: the coordinator does everything; a reviewer reviews translations and decides on
the package; read-only (leadership) sees every page and downloads, and changes nothing.
Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106's recommendation); a hash
made with older parameters is renewed at the next sign-in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.db.models import Account
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.signins import end_sessions_of

MIN_PASSWORD = 10
LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_hasher = PasswordHasher()


class Role(StrEnum):
    COORDINATOR = "coordinator"
    REVIEWER = "reviewer"
    READONLY = "readonly"


class Permission(StrEnum):
    VIEW = "view"
    REVIEW = "review"  # translations and the package decision
    COORDINATE = "coordinate"  # everything else that changes something


GRANTS: dict[Role, frozenset[Permission]] = {
    Role.COORDINATOR: frozenset(Permission),
    Role.REVIEWER: frozenset({Permission.VIEW, Permission.REVIEW}),
    Role.READONLY: frozenset({Permission.VIEW}),
}
ROLE_NAMES: dict[str, str] = {
    Role.COORDINATOR: N_("coordinator"),
    Role.REVIEWER: N_("reviewer"),
    Role.READONLY: N_("read-only"),
}


class AccountError(SubmissionError):
    """An account that cannot be made or used as asked; the message is for a person."""


@dataclass(frozen=True)
class Person:
    """Who is signed in: the audit log's name for them and their role."""

    login: str
    full_name: str
    role: Role

    def may(self, permission: Permission) -> bool:
        return permission in GRANTS[self.role]

    @property
    def actor(self) -> str:
        return f"{self.full_name} ({self.login})" if self.full_name != self.login else self.login


def add_account(session: Session, login: str, *, role: str, password: str,
                full_name: str = "", actor: str) -> Account:
    """A new account; refused for a taken or malformed login, an unknown role, a short password."""
    login = login.strip().lower()
    if not LOGIN.match(login):
        raise AccountError(N_("login “%(login)s”: use 2–64 lowercase Latin letters, digits, "
                              ". _ -"), login=login)
    if role not in Role.__members__.values():
        raise AccountError(N_("role “%(role)s”: choose one of %(roles)s"), role=role,
                           roles=", ".join(Role))
    if len(password) < MIN_PASSWORD:
        raise AccountError(N_("the password needs at least %(count)s characters"),
                           count=MIN_PASSWORD)
    if session.scalar(select(Account).where(Account.login == login)) is not None:
        raise AccountError(N_("login “%(login)s” is taken"), login=login)
    account = Account(login=login, full_name=full_name.strip() or login, role=role,
                      password_hash=_hasher.hash(password))
    session.add(account)
    session.flush()
    record_event(session, actor=actor, action="account.added", subject_type="account",
                 subject_id=account.id, login=login, role=role)
    return account


def set_password(session: Session, login: str, password: str, *, actor: str) -> None:
    account = _account(session, login)
    if len(password) < MIN_PASSWORD:
        raise AccountError(N_("the password needs at least %(count)s characters"),
                           count=MIN_PASSWORD)
    account.password_hash = _hasher.hash(password)
    record_event(session, actor=actor, action="account.password_changed",
                 subject_type="account", subject_id=account.id, login=account.login)
    end_sessions_of(session, account.login, actor=actor)  # whoever knew the old one is out


def deactivate(session: Session, login: str, *, actor: str) -> None:
    """End an account's access; the row stays, so the audit log keeps its name."""
    account = _account(session, login)
    account.active = False
    record_event(session, actor=actor, action="account.deactivated", subject_type="account",
                 subject_id=account.id, login=account.login)
    end_sessions_of(session, account.login, actor=actor)


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.login)))


def authenticate(session: Session, login: str, password: str) -> Person | None:
    """The person whose login and password these are, or None (unknown, wrong, inactive)."""
    account = session.scalar(select(Account).where(Account.login == login.strip().lower()))
    if account is None or not account.active:
        _hasher.hash(password)  # as slow as a real check: timing does not tell a login exists
        return None
    try:
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = _hasher.hash(password)
    return person_of(account)


def person_of(account: Account) -> Person:
    return Person(account.login, account.full_name, Role(account.role))


def find_person(session: Session, login: str) -> Person | None:
    """The active account ``login`` as a person (a session re-checks it on every request)."""
    account = session.scalar(select(Account).where(Account.login == login))
    return person_of(account) if account is not None and account.active else None


def _account(session: Session, login: str) -> Account:
    account = session.scalar(select(Account).where(Account.login == login.strip().lower()))
    if account is None:
        raise AccountError(N_("no account “%(login)s” (`contestflow users list` shows them)"),
                           login=login)
    return account
