"""Delivery never talks to the network inside a database transaction, and never raises out of
``deliver_due`` because the mail server is misconfigured or away."""

from __future__ import annotations

import datetime as dt
import logging
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

import contestflow.db.session as db_session
import contestflow.notify as notify
from contestflow.audit import record_event
from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import AuditEvent, OutboxMessage
from contestflow.notify import deliver_due, deliver_pending
from tests.intake.mailserver import Collector, dead_port, outbox, parse, queue_many, serving

LOCK_WAIT_SECONDS = 2


def write_beside_delivery(message_id: str) -> None:
    """What an upload does while mail goes out: a write, here to the very row being sent.
    Gives up after LOCK_WAIT_SECONDS if the deliverer holds the lock it needs."""
    with session_scope() as session:
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
        session.execute(update(OutboxMessage).where(OutboxMessage.message_id == message_id)
                        .values(last_error="written while the server held the message"))
        record_event(session, actor="test", action="test.written", subject_type="message",
                     subject_id=message_id)


class WritingCollector(Collector):
    """While it holds each message (before answering DATA), writes to the database."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[float | Exception] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            write_beside_delivery(parse(envelope.content)["Message-ID"])
        except Exception as error:  # reported by the test, not as a refusal to the client
            self.writes.append(error)
        else:
            self.writes.append(time.monotonic() - started)
        return await super().handle_DATA(server, session, envelope)


def test_no_lock_is_held_while_the_mail_server_talks(database_url: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # SQLite: a writer waits at most this long for the write lock, then fails.
    monkeypatch.setattr(db_session, "SQLITE_BUSY_TIMEOUT_MS", LOCK_WAIT_SECONDS * 1000)
    handler = WritingCollector()
    queue_many(3)
    with serving(handler, monkeypatch):
        assert deliver_due() == 3
    assert len(handler.writes) == 3
    assert all(isinstance(w, float) for w in handler.writes), handler.writes
    assert {(m.state, m.attempts, m.last_error) for m in outbox()} == {("delivered", 1, "")}
    with session_scope() as session:
        assert len(session.scalars(select(AuditEvent)
                                   .where(AuditEvent.action == "test.written")).all()) == 3


@pytest.mark.parametrize("url", ["http://mail.example", "smtp://", "smtp://mail.example:99999",
                                 "smtp://user:s3cret@mail.example:port"])
def test_a_malformed_smtp_url_is_logged_and_mail_stays_queued(
        workspace: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        url: str) -> None:
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", url)
    get_settings.cache_clear()
    queue_many(2)
    with caplog.at_level(logging.WARNING, logger="contestflow.notify"):
        assert deliver_due() == 0
    assert "CONTESTFLOW_SMTP_URL" in caplog.text and "s3cret" not in caplog.text
    assert {(m.state, m.attempts) for m in outbox()} == {("pending", 0)}
    with pytest.raises(notify.NotifyError):
        deliver_pending()


def test_an_unwritable_outbox_folder_is_logged_and_mail_stays_queued(
        workspace: Path, caplog: pytest.LogCaptureFixture) -> None:
    queue_many(1)
    get_settings().outbox_dir.write_text("a file where the folder should be")
    with caplog.at_level(logging.WARNING, logger="contestflow.notify"):
        assert deliver_due() == 0
    assert "stay queued" in caplog.text
    assert {(m.state, m.attempts) for m in outbox()} == {("pending", 0)}


def test_an_unreachable_or_wrongly_spoken_server_does_not_raise(
        workspace: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        smtp: Collector) -> None:
    live_port = get_settings().smtp_url.rsplit(":", 1)[1]
    queue_many(3)
    # Nobody listens; then TLS spoken to a server that talks plain SMTP.
    now = dt.datetime.now(dt.UTC)
    for url in (f"smtp://127.0.0.1:{dead_port()}", f"smtps://127.0.0.1:{live_port}"):
        monkeypatch.setenv("CONTESTFLOW_SMTP_URL", url)
        get_settings.cache_clear()
        now += dt.timedelta(days=1)
        with caplog.at_level(logging.WARNING, logger="contestflow.notify"):
            assert deliver_due(now=now) == 0
    assert "unreachable" in caplog.text
    assert [(m.state, m.attempts) for m in outbox()] == [("pending", 2), ("pending", 0),
                                                         ("pending", 0)]
    assert not smtp.messages


class RecordingTransport:
    def __init__(self, fail: Exception | None = None) -> None:
        self.sent: list[int] = []
        self.fail = fail

    def __enter__(self) -> RecordingTransport:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        if self.fail is not None:
            raise self.fail
        self.sent.append(message.id)


def test_claims_not_tried_in_time_are_handed_back(database_url: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notify, "CLAIM_BUDGET", dt.timedelta(0))  # every send is "late"
    queue_many(3)
    transport = RecordingTransport()
    assert deliver_pending(limit=3, transport=transport) == 1  # the first is always tried
    assert [(m.state, m.attempts) for m in outbox()] == [("delivered", 1), ("pending", 0),
                                                         ("pending", 0)]
    assert deliver_due(3, transport=transport) == 2  # fresh claims, one at a time
    assert transport.sent == [1, 2, 3]
    assert {(m.state, m.attempts) for m in outbox()} == {("delivered", 1)}


def test_an_unexpected_error_is_retried_not_raised(database_url: str,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    queue_many(2)
    with caplog.at_level(logging.ERROR, logger="contestflow.notify"):
        assert deliver_due(transport=RecordingTransport(RuntimeError("a bug"))) == 0
    assert "failed unexpectedly" in caplog.text
    assert [(m.state, m.attempts, m.last_error) for m in outbox()] == [
        ("pending", 1, "RuntimeError: a bug")] * 2


class OvertakenTransport(RecordingTransport):
    """Fails slowly: meanwhile the lease runs out and another deliverer claims the message."""

    def send(self, email: EmailMessage, message: OutboxMessage) -> None:
        with session_scope() as session:
            session.execute(update(OutboxMessage).where(OutboxMessage.id == message.id)
                            .values(attempts=OutboxMessage.attempts + 1))
        raise OSError("timed out")


def test_a_late_failure_leaves_the_newer_claim_alone(database_url: str) -> None:
    queue_many(1)
    assert deliver_due(transport=OvertakenTransport()) == 0
    [message] = outbox()
    assert (message.state, message.attempts, message.last_error) == ("pending", 2, "")
