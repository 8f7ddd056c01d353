"""`submission send`: an approved package e-mailed to the organiser through the outbox, to a
real SMTP server (aiosmtpd on 127.0.0.1), on each database backend."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

import contestflow.catalog
from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.base import utcnow
from contestflow.db.models import AuditEvent, Material, OutboxMessage, Submission
from contestflow.errors import SubmissionError
from contestflow.intake.fields import describe_file
from contestflow.materials import record_material
from contestflow.notify import deliver_due
from contestflow.sending.by_email import send_and_deliver
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from contestflow.submission.review import decide
from contestflow.submission.status import submission_status
from schemas import CONTESTS_DIR
from tests.cli.test_cli import assert_one_line_error, run, run_json
from tests.flow_steps import confirm_eligibility, package_record, run_steps
from tests.intake.mailserver import Collector, dead_port, parse, serving

ORGANISER = "smi@mag.example"
COORDINATOR = "international@stavropol.example"
MARKER = "Город в зеркале СМИ"
NOMINATION = "Помним и гордимся!"
# What the press service uploads for iac-city-media, by item.
MEDIA_FILES = {
    "application": ("Заявка пресс-службы.docx", b"PK\x03\x04 application form " * 40),
    "publications": ("Публикации 2026.pdf", b"%PDF-1.4 published pieces " * 300),
    "audio-video": ("Сюжет.mp4", b"\x00\x00\x00\x18ftypmp42 video " * 500),
}


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    handler = Collector()
    with serving(handler, monkeypatch):
        yield handler


PIECE = {"outlet": "Вечерний Ставрополь", "author": "И. Петрова", "published_on": "15.05.2026",
         "kind": "print"}


def _approved(contest: str = "iac-city-media", edition: str = "2026",
              nomination: str = NOMINATION) -> int:
    """Open a submission, upload every item, run the flow's steps and approve the package."""
    with session_scope() as session:
        submission = open_submission(session, contest, edition, nomination=nomination,
                                     late=True)
        sid = submission.id
        for request in submission.requests:
            name, data = MEDIA_FILES.get(request.item_id, (f"{request.item_id}.docx",
                                                           f"m{request.id}".encode()))
            record_material(session, request.id, get_store().put_bytes(data), filename=name,
                            media_type="application/octet-stream", actor=request.department_id)
            if request.item_id in ("publications", "audio-video"):
                describe_file(session, request.id, 1, PIECE, actor=request.department_id)
    run_steps(sid)
    confirm_eligibility(sid)
    with session_scope() as session:
        decide(session, sid, reviewer="reviewer", approve=True)
    return sid


