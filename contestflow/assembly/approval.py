"""Whether a built package may be approved, and later sent: one check for both decisions."""

from __future__ import annotations

import hashlib

from sqlalchemy.orm import Session

from contestflow.assembly.package import read_manifest, stale_items
from contestflow.db.models import Submission
from contestflow.store import BlobNotFound, FileStore


def approved_package(store: FileStore, submission: Submission) -> bytes | None:
    """The package's bytes from the store, or None when none was built or the store lost it."""
    if not submission.package_sha256:
        return None
    try:
        package = store.read_bytes(submission.package_sha256)
    except BlobNotFound:
        return None
    # Damaged on disk is as good as lost: a reviewer approved other bytes.
    return package if hashlib.sha256(package).hexdigest() == submission.package_sha256 else None


def approval_problems(session: Session, store: FileStore, submission: Submission) -> list[str]:
    """Why the package may not be approved: its blocking findings, or that it is stale."""
    package = approved_package(store, submission)
    if package is None:
        return ["no package has been built" if not submission.package_sha256 else
                "the file store has lost the package: request changes to rebuild it"]
    manifest = read_manifest(package)
    problems = [
        f"{f['item_id']}: {f['message']}"
        for f in manifest["findings"]
        if f["severity"] == "blocking"
    ]
    stale = stale_items(session, store, submission, manifest)
    if stale:
        problems.append(
            f"changed since the package was built: {', '.join(stale)} "
            "(request changes to rebuild it)"
        )
    return problems
