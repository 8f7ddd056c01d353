"""The outbox: notifications are queued as rows and delivered later, each at most once.

``enqueue_message`` writes a row in the caller's transaction, so a notice exists exactly when
the change it announces does; its ``dedupe_key`` is unique, so queueing the same notice twice
(a flow step re-run, two reminder ticks) queues one message. ``deliver_pending`` sends what is
due: over SMTP when ``CONTESTFLOW_SMTP_URL`` is set, otherwise as ``.eml`` files in the
workspace's outbox folder. A failed delivery is retried with exponential backoff; a message is
claimed with compare-and-set on its attempt counter before it is sent, so two deliverers
running at once never both send it. If a process dies after the mail server accepted a message
but before the row was marked, the next run sends it again with the same Message-ID (mail
systems deduplicate on it); for ``.eml`` delivery a file already written is not rewritten.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import hashlib
import os
import re
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.config import get_settings
from contestflow.db.base import utcnow
from contestflow.db.models import Department, OutboxMessage
from contestflow.store import get_store

MAX_ATTEMPTS = 8
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=6)
CLAIM_LEASE = dt.timedelta(minutes=10)  # a deliverer that dies mid-send frees it after this
SMTP_TIMEOUT = 20
COORDINATING_DEPARTMENT = "international"  # the International and Interregional Relations Dept.
MAX_SUBJECT = 200
# CPython's header folding drops the space between two encoded words when it wraps a long
# non-ASCII Subject ("ОГМВ – Мехико" arrives as "ОГМВ –Мехико"); lines of up to 998
# characters (RFC 5322's limit) keep a subject of MAX_SUBJECT characters on one line.
MAIL_POLICY = email.policy.SMTP.clone(max_line_length=998)
_ADDRESS = re.compile(r"^[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.[^@\s<>,;:\"()\[\]\\]+$")


class NotifyError(ValueError):
    """A message that cannot be queued (no or a malformed address); the message says which."""


class PermanentFailure(Exception):
    """The mail server refused the message for good (unknown recipient): retrying won't help."""


class Transport(Protocol):
    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        """Hand ``email`` over; raise on failure (``PermanentFailure`` when retrying is futile)."""


def coordinator_address(session: Session) -> str | None:
    """Where summaries and reminders for the coordinator go: CONTESTFLOW_COORDINATOR_EMAIL,
    else the coordinating department's address (None when neither is set)."""
    configured = get_settings().coordinator_email
    if configured:
        return configured
    department = session.get(Department, COORDINATING_DEPARTMENT)
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
    if not _ADDRESS.match(to):
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


def deliver_pending(session: Session, *, limit: int = 20, now: dt.datetime | None = None,
                    transport: Transport | None = None) -> int:
    """Send up to ``limit`` due messages; returns how many were delivered.

    Sending happens inside the caller's transaction (which on SQLite holds the write lock), so
    keep batches small and call again for more; a server that cannot be reached ends the
    batch at its first message.
    """
    now = now or utcnow()
    due = list(session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id).limit(limit)
    ))
    if not due:
        return 0
    delivered = 0
    with transport or transport_from_settings() as active:
        for message in due:
            if not _claim(session, message, now):
                continue
            try:
                active.send(build_email(message), message)
            except PermanentFailure as error:
                _give_up(session, message, str(error))
            except (smtplib.SMTPException, OSError, ValueError, KeyError) as error:
                _retry_later(session, message, f"{type(error).__name__}: {error}", now)
                if _unreachable(error):
                    break  # the rest would wait for the same dead server, holding the session
            else:
                _mark_delivered(session, message)
                delivered += 1
    return delivered


def deliver_due(batch: int = 10) -> int:
    """Deliver everything due, ``batch`` messages per transaction (its own transactions: for
    schedules, the CLI and the web app's background job); returns how many were delivered."""
    from contestflow.db import session_scope

    delivered = 0
    while True:
        with session_scope() as session:
            sent = deliver_pending(session, limit=batch)
        delivered += sent
        if sent < batch:
            return delivered


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
               OutboxMessage.attempts == seen)
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


def build_email(message: OutboxMessage) -> EmailMessage:
    """The RFC 5322 message for a row; the same row always gives the same Message-ID."""
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = get_settings().mail_from
    email["To"] = message.to_addr
    email["Subject"] = message.subject
    created = message.created_at or utcnow()
    email["Date"] = format_datetime(created if created.tzinfo else created.replace(tzinfo=dt.UTC))
    email["Message-ID"] = message.message_id
    email.set_content(message.body, charset="utf-8", cte="base64")
    store = get_store()
    for attachment in message.attachments or []:
        with store.open(attachment["sha256"]) as handle:
            data = handle.read()
        maintype, _, subtype = attachment["media_type"].partition("/")
        email.add_attachment(data, maintype=maintype, subtype=subtype or "octet-stream",
                             filename=attachment["filename"])
    return email


def transport_from_settings() -> Transport:
    settings = get_settings()
    if settings.smtp_url:
        return SmtpTransport.from_url(settings.smtp_url)
    return OutboxDirTransport(settings.outbox_dir)


class OutboxDirTransport:
    """Writes each message as ``<id>.eml`` in a folder, atomically; never rewrites one."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def __enter__(self) -> OutboxDirTransport:
        self.directory.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def path_for(self, message: OutboxMessage) -> Path:
        return self.directory / f"{message.id:06d}.eml"

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        final = self.path_for(message)
        if final.exists():
            return
        fd, name = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".eml")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(email.as_bytes())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(name, final)
        except BaseException:
            Path(name).unlink(missing_ok=True)
            raise


@dataclass
class SmtpTransport:
    """One SMTP connection for a batch: ``smtp://user:pass@host:port`` (``?starttls=1`` to
    upgrade), or ``smtps://`` for TLS from the start."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    implicit_tls: bool = False
    starttls: bool = False
    _client: smtplib.SMTP | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpTransport:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise NotifyError(f"CONTESTFLOW_SMTP_URL must be smtp:// or smtps://, not {url!r}")
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes")
        implicit = parts.scheme == "smtps"
        port = parts.port or (465 if implicit else 587 if starttls else 25)
        return cls(parts.hostname, port, unquote(parts.username) if parts.username else None,
                   unquote(parts.password) if parts.password else None, implicit, starttls)

    def __enter__(self) -> SmtpTransport:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self._close()

    def _connect(self) -> smtplib.SMTP:
        if self._client is None:
            context = ssl.create_default_context()
            if self.implicit_tls:
                client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port,
                                                        timeout=SMTP_TIMEOUT, context=context)
            else:
                client = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT)
                if self.starttls:
                    client.starttls(context=context)
            if self.username:
                client.login(self.username, self.password or "")
            self._client = client
        return self._client

    def _close(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            try:
                client.quit()
            except (smtplib.SMTPException, OSError):
                client.close()

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        try:
            self._connect().send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            raise PermanentFailure(f"recipient refused: {error.recipients}") from error
        except smtplib.SMTPDataError as error:
            # The server read the message and refused it for good (5xx); a 4xx is worth a retry.
            # Login and sender refusals are configuration, not the message: they are retried.
            if 500 <= error.smtp_code < 600:
                raise PermanentFailure(f"{error.smtp_code} {error.smtp_error!r}") from error
            self._close()
            raise
        except (smtplib.SMTPException, OSError):
            self._close()  # reconnect for the next message
            raise