def _snapshot(sid: int) -> tuple:
    """What a refusal must leave alone: the state, sent_at, the outbox, the audit log."""
    with session_scope() as session:
        submission = session.get(Submission, sid)
        return (
            submission.state,
            submission.sent_at,
            session.scalar(select(func.count()).select_from(OutboxMessage)),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def _outbox() -> list[OutboxMessage]:
    with session_scope() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def _packed_files(sid: int) -> dict[str, str]:
    """The package's item files as the manifest records them: name -> sha256."""
    manifest = package_record(sid)
    return {f["name"]: f["sha256"] for item in manifest["items"] for f in item["files"]}


def _attachments(mail: EmailMessage) -> dict[str, bytes]:
    return {part.get_filename(): part.get_payload(decode=True) for part in mail.iter_attachments()}


def _to(smtp: Collector, address: str) -> list[EmailMessage]:
    return [parse(raw) for rcpts, raw in smtp.messages if rcpts == [address]]


def test_the_package_arrives_once_with_its_files(database_url: str, smtp: Collector) -> None:
    sid = _approved()
    sent = send_and_deliver(sid, to=ORGANISER, cc=[COORDINATOR])
    assert sent.state == "sent" and sent.delivery is not None
    assert sent.delivery.state == "delivered" and sent.delivery.delivered_at

    [mail] = _to(smtp, ORGANISER)
    assert mail["Subject"] == (f"{MARKER} — Ставрополь — Международный конкурс «Город в зеркале "
                               f"СМИ» — 2026 — {NOMINATION}")
    assert mail["Reply-To"] == COORDINATOR  # the confirmation of receipt reaches a person
    body = mail.get_body(("plain",)).get_content()
    assert body.startswith("Здравствуйте!") and "города Ставрополя" in body
    # Every item file, named as the package names it, byte for byte what the store holds.
    packed = _packed_files(sid)
    attached = _attachments(mail)
    manifest_name = f"iac-city-media-2026-submission-{sid}.manifest.json"
    form = "iac-city-media-2026-application-form-ru.docx"
    assert set(attached) == {*packed, form, manifest_name}
    store = get_store()
    for name, digest in packed.items():
        assert hashlib.sha256(attached[name]).hexdigest() == digest
        assert hashlib.sha256(store.read_bytes(digest)).hexdigest() == digest
        assert name in body
    # The organiser's manifest lists its files and nothing of ours.
    manifest = json.loads(attached[manifest_name])
    assert set(manifest) == {"contest", "edition", "files"} and manifest["edition"] == "2026"
    assert {f["name"] for f in manifest["files"]} == {*packed, form}
    assert all(set(f) == {"name", "size", "sha256", "language"} for f in manifest["files"])
    for internal in (b"department", b"findings", b"filename", b"submission", b"material"):
        assert internal not in attached[manifest_name]
    # The copy says where the original went; nothing else went out.
    [copy] = _to(smtp, COORDINATOR)
    assert copy["Subject"] == mail["Subject"]
    assert ORGANISER in copy.get_body(("plain",)).get_content()
    assert len(smtp.messages) == 2

    with session_scope() as session:
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "submission.sent", AuditEvent.subject_id == str(sid))).one()
        submission = session.get(Submission, sid)
        assert submission.state == "sent" and submission.sent_at is not None
        assert event.details["how"] == f"e-mail to {ORGANISER}"
        assert event.details["package_sha256"] == submission.package_sha256
        assert event.details["outbox_message_id"] == sent.message_id
        status = submission_status(session, sid)
    assert status.sent is not None and status.sent.how == f"e-mail to {ORGANISER}"
    assert status.sent.mail is not None and status.sent.mail.state == "delivered"
    assert status.as_dict()["sent"]["mail"]["to"] == ORGANISER


def test_sending_twice_queues_nothing_new(database_url: str, smtp: Collector) -> None:
    sid = _approved()
    send_and_deliver(sid, to=ORGANISER)
    before = _snapshot(sid)
    with pytest.raises(SubmissionError, match=f"submission {sid} is sent; only an approved"):
        send_and_deliver(sid, to=ORGANISER)
    assert deliver_due() == 0
    assert _snapshot(sid) == before
    assert len(_outbox()) == 1 and len(smtp.messages) == 1


