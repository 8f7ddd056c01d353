"""A confirmed draft's approved translation comes back through the translation memory: the
2028 entry's city description, confirmed unchanged, is translated as the reviewer approved it
for 2026, with no MT provider at all."""

from __future__ import annotations

from pathlib import Path

from docx import Document as open_docx
from sqlalchemy import select

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import MaterialRequest, Segment
from contestflow.intake.drafts import confirm_draft
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from contestflow.submission.translating import (
    apply_submission_review,
    review_dir_for,
    review_path,
    translate_job,
)
from contestflow.translation.state import document_for
from tests.intake.test_drafts import earlier_entry

TEXT = "Ставрополь — город на Кавказе."
APPROVED = "Stavropol is a city in the Caucasus."


def _job(session, submission_id: int, item: str):  # type: ignore[no-untyped-def]
    request = session.scalars(select(MaterialRequest).where(
        MaterialRequest.submission_id == submission_id, MaterialRequest.item_id == item)).one()
    material_ids = {m.id for m in request.materials}
    jobs = steps.translation_jobs(session, steps.load(session, submission_id))
    return next(job for job in jobs if job.material_id in material_ids)


def _segments(job) -> list[Segment]:  # type: ignore[no-untyped-def]
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        return list(session.scalars(select(Segment).where(Segment.document_id == document.id)))


def test_a_confirmed_draft_is_translated_from_the_memory(workspace: Path,
                                                         tmp_path: Path) -> None:
    with session_scope() as session:
        last = earlier_entry(session, tmp_path, up_to="collecting", text=TEXT)
        last_id = last.id
        job = _job(session, last_id, "city-description")
    review_dir = review_dir_for(get_settings(), job)
    # Nothing can fill it yet: it waits for the reviewer, whose approved translation the
    # memory keeps.
    assert not translate_job(get_store(), job, None, review_dir)
    path = review_path(review_dir, job)
    document = open_docx(str(path))
    for row in document.tables[0].rows[1:]:
        if row.cells[1].text.strip() == TEXT:
            row.cells[2].text, row.cells[6].text = APPROVED, "approved"
    document.save(str(path))
    with session_scope() as session:
        assert apply_submission_review(session, get_store(), last_id, path.read_bytes(),
                                       reviewer="reviewer") == 0  # none left waiting
        from contestflow.lifecycle import transition
        state = "collecting"
        for new in ("translating", "assembling", "in_review", "approved", "sent"):
            transition(session, last_id, state, new, actor="test")
            state = new
        submission = open_submission(session, "uclg-culture21", "2028")
        request = next(r for r in submission.requests if r.item_id == "city-description")
        confirm_draft(session, request.id, actor="department:economy")
        new_job = _job(session, submission.id, "city-description")
    # No provider at all: only the glossary and the memory can fill it, and they do.
    assert translate_job(get_store(), new_job, None, review_dir_for(get_settings(), new_job))
    (segment,) = [s for s in _segments(new_job) if s.source_text == TEXT]
    assert (segment.target_text, segment.origin) == (APPROVED, "memory")
