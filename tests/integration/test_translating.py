"""The translating step: what people and earlier runs translated is never thrown away."""

from __future__ import annotations

from pathlib import Path

from docx import Document as open_docx
from sqlalchemy import select

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import Segment
from contestflow.materials import record_material
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from contestflow.submission.translating import (
    apply_submission_review,
    review_dir_for,
    review_path,
    translate_job,
)
from contestflow.translation import import_memory, make_provider
from contestflow.translation.state import document_for, pending_segments
from demo.samples import build_samples, build_translation_memory, reviewer_translations
from tests.fakes.mt_server import FakeMTServer


def _project_job(tmp_path: Path):  # type: ignore[no-untyped-def]
    samples = build_samples(tmp_path / "samples")
    tmx = tmp_path / "memory.tmx"
    build_translation_memory(tmx)
    with session_scope() as session:
        import_memory(session, tmx.read_bytes(), "ru", "en")
        submission = open_submission(session, "uclg-culture21", "2028")
        request = next(r for r in submission.requests if r.item_id == "project")
        stored = get_store().put_file(samples["project"])
        record_material(session, request.id, stored, filename="project.docx",
                        media_type="application/octet-stream", actor="culture")
        (job,) = steps.translation_jobs(session, steps.load(session, submission.id))
    return job


def _segments(job) -> dict[str, Segment]:  # type: ignore[no-untyped-def]
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        rows = session.scalars(select(Segment).where(Segment.document_id == document.id))
        return {row.source_text: row for row in rows}


def test_a_partial_review_survives_the_next_runs(tmp_path: Path) -> None:
    job = _project_job(tmp_path)
    review_dir = review_dir_for(get_settings(), job)
    assert not translate_job(get_store(), job, None, review_dir)  # two new sentences wait
    path = review_path(review_dir, job)
    (first, second) = [s for s in reviewer_translations() if s in _segments(job)]

    document = open_docx(str(path))
    for row in document.tables[0].rows[1:]:
        if row.cells[1].text.strip() == first:
            row.cells[2].text = reviewer_translations()[first]
            row.cells[6].text = "reviewed"
    document.save(str(path))
    with session_scope() as session:
        assert apply_submission_review(session, get_store(), job.submission_id,
                                       path.read_bytes(), reviewer="r") == 1

    # Memory only: nothing new can be filled, and nothing the reviewer did is undone.
    assert not translate_job(get_store(), job, None, review_dir)
    assert _segments(job)[first].target_text == reviewer_translations()[first]

    # MT comes back: it fills the one empty segment and leaves the reviewer's alone.
    with FakeMTServer() as server:
        assert translate_job(get_store(), job, make_provider("libre", url=server.url),
                             review_dir)
        assert any(second in text for text in server.texts)
    segments = _segments(job)
    assert segments[first].target_text == reviewer_translations()[first]
    assert segments[first].origin == "human"
    assert segments[second].origin == "mt" and segments[second].target_text
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert pending_segments(session, document.id) == 0
        assert get_store().exists(document.output_sha256)