def test_cyrillic_file_names_survive(database_url: str, smtp: Collector, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # A contest whose package names its files in Russian (the bundled ones use ASCII slugs).
    catalog = tmp_path / "contests"
    shutil.copytree(CONTESTS_DIR, catalog)
    definition = yaml.safe_load((catalog / "iac-city-media.yaml").read_text(encoding="utf-8"))
    definition["package"]["file_name_pattern"] = "Ставрополь {edition} — {item} ({language})"
    (catalog / "iac-city-media.yaml").write_text(yaml.safe_dump(definition, allow_unicode=True),
                                                 encoding="utf-8")
    monkeypatch.setattr(contestflow.catalog, "CONTESTS_DIR", catalog)
    sid = _approved()
    send_and_deliver(sid, to=ORGANISER)
    [(_, raw)] = smtp.messages
    raw.decode("ascii")  # the names travel encoded (RFC 2231), never as raw 8-bit bytes
    attached = _attachments(parse(raw))
    packed = _packed_files(sid)
    assert "Ставрополь 2026 — publications (ru)-01.pdf" in packed  # numbered: it takes several
    for name, digest in packed.items():
        assert hashlib.sha256(attached[name]).hexdigest() == digest


def _refused(sid: int, fragment: str, *, to: str = ORGANISER, cc: tuple[str, ...] = ()) -> None:
    before = _snapshot(sid)
    with pytest.raises(SubmissionError, match=fragment):
        send_and_deliver(sid, to=to, cc=cc)
    assert _snapshot(sid) == before


def _upload_racing_the_approval(sid: int, item_id: str, data: bytes) -> None:
    """A version that lands after the package was approved: an approved submission takes no
    material, but an upload that checked the state just before the approval committed does
    (nothing locks the submission between the two), so the row is written as it would be."""
    with session_scope() as session:
        request = next(r for r in steps.load(session, sid).requests if r.item_id == item_id)
        stored = get_store().put_bytes(data)
        session.add(Material(request_id=request.id, version=len(request.materials) + 1,
                             sha256=stored.sha256, size=stored.size, filename="Публикации.pdf",
                             media_type="application/pdf", language="ru", uploaded_by="press"))


def test_refusals_change_nothing(database_url: str, smtp: Collector,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope() as session:
        form = open_submission(session, "uclg-culture21", "2028").id
    _refused(form, "takes entries through its online form, not by e-mail: "
                   "upload the package there, then record the sending")
    sid = _approved()
    _refused(sid, "cannot send to “smi at mag.example”: not an e-mail address",
             to="smi at mag.example")
    _refused(sid, "cannot send to “me@”: not an e-mail", cc=("me@",))

    monkeypatch.setenv("CONTESTFLOW_MAIL_MAX_MB", "0.01")
    get_settings.cache_clear()
    _refused(sid, r"the attachments come to [\d.]+ KB once encoded for e-mail, over the "
                  r"0\.01 MB limit .* "
                  "send the large files by link and then record the sending")
    monkeypatch.delenv("CONTESTFLOW_MAIL_MAX_MB")
    get_settings.cache_clear()

    _upload_racing_the_approval(sid, "publications", b"%PDF-1.4 corrected")
    _refused(sid, "changed since the package was built: “")
    assert _outbox() == [] and smtp.messages == []


def test_a_package_whose_files_left_the_store_is_refused(database_url: str,
                                                         smtp: Collector) -> None:
    sid = _approved()
    digest = _packed_files(sid)["iac-city-media-2026-application-ru.docx"]
    get_store().path(digest).unlink()
    _refused(sid, "the file store has lost Заявка пресс-службы.docx; restore it from backup")


def test_without_a_mail_server_nothing_is_marked_sent(database_url: str) -> None:
    # No CONTESTFLOW_SMTP_URL: the outbox would only write an .eml file into the workspace.
    sid = _approved()
    _refused(sid, "no mail server is set .* then record the sending")


def test_not_approved_is_refused(database_url: str, smtp: Collector) -> None:
    sid = _approved()
    with session_scope() as session:
        decide(session, sid, reviewer="reviewer", approve=False, comment="add the 2026 pieces",
               seen_state="approved")  # taking the approval back, knowingly
    _refused(sid, f"submission {sid} is changes requested; only an approved package is sent")


def test_mail_server_down_at_first(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    sid = _approved()
    monkeypatch.setenv("CONTESTFLOW_SMTP_URL", f"smtp://127.0.0.1:{dead_port()}")
    get_settings.cache_clear()
    sent = send_and_deliver(sid, to=ORGANISER)
    assert sent.state == "sent"
    assert sent.delivery is not None and sent.delivery.state == "queued"
    assert sent.delivery.last_error  # connection refused, kept for the coordinator
    with session_scope() as session:
        queued = submission_status(session, sid).sent
    assert queued is not None and queued.mail is not None and queued.mail.state == "queued"

    handler = Collector()
    with serving(handler, monkeypatch):
        # The retry is due a minute after the failed attempt.
        assert deliver_due(now=utcnow() + dt.timedelta(minutes=2)) == 1
    assert len(handler.messages) == 1
    assert parse(handler.messages[0][1])["Subject"].startswith(MARKER)
    with session_scope() as session:
        delivered = submission_status(session, sid).sent
    assert delivered is not None and delivered.mail is not None
    assert delivered.mail.state == "delivered" and delivered.mail.delivered_at


def test_the_command_line(database_url: str, smtp: Collector) -> None:
    sid = _approved()
    assert_one_line_error(run("submission", "send", str(sid), "--to", "nobody", ok=False),
                          "cannot send to “nobody”: not an e-mail address")
    sent = run_json("submission", "send", str(sid), "--to", ORGANISER)
    assert sent["state"] == "sent" and sent["to"] == ORGANISER
    assert sent["subject"].startswith(MARKER)
    assert sent["delivery"]["state"] == "delivered"
    assert {a["name"] for a in sent["attachments"]} >= set(_packed_files(sid))
    assert_one_line_error(run("submission", "send", str(sid), "--to", ORGANISER, ok=False),
                          f"submission {sid} is sent; only an approved package is sent")
    status = run_json("submission", "status", str(sid))
    assert status["sent"]["how"] == f"e-mail to {ORGANISER}"
    assert status["sent"]["mail"]["state"] == "delivered"
    assert "delivered to smi@mag.example" in run("submission", "status", str(sid)).stdout
    assert len(smtp.messages) == 1
