"""Sending an approved package to the organiser by e-mail, through the outbox.

For the contests that take entries by e-mail (the IAC contests, the ERO rating and drawing
contest, the UN-Habitat Scroll of Honour). Everything is checked before anything changes: the
state, the contest's way of delivery, the addresses, that the package is the one approved and
still matches what departments and reviewers have since changed, that its files are in the
store, and their total size. Then, in the caller's one transaction, the submission goes
approved → sent (compare-and-set), the mail is queued with a key derived from the package, and
the sending is audited. The mail leaves after the commit (``send_and_deliver``): a mail server
that is down only delays it, and the outbox retries.

The outbox holds one recipient per message, so each ``--cc`` address gets its own copy (its own
row and key) rather than a Cc header.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.assembly.approval import approval_problems, approved_package, package_record
from contestflow.assembly.package import organiser_files, package_stem
from contestflow.catalog import definition_of
from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import OutboxMessage, Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_, Joined
from contestflow.lifecycle import get_submission
from contestflow.notify import deliver_due, enqueue_message, is_address
from contestflow.sending.letter import Attachment, Letter, compose, copy_of, letter_language
from contestflow.sending.record import (
    MailDelivery,
    mail_delivery,
    record_sent,
    refuse_unless_approved,
)
from contestflow.states import FINISHED
from contestflow.store import BlobNotFound, FileStore, get_store
from contestflow.wording import human_size
from schemas.contest import ContestDefinition, Names, Package

MB = 1024 * 1024
# The office and the CLI both offer "record the sending" beside the send action.
ELSEWHERE = {
    "online_form": N_("%(contest)s takes entries through its online form, not by e-mail: upload "
                      "the package there, then record the sending"),
    "portal": N_("%(contest)s takes entries on its portal, not by e-mail: upload the package "
                 "there, then record the sending"),
    "post": N_("%(contest)s takes entries by post, not by e-mail: post the printed package, "
               "then record the sending"),
}


@dataclass(frozen=True)
class SentFile:
    name: str
    size: int
    sha256: str


@dataclass
class SentPackage:
    submission_id: int
    state: str
    to: str
    cc: list[str]
    subject: str
    package_sha256: str
    message_id: int  # the outbox row of the organiser's mail
    copy_message_ids: list[int]
    attachments: list[SentFile] = field(default_factory=list)
    delivery: MailDelivery | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def send_package(
    session: Session,
    submission_id: int,
    *,
    to: str = "",
    cc: Sequence[str] = (),
    actor: str = "coordinator",
    store: FileStore | None = None,
) -> SentPackage:
    """Mark an approved package sent and queue its e-mail, in the caller's transaction.

    ``to`` defaults to the address the edition's call gives (its ``package.email_to``).

    Raises ``SubmissionError`` before changing anything when the submission is not approved,
    its contest does not take e-mail, an address is malformed, no mail server is set, the
    package is not current or its files are missing, or the attachments are over
    CONTESTFLOW_MAIL_MAX_MB.
    """
    submission = get_submission(session, submission_id)
    definition, edition = definition_of(session, submission)
    package = definition.package_for(edition.key)
    _refuse_unless_sendable(definition, package, submission)
    to, copies = _addresses(to or package.email_to or "", cc)
    _refuse_without_mail_server()
    language = letter_language(definition)
    attachments = _current_package(session, store or get_store(), submission, definition, language)
    _refuse_if_too_large(attachments)
    letter = compose(session, definition, edition.key, submission.nomination, attachments, language)
    package_sha256 = submission.package_sha256 or ""
    queued: dict[str, Any] = {}

    def queue_mails() -> dict[str, Any]:
        queued["outbox_message_id"] = _queue(
            session, to, letter, dedupe_key(submission_id, package_sha256), attachments)
        queued["copy_message_ids"] = [
            _queue(session, address, copy_of(letter, to, language),
                   dedupe_key(submission_id, package_sha256, copy_to=address), attachments)
            for address in copies
        ]
        return {"cc": copies, **queued}

    record_sent(session, submission, actor=actor, how=f"e-mail to {to}", then=queue_mails)
    message_id, copy_ids = queued["outbox_message_id"], queued["copy_message_ids"]
    return SentPackage(
        submission_id=submission_id, state=submission.state, to=to, cc=copies,
        subject=letter.subject, package_sha256=package_sha256, message_id=message_id,
        copy_message_ids=copy_ids,
        attachments=[SentFile(a.filename, a.size, a.sha256) for a in attachments],
    )


def send_and_deliver(
    submission_id: int, *, to: str = "", cc: Sequence[str] = (), actor: str = "coordinator"
) -> SentPackage:
    """What `contestflow submission send` does: send in one transaction, commit, then deliver
    the outbox with no transaction open (the SMTP conversation must not hold a lock), and
    report where the organiser's mail stands."""
    with session_scope() as session:
        sent = send_package(session, submission_id, to=to, cc=cc, actor=actor)
    deliver_due()
    with session_scope() as session:
        sent.delivery = mail_delivery(session, sent.message_id)
    return sent


