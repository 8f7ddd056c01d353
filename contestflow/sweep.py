"""Nothing left behind: half-received uploads and files in the store that no row refers to.

A ``.part`` file is locked (``flock``) by the process receiving it for as long as it is in
use, so a sweep can tell an upload in flight from one a killed process left, whatever their
ages: whatever it can lock, nobody is writing. A blob in the store is removed only when no
row names it and it is older than ``BLOB_GRACE_SECONDS`` (a blob is written before the row
that names it: a younger one may be an upload about to be recorded).
"""

from __future__ import annotations

import fcntl
import logging
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.db.base import Base
from contestflow.db.models import AuditEvent, OutboxMessage
from contestflow.store import LocalFileStore

logger = logging.getLogger("contestflow.sweep")

BLOB_GRACE_SECONDS = 24 * 3600
STORE_TMP_GRACE_SECONDS = 3600  # the store's own temp files live seconds while being written
DIGEST = re.compile(r"\b[0-9a-f]{64}\b")


def hold_upload(path: Path) -> int:
    """Lock ``path`` (a ``.part`` file being received) against the sweep; close the returned
    descriptor when the file is done with (``release_upload``)."""
    fd = os.open(path, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    return fd


def release_upload(fd: int) -> None:
    os.close(fd)  # closing drops the lock


def sweep_partial_uploads(directory: Path) -> int:
    """Remove every ``upload-*.part`` that no living process holds; returns how many."""
    removed = 0
    for leftover in directory.glob("upload-*.part"):
        try:
            fd = os.open(leftover, os.O_RDONLY)
        except FileNotFoundError:
            continue  # finished or removed meanwhile
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue  # in flight in another process
        try:
            leftover.unlink(missing_ok=True)
            removed += 1
        finally:
            os.close(fd)
    return removed


def referenced_blobs(session: Session) -> set[str]:
    """Every digest a row names: each ``…sha256`` column, the outbox's attachments and the
    audit log's details (a sending's proof file)."""
    found: set[str] = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if column.name.endswith("sha256"):
                found.update(v for v in session.scalars(select(column)) if v)
    for model in (OutboxMessage, AuditEvent):
        json_column = model.attachments if model is OutboxMessage else model.details
        for value in session.scalars(select(json_column)):
            found.update(DIGEST.findall(str(value)))
    return found


@dataclass(frozen=True)
class BlobSweep:
    removed: int
    bytes: int


def sweep_unreferenced_blobs(session: Session, store: LocalFileStore, *,
                             grace_seconds: float = BLOB_GRACE_SECONDS) -> BlobSweep:
    """Remove the store's files that no row names and that are older than the grace."""
    keep = referenced_blobs(session)
    cutoff = time.time() - grace_seconds
    removed = size = 0
    for shard in store.root.glob("[0-9a-f][0-9a-f]/[0-9a-f][0-9a-f]/*"):
        digest = shard.parent.parent.name + shard.parent.name + shard.name
        if len(digest) != 64 or digest in keep:
            continue
        try:
            stat = shard.stat()
            if stat.st_mtime >= cutoff:
                continue
            shard.unlink()
        except FileNotFoundError:
            continue
        removed, size = removed + 1, size + stat.st_size
    cutoff = time.time() - STORE_TMP_GRACE_SECONDS
    for leftover in (store.root / "tmp").glob("upload-*"):
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink()
        except FileNotFoundError:
            pass
    if removed:
        logger.warning("removed %s unreferenced file(s) from the store, %s bytes", removed, size)
    return BlobSweep(removed, size)
