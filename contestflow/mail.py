"""How a queued message leaves: its RFC 5322 form, and the transports that send it.

SMTP when ``CONTESTFLOW_SMTP_URL`` is set, otherwise ``.eml`` files in the workspace's outbox
folder. A transport raises on failure, ``PermanentFailure`` when retrying is futile; the
outbox (contestflow/notify.py) decides what to do about it.
"""

from __future__ import annotations

import base64
import datetime as dt
import smtplib
import ssl
from dataclasses import dataclass
from email.headerregistry import UnstructuredHeader
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime
from pathlib import Path
from types import TracebackType
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from contestflow.config import get_settings
from contestflow.db.base import utcnow
from contestflow.db.models import OutboxMessage
from contestflow.files import write_atomically
from contestflow.identity import city
from contestflow.store import get_store

SMTP_TIMEOUT = 20
LINE_LIMIT = 76  # RFC 2045 for base64 lines, RFC 2047 for header lines with encoded words
ENCODED_WORD_LIMIT = 75  # RFC 2047, "=?utf-8?b?…?=" included


class _SmtpPolicy(EmailPolicy):
    """The standard library's SMTP policy, with its own folding of non-ASCII text headers.

    CPython 3.11 folds a long non-ASCII Subject into encoded words of up to 76 characters and
    sometimes puts the space between two words outside them, where RFC 2047 says a reader
    drops it ("ОГМВ – Мехико" arrives as "ОГМВ –Мехико"). Here every character, spaces
    included, travels inside an encoded word of at most 75 characters, one word a line.
    Everything else (addresses, RFC 2231 attachment names, base64 bodies) is the library's.
    """

    def fold(self, name: str, value: str) -> str:
        if isinstance(value, UnstructuredHeader) and not str(value).isascii():
            return encoded_header(name, str(value), self.linesep)
        return super().fold(name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        if isinstance(value, UnstructuredHeader) and not str(value).isascii():
            return encoded_header(name, str(value), self.linesep).encode("ascii")
        return super().fold_binary(name, value)


MAIL_POLICY = _SmtpPolicy(linesep="\r\n", max_line_length=LINE_LIMIT)


def encoded_header(name: str, text: str, linesep: str = "\r\n") -> str:
    """``Name: =?utf-8?b?…?=`` folded into RFC 2047 encoded words that keep every space, each
    line at most LINE_LIMIT characters; a character's bytes never straddle two words."""
    words: list[str] = []
    room = LINE_LIMIT - len(name) - 2  # the first line also holds "Name: "
    chunk = ""
    for character in text:
        if chunk and _encoded_length(chunk + character) > min(room, ENCODED_WORD_LIMIT):
            words.append(_encoded_word(chunk))
            chunk, room = "", LINE_LIMIT - 1  # continuation lines start with one space
        chunk += character
    words.append(_encoded_word(chunk))
    return f"{name}: " + f"{linesep} ".join(words) + linesep


def _encoded_word(text: str) -> str:
    return "=?utf-8?b?" + base64.b64encode(text.encode()).decode("ascii") + "?="


def _encoded_length(text: str) -> int:
    return len("=?utf-8?b??=") + -(-len(text.encode()) // 3) * 4


class NotifyError(ValueError):
    """A message that cannot be queued (no or a malformed address), or a malformed
    CONTESTFLOW_SMTP_URL; the message says which."""


class PermanentFailure(Exception):
    """The mail server refused the message for good (unknown recipient): retrying won't help."""


class Transport(Protocol):
    def __enter__(self) -> Transport: ...

    def __exit__(self, *exc: object) -> None: ...

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        """Hand ``email`` over; raise on failure (``PermanentFailure`` when retrying is futile)."""


def build_email(message: OutboxMessage) -> EmailMessage:
    """The RFC 5322 message for a row; the same row always gives the same Message-ID."""
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = get_settings().mail_from
    email["To"] = message.to_addr
    # The sender is a system address nobody reads, yet the mails say «ответьте на это письмо»
    # and the covering letter asks for a reply: replies go to the coordinator, as the city
    # file names the coordinator when the mail leaves (a corrected file counts for mail still
    # queued).
    coordinator = city().coordinator.email
    if message.to_addr.lower() != coordinator.lower():
        email["Reply-To"] = coordinator
    email["Subject"] = message.subject
    created = message.created_at or utcnow()
    email["Date"] = format_datetime(created if created.tzinfo else created.replace(tzinfo=dt.UTC))
    email["Message-ID"] = message.message_id
    email.set_content(message.body, charset="utf-8", cte="base64")
    store = get_store()
    for attachment in message.attachments or []:
        data = store.read_bytes(attachment["sha256"])
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
        write_atomically(final, email.as_bytes())


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
            raise NotifyError("CONTESTFLOW_SMTP_URL must be smtp://host or smtps://host, not "
                              f"{parts.scheme or 'no scheme'}://…")  # the rest may hold a password
        query = parse_qs(parts.query)
        starttls = query.get("starttls", ["0"])[0].lower() in ("1", "true", "yes")
        implicit = parts.scheme == "smtps"
        try:
            port = parts.port or (465 if implicit else 587 if starttls else 25)
        except ValueError as error:  # "smtp://host:99999", "smtp://host:abc"
            raise NotifyError(f"CONTESTFLOW_SMTP_URL has a bad port: {error}") from None
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
