"""The outbox: notifications are queued as rows and delivered later, each at most once.

``enqueue_message`` writes a row in the caller's transaction, so a notice exists exactly when
the change it announces does; its unique ``dedupe_key`` makes queueing twice queue one message.
``deliver_due`` sends what is due, over SMTP when ``CONTESTFLOW_SMTP_URL`` is set, otherwise as
``.eml`` files in the workspace's outbox folder, and never inside a database transaction (on
SQLite that would hold the write lock through the SMTP conversation): a batch is claimed with
compare-and-set on each attempt counter, which also leases the message for ``CLAIM_LEASE``, and
committed; each message is sent with no transaction open; each result is recorded in its own
short transaction. Two deliverers never both send a message; a failed delivery is retried with
exponential backoff. If a process dies after the server accepted a message but before the row
was marked, the message is sent again once the lease runs out, with the same Message-ID (mail
systems deduplicate on it); an ``.eml`` file already written is not rewritten.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import smtplib
import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.base import utcnow
from contestflow.db.models import Department, OutboxMessage
from contestflow.identity import city
from contestflow.mail import (
    NotifyError,
    PermanentFailure,
    Transport,
    build_email,
    transport_from_settings,
)
from contestflow.store import get_store

logger = logging.getLogger("contestflow.notify")
MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=6)
CLAIM_LEASE = dt.timedelta(minutes=10)  # a deliverer that dies mid-send frees it after this
CLAIM_BUDGET = CLAIM_LEASE / 2  # no send starts later than this after the claim
MAX_SUBJECT = 200  # folded into encoded words by contestflow.mail, which keeps its spaces

_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.[^@\s<>,;:\"()\[\]\\]+$")


def is_address(text: str) -> bool:
    """A plain ``name@domain.tld``: no display name, list or quoting a mail header could misread."""
    return bool(_ADDRESS.match(text))


def coordinator_address(session: Session) -> str | None:
    """Where summaries and reminders for the coordinator go: CONTESTFLOW_COORDINATOR_EMAIL,
    else the coordinating department's address (None when neither is set)."""
    configured = get_settings().coordinator_email
    if configured:
        return configured
    department = session.get(Department, city().coordinating_department)
    return department.email if department is not None and department.email else None


def enqueue_message(
    session: Session,
    *,
    to: str,
    subject: str,
    body: str,
    dedupe_key: str,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> bool:
    """Queue a message; False (and nothing queued) when ``dedupe_key`` was queued before.

    ``attachments`` are ``(filename, data, media_type)``; their bytes go to the file store.
    """
    to = to.strip()
    if not is_address(to):
        raise NotifyError(f"not an e-mail address: {to!r}")
    if not dedupe_key or len(dedupe_key) > 200:
        raise NotifyError("a message needs a dedupe key of at most 200 characters")
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)):
        return False
    stored = []
    for filename, data, media_type in attachments or []:
        blob = get_store().put_bytes(data)
        stored.append({"filename": filename, "sha256": blob.sha256, "media_type": media_type,
                       "size": blob.size})
    subject = " ".join(subject.split())[:MAX_SUBJECT]  # one line: no header injection
    message = OutboxMessage(
        dedupe_key=dedupe_key, to_addr=to, subject=subject, body=body, attachments=stored,
        message_id=_message_id(dedupe_key), state="pending", attempts=0,
        next_attempt_at=utcnow(), last_error="",
    )
    try:
        with session.begin_nested():  # a concurrent twin wins the unique key; we step aside
            session.add(message)
            session.flush()
    except IntegrityError:
        return False
    record_event(session, actor="system", action="message.queued", subject_type="message",
                 subject_id=message.id, to=to, subject=message.subject, dedupe_key=dedupe_key)
    return True


def deliver_pending(*, limit: int = 20, now: dt.datetime | None = None,
                    transport: Transport | None = None) -> int:
    """Deliver one batch of up to ``limit`` due messages; returns how many were delivered.

    Opens its own short transactions (see the module docstring): never call it inside one.
    Raises ``NotifyError`` for a malformed CONTESTFLOW_SMTP_URL, which ``deliver_due`` logs.
    """
    return _deliver_batch(limit, now, transport).delivered


def deliver_due(batch: int = 10, *, now: dt.datetime | None = None,
                transport: Transport | None = None) -> int:
    """Deliver everything due, ``batch`` messages per claim (for schedules, the CLI, the web
    app's background job and the submission flow); returns how many were delivered.

    A malformed CONTESTFLOW_SMTP_URL or a mail server that cannot be reached is logged, never
    raised: the messages stay queued for the next run.
    """
    delivered = 0
    while True:
        try:
            result = _deliver_batch(batch, now, transport)
        except (NotifyError, smtplib.SMTPException, OSError) as error:
            logger.error("mail not delivered, messages stay queued: %s", error)
            return delivered
        delivered += result.delivered
        if not result.handed_back and (result.unreachable or result.selected < batch):
            return delivered


@dataclass(frozen=True)
class _Claim:
    message: OutboxMessage  # detached, as claimed: its ``attempts`` counts our attempt
    was_due: dt.datetime


@dataclass(frozen=True)
class _Outcome:
    state: str  # "delivered", "retry" or "failed"
    error: str = ""
    unreachable: bool = False


@dataclass
class _Batch:
    selected: int
    delivered: int = 0
    unreachable: bool = False
    handed_back: bool = False  # out of time, not out of messages: claim again


