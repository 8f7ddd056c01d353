"""A real SMTP server on 127.0.0.1 for the outbox tests (aiosmtpd), and queueing helpers."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import OutboxMessage
from contestflow.notify import enqueue_message

SUBJECT = "Запрос материалов: Премия «ОГМВ – Мехико – Культура 21» (2028) — срок 21.02.2028"


class Collector:
    """An aiosmtpd handler that keeps what it receives, or refuses one recipient for good."""

    def __init__(self, refuse: str | None = None) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, options):  # type: ignore[no-untyped-def]
        if address == self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


class LocalSmtp(Controller):
    """aiosmtpd on a free port: the port is read back once the server is bound."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@contextmanager
def serving(handler: Collector, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """Run ``handler`` on a free port, with CONTESTFLOW_SMTP_URL pointing at it."""
    controller = LocalSmtp(handler, hostname="127.0.0.1", port=0)
    controller.start()
    try:
        monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
        get_settings.cache_clear()
        yield controller.port
    finally:
        controller.stop()


def queue(session: Session, key: str = "k1", to: str = "culture@stavropol.example",
          attachments: list[tuple[str, bytes, str]] | None = None) -> bool:
    return enqueue_message(session, to=to, subject=SUBJECT, body="Здравствуйте!\nТекст письма.",
                           dedupe_key=key, attachments=attachments)


def queue_many(count: int) -> None:
    with session_scope() as session:
        for index in range(count):
            queue(session, f"key-{index}")


def outbox() -> list[OutboxMessage]:
    """Every queued message, oldest first (read in a transaction of its own)."""
    with session_scope() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def dead_port() -> int:
    """A port nobody listens on (it was free a moment ago): connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def parse(raw: bytes) -> EmailMessage:
    """``raw`` as a mail program reads it, once it has passed ``assert_well_formed``."""
    assert_well_formed(raw)
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def assert_well_formed(raw: bytes) -> None:
    """No defect in any part or header, CRLF line ends, and no line over its limit: 76 for
    base64 (RFC 2045) and for a header line with an encoded word (RFC 2047), 78 for any other
    header line (RFC 5322) unless it is one token that cannot be folded (a long media type)."""
    mail = message_from_bytes(raw, policy=policy.default)
    assert b"\n" not in raw.replace(b"\r\n", b""), "a bare LF"
    for part in mail.walk():
        assert not part.defects, (part.get("Content-Type"), part.defects)
        for name, value in part.items():
            assert not value.defects, (name, value.defects)  # type: ignore[attr-defined]
    head, _, body = raw.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if b"=?" in line:
            assert len(line) <= 76, line
        elif len(line) > 78:
            name, _, token = line.partition(b": ")
            assert b" " not in token and b";" not in token, line
    for line in body.split(b"\r\n"):
        assert len(line) <= 76 or line.startswith(b"Content-Type: "), line
