"""Saving a reviewer's edits on both databases: all or nothing, and never over someone else's."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from contestflow.db import session_scope
from contestflow.db.models import Segment
from contestflow.errors import SubmissionError
from contestflow.materials import record_material
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from contestflow.submission.translating import TranslationJob, translate_job
from contestflow.submission.translations import (
    StaleTranslation,
    save_segment_edits,
    submission_translations,
)
from contestflow.translation.review import SegmentEdit
from contestflow.translation.state import document_for
from demo.samples import build_samples


def _untranslated(tmp_path: Path, database_url: str) -> TranslationJob:
    samples = build_samples(tmp_path / "samples")
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        request = next(r for r in submission.requests if r.item_id == "title")
        record_material(session, request.id, get_store().put_file(samples["title"]),
                        filename="title.docx", media_type="application/octet-stream",
                        actor="culture")
        (job,) = steps.translation_jobs(session, steps.load(session, submission.id))
    assert not translate_job(get_store(), job, None, tmp_path / "review", database_url)
    return job


def _state(job: TranslationJob) -> tuple[int, str, list[tuple[str, str, str]]]:
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None and document.output_sha256
        rows = session.scalars(select(Segment).where(Segment.document_id == document.id)
                               .order_by(Segment.position))
        return document.id, document.output_sha256, [
            (r.target_text, r.origin, r.review_state) for r in rows]


def test_edits_are_saved_against_the_version_seen(tmp_path: Path, database_url: str) -> None:
    job = _untranslated(tmp_path, database_url)
    document_id, version, rows = _state(job)
    assert all(origin == "source" for _, origin, _ in rows)
    edits = {0: SegmentEdit("Culture Without Borders", "approved")}
    with session_scope() as session:
        summary = save_segment_edits(session, get_store(), document_id, edits,
                                     seen_version=version, reviewer="anna")
    assert summary.untranslated == len(rows) - 1 and summary.approved == 1
    _, newer, saved = _state(job)
    assert saved[0] == ("Culture Without Borders", "human", "approved") and newer != version

    with pytest.raises(StaleTranslation), session_scope() as session:
        save_segment_edits(session, get_store(), document_id, {0: SegmentEdit("Overwritten")},
                           seen_version=version, reviewer="boris")
    assert _state(job)[2] == saved


def test_a_refused_save_changes_nothing(tmp_path: Path, database_url: str) -> None:
    job = _untranslated(tmp_path, database_url)
    document_id, version, rows = _state(job)
    with pytest.raises(SubmissionError, match="does not exist"), session_scope() as session:
        save_segment_edits(session, get_store(), 424242, {}, seen_version=version,
                           reviewer="anna")
    with session_scope() as session:
        (summary,) = submission_translations(session, job.submission_id)
    assert summary.document_id == document_id and summary.untranslated == len(rows)
    assert _state(job) == (document_id, version, rows)