def _deliver_batch(limit: int, now: dt.datetime | None,
                   transport: Transport | None) -> _Batch:
    with transport or transport_from_settings() as active:  # a bad SMTP URL claims nothing
        claims, selected = _claim_batch(limit, now or utcnow())
        batch, done, started = _Batch(selected), 0, time.monotonic()
        try:
            for claim in claims:
                if done and time.monotonic() - started > CLAIM_BUDGET.total_seconds():
                    batch.handed_back = True  # before their lease could run out mid-send
                    break
                outcome = _send(active, claim.message)
                done += 1  # tried: from here on only its outcome or its lease frees it
                _record(claim.message, outcome, now)
                if outcome.state == "delivered":
                    batch.delivered += 1
                if outcome.unreachable:
                    batch.unreachable = True
                    logger.warning("mail server unreachable, messages stay queued: %s",
                                   outcome.error)
                    break
        finally:
            _release(claims[done:])
    return batch


def has_mail_due(session: Session, now: dt.datetime | None = None) -> bool:
    """Whether ``deliver_due`` would try to send anything now."""
    due = select(OutboxMessage.id).where(*_due(now or utcnow())).limit(1)
    return session.scalar(due) is not None


def _due(now: dt.datetime) -> tuple:
    """The messages a deliverer may claim at ``now``: pending, and their retry time come."""
    return OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now


def _claim_batch(limit: int, now: dt.datetime) -> tuple[list[_Claim], int]:
    """Claim up to ``limit`` due messages in one short transaction; returns the claims and
    how many were due (a message another deliverer claimed first is not ours)."""
    with session_scope() as session:
        due = list(session.scalars(
            select(OutboxMessage)
            .where(*_due(now))
            .order_by(OutboxMessage.id).limit(limit)
        ))
        claims = []
        for message in due:
            was_due = message.next_attempt_at
            if _claim(session, message, now):
                claims.append(_Claim(message, was_due))
    return claims, len(due)


def _send(transport: Transport, message: OutboxMessage) -> _Outcome:
    """Build and hand over one message, with no transaction open; never raises an Exception."""
    try:
        email = build_email(message)
    except Exception as error:  # a missing attachment, a bad header: this message only
        logger.warning("message %s cannot be built: %s", message.id, _describe(error))
        return _Outcome("retry", _describe(error))
    try:
        transport.send(email, message)
    except PermanentFailure as error:
        return _Outcome("failed", str(error))
    except (smtplib.SMTPException, OSError, ValueError, KeyError) as error:
        return _Outcome("retry", _describe(error), _unreachable(error))
    except Exception as error:  # a bug must not strand the batch: retried, then failed
        logger.exception("sending message %s failed unexpectedly", message.id)
        return _Outcome("retry", _describe(error))
    return _Outcome("delivered")


def _record(claimed: OutboxMessage, outcome: _Outcome, now: dt.datetime | None) -> None:
    """Write one message's outcome in its own short transaction."""
    with session_scope() as session:
        message = session.get(OutboxMessage, claimed.id, with_for_update=True)
        if message is None or message.state != "pending":
            return
        if outcome.state == "delivered":
            _mark_delivered(session, message)
        elif message.attempts != claimed.attempts:
            return  # our lease ran out and another deliverer holds the message now
        elif outcome.state == "failed":
            _give_up(session, message, outcome.error)
        else:
            _retry_later(session, message, outcome.error, now or utcnow())


def _release(claims: list[_Claim]) -> None:
    """Hand back claims never tried: due as before, the attempt not counted."""
    if not claims:
        return
    with session_scope() as session:
        for claim in claims:
            seen = claim.message.attempts
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == claim.message.id, OutboxMessage.state == "pending",
                       OutboxMessage.attempts == seen)
                .values(attempts=seen - 1, next_attempt_at=claim.was_due)
                .execution_options(synchronize_session=False)
            )


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


def _unreachable(error: Exception) -> bool:
    """The mail server cannot be reached at all (not: it refused this one message)."""
    return isinstance(error, (OSError, smtplib.SMTPServerDisconnected,
                              smtplib.SMTPConnectError, smtplib.SMTPAuthenticationError))


def _message_id(dedupe_key: str) -> str:
    domain = get_settings().mail_from.rpartition("@")[2] or "contestflow.local"
    return f"<{hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]}@{domain}>"


def _claim(session: Session, message: OutboxMessage, now: dt.datetime) -> bool:
    """Compare-and-set on the attempt counter: exactly one deliverer gets each attempt."""
    seen = message.attempts
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id, OutboxMessage.state == "pending",
               OutboxMessage.attempts == seen, OutboxMessage.next_attempt_at <= now)
        .values(attempts=seen + 1, next_attempt_at=now + CLAIM_LEASE)
        .execution_options(synchronize_session=False)
    )
    session.refresh(message)
    return result.rowcount == 1


def _mark_delivered(session: Session, message: OutboxMessage) -> None:
    message.state = "delivered"
    message.delivered_at = utcnow()
    message.last_error = ""
    record_event(session, actor="system", action="message.delivered", subject_type="message",
                 subject_id=message.id, to=message.to_addr, attempts=message.attempts)
    session.flush()


def retry_delay(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8... minutes after the first, second, third failure; at most six hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


def _retry_later(session: Session, message: OutboxMessage, error: str, now: dt.datetime) -> None:
    if message.attempts >= MAX_ATTEMPTS:
        _give_up(session, message, error)
        return
    message.next_attempt_at = now + retry_delay(message.attempts)
    message.last_error = error[:1000]
    session.flush()


def _give_up(session: Session, message: OutboxMessage, error: str) -> None:
    message.state = "failed"
    message.last_error = error[:1000]
    record_event(session, actor="system", action="message.failed", subject_type="message",
                 subject_id=message.id, to=message.to_addr, error=error[:500])
    session.flush()
