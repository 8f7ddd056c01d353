"""Re-running the translating step: only segments still untranslated go to MT again.

Whatever a person or an earlier run translated is kept exactly as stored and its text is never
sent to the MT service a second time (it may be a public one).
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document as new_docx
from fakes.mt_server import FakeMTServer
from sqlalchemy import select

from contestflow.config import get_settings
from contestflow.db import session_scope
from contestflow.db.models import Material, Segment
from contestflow.materials import record_material
from contestflow.store import get_store
from contestflow.submission import steps
from contestflow.submission.opening import open_submission
from contestflow.submission.translating import (
    TranslationJob,
    review_dir_for,
    review_path,
    translate_job,
)
from contestflow.translation import make_provider, rebuild_document
from contestflow.translation.docx.document import DocxDocument
from contestflow.translation.engine import (
    TranslationOutcome,
    stored_translations,
    translate_document,
)
from contestflow.translation.glossary import seed_glossary
from contestflow.translation.mt import MTProvider
from contestflow.translation.state import document_for, pending_segments

HEADING = "Культура города Ставрополя"
REPEATED = "Проект поддержан жителями города."
EDITED = "Город реализует практику для всех."
OTHER = "Делегация посетила форум."
HUMAN = "The city runs this practice for everyone."
COMMENT = "checked against the report"


def _source(tmp_path: Path) -> Path:
    document = new_docx()
    document.add_heading(HEADING, level=1)
    for text in (REPEATED, EDITED, OTHER, REPEATED):
        document.add_paragraph(text)
    path = tmp_path / "project.docx"
    document.save(str(path))
    return path


def _job(tmp_path: Path) -> TranslationJob:
    with session_scope() as session:
        submission = open_submission(session, "uclg-culture21", "2028")
        request = next(r for r in submission.requests if r.item_id == "project")
        stored = get_store().put_file(_source(tmp_path))
        record_material(session, request.id, stored, filename="project.docx",
                        media_type="application/octet-stream", actor="culture")
        (job,) = steps.translation_jobs(session, steps.load(session, submission.id))
    return job


def _run(job: TranslationJob, server: FakeMTServer) -> bool:
    return translate_job(get_store(), job, make_provider("libre", url=server.url),
                         review_dir_for(get_settings(), job))


def _rows(job: TranslationJob) -> list[tuple[object, ...]]:
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None
        rows = session.scalars(select(Segment).where(Segment.document_id == document.id)
                               .order_by(Segment.position))
        return [(r.position, r.source_text, r.target_text, r.origin, r.origin_detail, r.score,
                 r.review_state, r.comment, list(r.qa_flags)) for r in rows]


def _edit_by_hand(job: TranslationJob, source_text: str) -> None:
    """What the review page does: edit a row, then rebuild the translated file from the rows."""
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None
        row = session.scalars(select(Segment).where(Segment.document_id == document.id,
                                                    Segment.source_text == source_text)).one()
        row.target_text, row.origin, row.origin_detail, row.score = HUMAN, "human", "reviewer", None
        row.review_state, row.comment = "reviewed", COMMENT
        session.flush()
        material = session.get(Material, job.material_id)
        assert material is not None
        source = get_store().read_bytes(material.sha256)
        outcome = rebuild_document(session, document_id=document.id, source=source,
                                   reviewer="editor")
        get_store().put_bytes(outcome.output)


def _output(job: TranslationJob) -> tuple[str, bytes]:
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None and document.output_sha256
        return document.output_sha256, get_store().read_bytes(document.output_sha256)


def _text(docx: bytes) -> list[str]:
    return [p.text for p in new_docx(io.BytesIO(docx)).paragraphs]


def test_rerun_sends_only_the_untranslated_segments(database_url: str, tmp_path: Path) -> None:
    job = _job(tmp_path)
    with FakeMTServer(default="500") as down:
        assert not _run(job, down)
        assert down.total_requests > 0  # MT was asked, and failed
    assert {row[3] for row in _rows(job)} == {"source"}
    assert review_path(review_dir_for(get_settings(), job), job).exists()

    _edit_by_hand(job, EDITED)
    with FakeMTServer() as up:
        assert _run(job, up)
        # Each still untranslated text once (the repeated one too); the edited one never.
        assert sorted(up.texts) == sorted([HEADING, REPEATED, OTHER])
        assert up.total_requests == 3

    rows = {row[1]: row for row in _rows(job)}
    assert rows[EDITED][2:8] == (HUMAN, "human", "reviewer", None, "reviewed", COMMENT)
    assert {rows[text][3] for text in (HEADING, REPEATED, OTHER)} == {"mt"}
    with session_scope() as session:
        document = document_for(session, job.material_id, job.target_lang)
        assert document is not None and pending_segments(session, document.id) == 0
    assert HUMAN in _text(_output(job)[1])


def test_rerun_with_everything_translated_sends_nothing(database_url: str,
                                                        tmp_path: Path) -> None:
    job = _job(tmp_path)
    with FakeMTServer() as first:
        assert _run(job, first)
        assert first.total_requests == 4
    _edit_by_hand(job, EDITED)
    before = _rows(job)
    digest, output = _output(job)
    # A settled translation is not run again; a lost output file is the case that reruns it.
    get_store().path(digest).unlink()

    with FakeMTServer() as again:
        assert _run(job, again)
        assert again.total_requests == 0 and again.texts == []
    assert _rows(job) == before
    assert _text(_output(job)[1]) == _text(output)


def _translate(url: str, source: bytes, provider: MTProvider, **options: object
               ) -> TranslationOutcome:
    with session_scope(url) as session:
        seed_glossary(session)
        return translate_document(session, source, source_lang="ru", target_lang="en",
                                  provider=provider, **options)


def test_kept_segments_and_their_text_box_twins_are_not_resolved(
        database_url: str, fake_mt: FakeMTServer, full_docx: bytes) -> None:
    provider = make_provider("libre", url=fake_mt.url)
    first = _translate(database_url, full_docx, provider, persist=True)
    sent = fake_mt.total_requests
    with session_scope(database_url) as session:
        assert first.document_id is not None
        keep = stored_translations(session, first.document_id)
    assert len(keep) == len(first.segments) and sent > 0

    again = _translate(database_url, full_docx, provider, keep=keep)
    assert fake_mt.total_requests == sent and again.stats["mt_requests"] == 0
    assert again.segments == first.segments
    rendered = [[s.text for s in DocxDocument.load(o.output, "en").segments]
                for o in (first, again)]
    assert rendered[0] == rendered[1]  # text boxes' fallback copies included

    # Dropping one kept segment resolves that one alone, from the MT answer already stored.
    position, record = next((p, r) for p, r in keep.items() if r.origin == "mt"
                            and sum(x.source == r.source for x in keep.values()) == 1)
    partial = _translate(database_url, full_docx, provider,
                         keep={p: r for p, r in keep.items() if p != position})
    assert fake_mt.total_requests == sent
    assert partial.stats["mt_from_cache"] == 1 and partial.stats["mt_requests"] == 0
    assert partial.segments[position].target == record.target


def test_a_store_that_cannot_write_records_no_translation(database_url: str,
                                                          tmp_path: Path) -> None:
    """Issue 14: a translation whose output could not be written was still recorded."""
    job = _job(tmp_path)
    store = get_store()
    scratch = store.root / "tmp"
    shutil.rmtree(scratch)
    scratch.write_text("not a directory")  # every write into the store now fails
    with FakeMTServer() as first:
        with pytest.raises(OSError):
            translate_job(store, job, make_provider("libre", url=first.url),
                          review_dir_for(get_settings(), job))
        assert first.total_requests == 4
    with session_scope() as session:
        assert document_for(session, job.material_id, job.target_lang) is None
    scratch.unlink()
    scratch.mkdir()
    with FakeMTServer() as again:  # the answers were kept: nothing is paid for twice
        assert _run(job, again)
        assert again.total_requests == 0
    assert {row[3] for row in _rows(job)} == {"mt"}
