"""The outbox: deduplicated, retried with backoff, delivered once, to .eml files or over SMTP
(against a real SMTP server on 127.0.0.1, aiosmtpd)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from email.message import EmailMessage
from pathlib import Path
from typing import ClassVar

import pytest
from sqlalchemy import select

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, OutboxMessage
from contestflow.notify import (
    MAX_ATTEMPTS,
    NotifyError,
    deliver_due,
    deliver_pending,
    enqueue_message,
    retry_delay,
)
from tests.intake.mailserver import (
    SUBJECT,
    Collector,
    dead_port,
    outbox,
    parse,
    queue,
    queue_many,
)


def test_the_same_notice_is_queued_once(database_url: str) -> None:
    with session_scope() as session:
        assert queue(session) is True
        assert queue(session) is False
    with session_scope() as session:
        assert queue(session) is False
        assert len(session.scalars(select(OutboxMessage)).all()) == 1


def test_without_smtp_messages_become_eml_files_once(workspace: Path) -> None:
    attachment = ("Письмо главы города.pdf", b"%PDF-1.4 ...", "application/pdf")
    with session_scope() as session:
        queue(session, "a", attachments=[attachment])
        queue(session, "b", to="press@stavropol.example")
    assert deliver_pending() == 2
    assert deliver_pending() == 0  # nothing sent twice
    files = sorted((workspace / "outbox").glob("*.eml"))
    assert [f.name for f in files] == ["000001.eml", "000002.eml"]
    first = parse(files[0].read_bytes())
    assert first["Subject"] == SUBJECT and first["To"] == "culture@stavropol.example"
    assert "Текст письма" in first.get_body(("plain",)).get_content()
    [part] = list(first.iter_attachments())
    assert part.get_filename() == attachment[0] and part.get_content() == attachment[1]


def test_smtp_delivery_to_a_real_server(database_url: str, smtp: Collector) -> None:
    with session_scope() as session:
        queue(session)
    assert deliver_pending() == 1
    [(recipients, raw)] = smtp.messages
    assert recipients == ["culture@stavropol.example"]
    message = parse(raw)
    assert message["Subject"] == SUBJECT
    assert message["Message-ID"].endswith("@localhost>")
    assert message["Reply-To"] == "international@stavropol.example"  # the city's coordinator
    assert not list((get_settings().outbox_dir).glob("*.eml"))
    with session_scope() as session:
        [event] = session.scalars(select(AuditEvent)
                                  .where(AuditEvent.action == "message.delivered")).all()
        assert event.details["attempts"] == 1


def test_a_failed_delivery_is_retried_later_with_backoff(workspace: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         smtp: Collector) -> None:
    live_url = get_settings().smtp_url
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{dead_port()}")
    get_settings.cache_clear()
    with session_scope() as session:
        queue(session)
    now = dt.datetime.now(dt.UTC)
    assert deliver_pending(now=now) == 0
    [message] = outbox()
    assert (message.state, message.attempts) == ("pending", 1)
    assert "Connection" in message.last_error or "refused" in message.last_error.lower()
    assert deliver_pending(now=now + dt.timedelta(seconds=30)) == 0  # not yet due
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", str(live_url))
    get_settings.cache_clear()
    assert deliver_pending(now=now + retry_delay(1)) == 1
    [message] = outbox()
    assert (message.state, message.attempts, message.last_error) == ("delivered", 2, "")
    assert len(smtp.messages) == 1


def test_backoff_doubles_and_has_a_ceiling() -> None:
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert retry_delay(30) == dt.timedelta(hours=6)


def test_a_refused_recipient_is_not_retried(workspace: Path, smtp: Collector) -> None:
    with session_scope() as session:
        queue(session, to="nobody@stavropol.example")
    assert deliver_pending() == 0
    [message] = outbox()
    assert message.state == "failed" and "refused" in message.last_error
    assert message.attempts == 1
    with session_scope() as session:
        [event] = session.scalars(select(AuditEvent)
                                  .where(AuditEvent.action == "message.failed")).all()
        assert event.details["to"] == "nobody@stavropol.example"


def test_delivery_gives_up_after_the_last_attempt(workspace: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{dead_port()}")
    get_settings.cache_clear()
    now = dt.datetime.now(dt.UTC)
    with session_scope() as session:
        queue(session)
    for _ in range(MAX_ATTEMPTS):
        now += dt.timedelta(days=1)
        deliver_pending(now=now)
    [message] = outbox()
    assert (message.state, message.attempts) == ("failed", MAX_ATTEMPTS)


def test_an_unreachable_server_ends_the_batch_at_once(workspace: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{dead_port()}")
    get_settings.cache_clear()
    queue_many(3)
    now = dt.datetime.now(dt.UTC)
    assert deliver_pending(now=now) == 0
    messages = outbox()
    assert [m.attempts for m in messages] == [1, 0, 0]
    # The two never tried were handed back: still due, not pushed back by the claim.
    assert all(m.next_attempt_at <= now.replace(tzinfo=m.next_attempt_at.tzinfo)
               for m in messages[1:])


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
    queue_many(6)
    SlowTransport.sent = []
    counts: list[int] = []

    def deliver() -> None:  # small batches: the two claim turn about while the others send
        counts.append(deliver_due(2, transport=SlowTransport()))

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(SlowTransport.sent) == sorted(set(SlowTransport.sent))
    assert len(SlowTransport.sent) == 6 and sum(counts) == 6
    assert {(m.state, m.attempts) for m in outbox()} == {("delivered", 1)}


def test_addresses_and_subjects_cannot_inject_headers(workspace: Path) -> None:
    with session_scope() as session:
        with pytest.raises(NotifyError):
            enqueue_message(session, to="a@b.example\r\nBcc: victim@x.example", subject="s",
                            body="b", dedupe_key="x")
        enqueue_message(session, to="a@b.example", subject="Тема\r\nBcc: victim@x.example",
                        body="b", dedupe_key="y")
    deliver_pending()
    [eml] = (workspace / "outbox").glob("*.eml")
    message = parse(eml.read_bytes())
    assert message["Bcc"] is None and message["Subject"] == "Тема Bcc: victim@x.example"
