"""Whether a built package may be approved, and later sent: one check for both decisions."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from contestflow.assembly.package import (
    build_package,
    changed_items,
    export_record,
    read_record,
)
from contestflow.catalog import definition_of
from contestflow.config import get_settings
from contestflow.db.models import Submission
from contestflow.i18n import N_, Joined, Message
from contestflow.store import BlobNotFound, FileStore
from schemas.contest import ContestDefinition, Names


def _stored(store: FileStore, digest: str | None) -> bytes | None:
    """A blob whose bytes still hash to its name, else None (never built, lost or damaged)."""
    if not digest:
        return None
    try:
        data = store.read_bytes(digest)
    except BlobNotFound:
        return None
    # Damaged on disk is as good as lost: a reviewer approved other bytes.
    return data if hashlib.sha256(data).hexdigest() == digest else None


def approved_package(store: FileStore, submission: Submission) -> bytes | None:
    """The organiser's zip from the store, or None when none was built or the store lost it."""
    return _stored(store, submission.package_sha256)


def package_record(store: FileStore, submission: Submission) -> dict | None:
    """Our own record of the current package (sources, findings, checklist)."""
    data = _stored(store, submission.package_record_sha256)
    return read_record(data) if data is not None else None


def approval_problems(session: Session, store: FileStore, submission: Submission) -> list[Message]:
    """Why the package may not be approved (or sent): what the contest's rules block now, and
    whether building it now would give other bytes than the package the reviewer has.

    The rules are run afresh rather than read from the record, so a request sent back to its
    department, a corrected translation or a confirmation since assembly all count.
    """
    record = package_record(store, submission)
    if approved_package(store, submission) is None or record is None:
        return [Message(N_("no package has been built")) if not submission.package_sha256 else
                Message(N_("the file store has lost the package: request changes to rebuild it"))]
    definition, _ = definition_of(session, submission)
    fresh = build_package(session, store, submission)
    problems = [Message(N_("%(item)s: %(problem)s"), item=_item_title(definition, f.item_id),
                        problem=f.message) for f in fresh.blocking]
    if fresh.sha256 != submission.package_sha256:
        changed = changed_items(record, read_record(fresh.record))
        problems.append(Message(
            N_("changed since the package was built: %(items)s (request changes to rebuild it)"),
            items=Joined([_item_title(definition, i) for i in changed] or [WHOLE], ", ")))
    return problems


# What a finding about no single item is about.
WHOLE = Names(ru="пакет в целом", en="the package as a whole")


def _item_title(definition: ContestDefinition, item_id: str) -> Names:
    if not item_id:
        return WHOLE
    try:
        return Names(ru=f"«{definition.item(item_id).title.ru}»",
                     en=f"“{definition.item(item_id).title.en}”")
    except KeyError:
        return Names(ru=item_id, en=item_id)


def refresh_record(session: Session, store: FileStore, submission: Submission) -> bool:
    """Store a fresh record (findings, checklist) for the current package when its files are
    unchanged, e.g. after the coordinator confirmed an eligibility statement. False when the
    package itself would now differ: then it must be rebuilt, not re-recorded."""
    if approved_package(store, submission) is None:
        return False
    fresh = build_package(session, store, submission)
    if fresh.sha256 != submission.package_sha256:
        return False
    submission.package_record_sha256 = store.put_bytes(fresh.record).sha256
    export_record(get_settings().submission_dir(submission.id), fresh.name, fresh.record)
    return True
