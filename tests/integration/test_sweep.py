"""No litter: half-received uploads that nobody holds, and store files no row names."""

from __future__ import annotations

import os
import time
from pathlib import Path

from contestflow.audit import record_event
from contestflow.db import session_scope
from contestflow.materials import record_material
from contestflow.store import get_store
from contestflow.submission.opening import open_submission
from contestflow.sweep import (
    BLOB_GRACE_SECONDS,
    hold_upload,
    release_upload,
    sweep_partial_uploads,
    sweep_unreferenced_blobs,
)


def test_a_part_file_in_flight_is_kept_and_a_left_one_removed_whatever_its_age(
        tmp_path: Path) -> None:
    in_flight, left = tmp_path / "upload-a.part", tmp_path / "upload-b.part"
    in_flight.write_bytes(b"still arriving")
    left.write_bytes(b"its process was killed a second ago")
    held = hold_upload(in_flight)
    try:
        assert sweep_partial_uploads(tmp_path) == 1
        assert in_flight.exists() and not left.exists()
    finally:
        release_upload(held)
    assert sweep_partial_uploads(tmp_path) == 1 and not in_flight.exists()


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_only_old_blobs_that_no_row_names_are_swept(database_url: str) -> None:
    store = get_store()
    with session_scope() as session:
        submission = open_submission(session, "iac-city-to-live", "2027")
        material = store.put_bytes(b"a department's report")
        record_material(session, submission.requests[0].id, material, filename="r.docx",
                        media_type="application/octet-stream", actor="dept")
        proof = store.put_bytes(b"a screenshot of the organiser's form")
        record_event(session, actor="c", action="submission.sent", subject_type="submission",
                     subject_id=submission.id, proof_sha256=proof.sha256)
    orphan = store.put_bytes(b"a complete blob whose row never committed")
    young = store.put_bytes(b"a blob whose row is about to be written")
    for blob in (material, proof, orphan):
        _age(store.path(blob.sha256), BLOB_GRACE_SECONDS + 60)
    with session_scope(read_only=True) as session:
        swept = sweep_unreferenced_blobs(session, store)
    assert (swept.removed, swept.bytes) == (1, orphan.size)
    assert not store.exists(orphan.sha256)
    assert all(store.exists(b.sha256) for b in (material, proof, young))