def _refuse_unless_sendable(definition: ContestDefinition, package: Package,
                            submission: Submission) -> None:
    if submission.state not in FINISHED and package.delivery != "email":
        raise SubmissionError(ELSEWHERE[package.delivery], contest=definition.names)
    refuse_unless_approved(submission)


def _refuse_without_mail_server() -> None:
    # Without CONTESTFLOW_SMTP_URL the outbox only writes .eml files into the workspace: the
    # submission would be "sent" while the organiser receives nothing.
    if not get_settings().smtp_url:
        raise SubmissionError(N_(
            "no mail server is set (CONTESTFLOW_SMTP_URL), so the organiser would receive "
            "nothing: set one, or e-mail the package yourself and then record the sending"))


def _addresses(to: str, cc: Sequence[str]) -> tuple[str, list[str]]:
    """The organiser's address and the distinct copy addresses, or a refusal naming the bad one."""
    to = to.strip()
    if not to:
        raise SubmissionError(N_("the contest names no address for this edition: give the "
                                 "organiser's address with --to"))
    copies = list(dict.fromkeys(a.strip() for a in cc if a.strip() and a.strip() != to))
    for address in (to, *copies):
        if not is_address(address):
            # Not ending in the quote: the CLI strips quotes around a message.
            raise SubmissionError(N_("cannot send to “%(address)s”: not an e-mail address"),
                                  address=address)
    return to, copies


def _current_package(
    session: Session,
    store: FileStore,
    submission: Submission,
    definition: ContestDefinition,
    language: str,
) -> list[Attachment]:
    """The approved package's files, refused unless it still matches what it was built from."""
    attachments = package_attachments(store, submission, definition, language)
    try:
        problems = approval_problems(session, store, submission)  # the approval's own check
    except BlobNotFound as error:
        record = package_record(store, submission) or {"items": []}
        lost = [item["material"]["filename"] for item in record["items"]
                if item.get("material", {}).get("sha256") == error.args[0]]
        raise SubmissionError(N_(
            "cannot send: the file store has lost %(files)s; restore it from backup, or upload "
            "it again and rebuild"), files=", ".join(lost) or error.args[0]) from None
    if problems:
        raise SubmissionError(N_("cannot send: %(problems)s"), problems=Joined(problems))
    return attachments


def package_attachments(
    store: FileStore, submission: Submission, definition: ContestDefinition, language: str
) -> list[Attachment]:
    """The organiser's zip, unpacked: every file with what it is (in the letter's language),
    then the manifest of those files, under the name of its copy beside the package."""
    packed = approved_package(store, submission)
    record = package_record(store, submission)
    if packed is None or record is None:
        raise SubmissionError(N_("cannot send: no package has been built") if not
                              submission.package_sha256 else N_("cannot send: the file store has "
                              "lost the package; request changes to rebuild it"))
    manifest, files = organiser_files(packed)
    titles = {file["name"]: item["title_ru" if language == "ru" else "title"]
              for item in record["items"] for file in item["files"]}
    attachments = [Attachment(name, data, titles.get(name, name)) for name, data in files]
    manifest_title = "опись пакета" if language == "ru" else "list of the package's files"
    stem = package_stem(definition, record["edition"], submission.id)
    attachments.append(Attachment(f"{stem}.manifest.json", manifest, manifest_title))
    return attachments


def _refuse_if_too_large(attachments: list[Attachment]) -> None:
    cap_mb = get_settings().mail_max_mb
    total = sum(encoded_size(a.size) for a in attachments)
    if total > cap_mb * MB:
        raise SubmissionError(N_(
            "the attachments come to %(size)s once encoded for e-mail, over the %(cap)s MB limit "
            "for one e-mail (CONTESTFLOW_MAIL_MAX_MB): send the large files by link and then "
            "record the sending"), cap=f"{cap_mb:g}",
            size=Names(ru=human_size(total, "ru"), en=human_size(total, "en")))


def encoded_size(size: int) -> int:
    """What a file weighs in a mail: base64 (4 bytes per 3) in lines of 76 plus CRLF.

    Mail servers limit the message as sent, so 20 MB of files is about 27 MB to them.
    """
    base64 = -(-size // 3) * 4
    return base64 + -(-base64 // 76) * 2


def dedupe_key(submission_id: int, package_sha256: str, *, copy_to: str | None = None) -> str:
    """One mail per package and recipient, however often `send` runs."""
    key = f"package-email:{submission_id}:{package_sha256}"
    if copy_to:
        key += ":cc:" + hashlib.sha256(copy_to.lower().encode()).hexdigest()[:16]
    return key


def _queue(
    session: Session, to: str, letter: Letter, key: str, attachments: list[Attachment]
) -> int:
    """Queue one mail and return its outbox id (the existing one if the key was queued)."""
    enqueue_message(
        session, to=to, subject=letter.subject, body=letter.body, dedupe_key=key,
        attachments=[(a.filename, a.data, a.media_type) for a in attachments],
    )
    message_id = session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key))
    assert message_id is not None  # just queued, or queued before under the same key
    return message_id
