"""The outbox: deduplicated, retried with backoff, delivered once, to .eml files or over SMTP
(against a real SMTP server on 127.0.0.1, aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import ClassVar

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import OutboxMessage
from contestflow.notify import (
    MAX_ATTEMPTS,
    NotifyError,
    deliver_pending,
    enqueue_message,
    retry_delay,
)

SUBJECT = "Запрос материалов: Премия «ОГМВ – Мехико – Культура 21» (2028) — срок 10.03.2028"


class Collector:
    """An aiosmtpd handler that keeps what it receives, or refuses one recipient for good."""

    def __init__(self, refuse: str | None = None) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = refuse

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address == self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


class LocalSmtp(Controller):
    """aiosmtpd on a free port: the port is read back once the server is bound."""

    def _trigger_server(self) -> None:
        assert self.server is not None
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    handler = Collector(refuse="nobody@stavropol.example")
    controller = LocalSmtp(handler, hostname="127.0.0.1", port=0)
    controller.start()
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{controller.port}")
    get_settings.cache_clear()
    yield handler
    controller.stop()


def _queue(session, key: str = "k1", to: str = "culture@stavropol.example",  # type: ignore[no-untyped-def]
           attachments: list[tuple[str, bytes, str]] | None = None) -> bool:
    return enqueue_message(session, to=to, subject=SUBJECT, body="Здравствуйте!\nТекст письма.",
                           dedupe_key=key, attachments=attachments)


def dead_port() -> int:
    """A port nobody listens on (it was free a moment ago): connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _parse(raw: bytes) -> EmailMessage:
    return message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]


def test_the_same_notice_is_queued_once(database_url: str) -> None:
    with session_scope() as session:
        assert _queue(session) is True
        assert _queue(session) is False
    with session_scope() as session:
        assert _queue(session) is False
        assert len(session.scalars(select(OutboxMessage)).all()) == 1


def test_without_smtp_messages_become_eml_files_once(workspace: Path) -> None:
    attachment = ("Письмо главы города.pdf", b"%PDF-1.4 ...", "application/pdf")
    with session_scope() as session:
        _queue(session, "a", attachments=[attachment])
        _queue(session, "b", to="press@stavropol.example")
        assert deliver_pending(session) == 2
    with session_scope() as session:
        assert deliver_pending(session) == 0  # nothing sent twice
    files = sorted((workspace / "outbox").glob("*.eml"))
    assert [f.name for f in files] == ["000001.eml", "000002.eml"]
    first = _parse(files[0].read_bytes())
    assert first["Subject"] == SUBJECT and first["To"] == "culture@stavropol.example"
    assert "Текст письма" in first.get_body(("plain",)).get_content()
    [part] = list(first.iter_attachments())
    assert part.get_filename() == attachment[0] and part.get_content() == attachment[1]


def test_smtp_delivery_to_a_real_server(database_url: str, smtp: Collector) -> None:
    with session_scope() as session:
        _queue(session)
        assert deliver_pending(session) == 1
    [(recipients, raw)] = smtp.messages
    assert recipients == ["culture@stavropol.example"]
    message = _parse(raw)
    assert message["Subject"] == SUBJECT
    assert message["Message-ID"].endswith("@localhost>")
    assert not list((get_settings().outbox_dir).glob("*.eml"))


def test_a_failed_delivery_is_retried_later_with_backoff(workspace: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         smtp: Collector) -> None:
    live_url = get_settings().smtp_url
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{dead_port()}")
    get_settings.cache_clear()
    with session_scope() as session:
        _queue(session)
        now = dt.datetime.now(dt.UTC)
        assert deliver_pending(session, now=now) == 0
        message = session.scalars(select(OutboxMessage)).one()
        assert (message.state, message.attempts) == ("pending", 1)
        assert "Connection" in message.last_error or "refused" in message.last_error.lower()
        assert deliver_pending(session, now=now + dt.timedelta(seconds=30)) == 0  # not yet due
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", str(live_url))
    get_settings.cache_clear()
    with session_scope() as session:
        assert deliver_pending(session, now=now + retry_delay(1)) == 1
        message = session.scalars(select(OutboxMessage)).one()
        assert (message.state, message.attempts, message.last_error) == ("delivered", 2, "")
    assert len(smtp.messages) == 1


def test_backoff_doubles_and_has_a_ceiling() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == dt.timedelta(hours=6)


def test_a_refused_recipient_is_not_retried(workspace: Path, smtp: Collector) -> None:
    with session_scope() as session:
        _queue(session, to="nobody@stavropol.example")
        assert deliver_pending(session) == 0
        message = session.scalars(select(OutboxMessage)).one()
        assert message.state == "failed" and "refused" in message.last_error


def test_delivery_gives_up_after_the_last_attempt(workspace: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{dead_port()}")
    get_settings.cache_clear()
    now = dt.datetime.now(dt.UTC)
    with session_scope() as session:
        _queue(session)
        for _ in range(MAX_ATTEMPTS):
            now += dt.timedelta(days=1)
            deliver_pending(session, now=now)
        assert session.scalars(select(OutboxMessage)).one().state == "failed"


def test_an_unreachable_server_ends_the_batch_at_once(workspace: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{dead_port()}")
    get_settings.cache_clear()
    with session_scope() as session:
        for index in range(3):
            _queue(session, f"key-{index}")
        assert deliver_pending(session) == 0
        attempts = [m.attempts for m in session.scalars(select(OutboxMessage)
                                                        .order_by(OutboxMessage.id))]
    assert attempts == [1, 0, 0]


class SlowTransport:
    """Counts sends; slow enough that two deliverers overlap."""

    sent: ClassVar[list[int]] = []
    lock = threading.Lock()

    def __enter__(self) -> SlowTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        time.sleep(0.05)
        with self.lock:
            self.sent.append(message.id)


def test_two_deliverers_at_once_send_each_message_once(database_url: str) -> None:
    with session_scope() as session:
        for index in range(6):
            _queue(session, f"key-{index}")
    SlowTransport.sent = []

    def deliver() -> None:
        with session_scope() as session:
            deliver_pending(session, transport=SlowTransport())

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(SlowTransport.sent) == sorted(set(SlowTransport.sent))
    assert len(SlowTransport.sent) == 6


def test_addresses_and_subjects_cannot_inject_headers(workspace: Path) -> None:
    with session_scope() as session:
        with pytest.raises(NotifyError):
            enqueue_message(session, to="a@b.example\r\nBcc: victim@x.example", subject="s",
                            body="b", dedupe_key="x")
        enqueue_message(session, to="a@b.example", subject="Тема\r\nBcc: victim@x.example",
                        body="b", dedupe_key="y")
        deliver_pending(session)
    [eml] = (workspace / "outbox").glob("*.eml")
    message = _parse(eml.read_bytes())
    assert message["Bcc"] is None and message["Subject"] == "Тема Bcc: victim@x.example"
