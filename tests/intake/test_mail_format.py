"""Every kind of message contestflow sends, as a mail program reads it: sent through the
outbox to a real SMTP server (aiosmtpd on 127.0.0.1) and parsed with ``email.policy.default``,
which must find no defect, no line over its limit and exactly the subject and attachment
names that were queued. (The organiser's package mail is checked the same way, through
``parse``, in tests/integration/test_package_sending.py.)"""

from __future__ import annotations

import base64
import datetime as dt
import random

import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import OutboxMessage
from contestflow.intake.reminders import queue_late_summary, queue_reminders
from contestflow.intake.requests import notify_material_requests, reopen_and_notify
from contestflow.lifecycle import transition
from contestflow.mail import LINE_LIMIT, encoded_header
from contestflow.notify import deliver_due, enqueue_message
from contestflow.results.reminders import remind_awaiting_results
from contestflow.submission.opening import open_submission
from tests.intake.mailserver import Collector, assert_well_formed, parse
from tests.results.helpers import sent_submission

DUE = dt.date(2028, 2, 21)  # uclg-culture21 2028's internal due date
WORDS = ("Премия", "ОГМВ", "–", "Мехико", "«Культура", "21»", "доклад", "о", "проекте", "a",
         "b,", "2028:", "—", "😀", "x" * 30, "Ставрополь")


def _subject_of(raw: bytes) -> str:
    return str(parse(raw)["Subject"])


@pytest.mark.parametrize("seed", range(200))
def test_a_folded_subject_keeps_every_space_and_character(seed: int) -> None:
    # CPython's own folding loses the space before a word it moves to the next line in
    # roughly a quarter of these subjects.
    chooser = random.Random(seed)
    subject = " ".join(chooser.choice(WORDS) for _ in range(chooser.randint(1, 40)))
    folded = encoded_header("Subject", subject).encode("ascii")
    lines = folded.removesuffix(b"\r\n").split(b"\r\n")
    assert all(len(line) <= LINE_LIMIT for line in lines), lines
    assert all(len(line.strip().removeprefix(b"Subject: ")) <= 75 for line in lines)
    raw = folded + b"From: a@b.example\r\n\r\nbody\r\n"
    assert _subject_of(raw) == subject


def test_an_encoded_word_never_splits_a_character() -> None:
    folded = encoded_header("Subject", "😀" * 40)
    for word in folded.split():
        if word.startswith("=?"):
            base64.b64decode(word[10:-2]).decode("utf-8")  # each word decodes on its own


def _delivered(smtp: Collector) -> list[tuple[str, OutboxMessage, bytes]]:
    """Each delivered message's kind (its dedupe key's first word), row and received bytes."""
    deliver_due()
    with session_scope() as session:
        rows = {row.message_id: row for row in session.scalars(select(OutboxMessage))}
    received = []
    for _, raw in smtp.messages:
        row = rows.pop(parse(raw)["Message-ID"])
        received.append((row.dedupe_key.split(":")[0], row, raw))
    assert not rows, "every queued message arrived"
    return received


def test_every_kind_of_message_parses_without_defects(database_url: str,
                                                      smtp: Collector) -> None:
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        notify_material_requests(session, submission)
        transition(session, submission.id, "draft", "collecting", actor="test")
        queue_reminders(session, today=DUE - dt.timedelta(days=3))
        photos = next(r for r in submission.requests if r.item_id == "photographs")
        photos.state = "received"
        reopen_and_notify(session, photos.id, "Пришлите крупнее, " * 30, actor="coordinator")
        queue_late_summary(session, today=DUE + dt.timedelta(days=2))
        enqueue_message(
            session, to="org@mag.example", dedupe_key="package-email:test",
            subject="Заявка города Ставрополя на конкурс «Город, в котором хочется жить» — "
                    "номинация «Помним и гордимся!», 2026 год, " * 3,
            body="Уважаемые организаторы!\n" + "Направляем материалы заявки. " * 60,
            attachments=[("Заявка пресс-службы — «Город в зеркале СМИ» 2026.docx", b"PK" * 900,
                          "application/vnd.openxmlformats-officedocument"
                          ".wordprocessingml.document"),
                         ("Публикации 2026 (газета «Вечерний Ставрополь»).pdf", b"%PDF" * 50,
                          "application/pdf"),
                         ("manifest.json", b"{}", "application/json")])
    sent_id = sent_submission(edition="2024")
    with session_scope() as session:
        reminder = remind_awaiting_results(session, today=dt.date(2100, 1, 4))
    assert reminder.queued and sent_id

    received = _delivered(smtp)
    kinds = {kind for kind, _, _ in received}
    assert kinds == {"material-request", "reminder", "reopened", "late-summary",
                     "results-overdue", "package-email"}, kinds
    for _, row, raw in received:
        assert_well_formed(raw)
        mail = parse(raw)
        assert str(mail["Subject"]) == row.subject
        text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert text.replace("\r\n", "\n").rstrip("\n") == row.body.rstrip("\n")
    [(_, row, raw)] = [message for message in received if message[0] == "package-email"]
    mail = parse(raw)
    names = [part.get_filename() for part in mail.iter_attachments()]
    assert names == [a["filename"] for a in row.attachments]
    assert b"filename*0*=utf-8''" in raw  # RFC 2231, not an encoded word in a quoted string
    assert len(raw.split(b"\r\n")[0]) <= LINE_LIMIT


def test_the_check_itself_catches_the_old_long_lines() -> None:
    # What contestflow sent before: base64 lines of 996 characters, a one-word subject.
    long_word = "=?utf-8?b?" + base64.b64encode("Запрос материалов ".encode() * 6).decode() + "?="
    body = base64.b64encode("Здравствуйте! ".encode() * 80).decode()
    raw = (f"Subject: {long_word}\r\nFrom: a@b.example\r\nMIME-Version: 1.0\r\n"
           "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n"
           f"\r\n{body}\r\n").encode("ascii")
    with pytest.raises(AssertionError):
        assert_well_formed(raw)
    short = raw.replace(long_word.encode(), b"=?utf-8?b?0JfQsNC/?=").replace(
        body.encode(), b"\r\n".join(body.encode()[i:i + 76] for i in range(0, len(body), 76)))
    assert_well_formed(short)
