"""The bilingual review document survives Word-style editing and round-trips into memory."""

from __future__ import annotations

import io
import re

import docx
import pytest
from fakes.mt_server import FakeMTServer
from lxml import etree

from contestflow.db.session import session_scope
from contestflow.translation.docx.document import DocxDocument
from contestflow.translation.engine import TranslationOutcome, translate_document
from contestflow.translation.errors import ReviewError
from contestflow.translation.glossary import seed_glossary
from contestflow.translation.memory import load_memory
from contestflow.translation.mt import make_provider
from contestflow.translation.records import TranslateOptions
from contestflow.translation.review import apply_review, export_xliff, write_review


@pytest.fixture
def translated(sqlite_url: str, fake_mt: FakeMTServer, full_docx: bytes) -> TranslationOutcome:
    with session_scope(sqlite_url) as session:
        seed_glossary(session)
        return translate_document(session, full_docx, source_lang="ru", target_lang="en",
                                  provider=make_provider("libre", url=fake_mt.url),
                                  options=TranslateOptions(persist=True))


def edit(review: bytes, change) -> bytes:  # type: ignore[no-untyped-def]
    document = docx.Document(io.BytesIO(review))
    change(document.tables[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def row_of(table, row_id: str):  # type: ignore[no-untyped-def]
    return next(r for r in table.rows if r.cells[0].text == row_id)


def test_review_document_layout(translated: TranslationOutcome) -> None:
    table = docx.Document(io.BytesIO(write_review(translated, lang="en"))).tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "ID", "Source (ru)", "Target (en)", "Origin", "Checks", "Comment", "Status"]
    assert len(table.rows) == 28
    link = row_of(table, "body:4.1")
    assert link.cells[1].text == "Подробности на {1}сайте администрации{/1} и в отчёте."
    assert link.cells[3].text == "machine translation: libre"
    assert row_of(table, "header1:1.1").cells[3].text == "glossary"


def test_the_review_document_speaks_russian_by_default(translated: TranslationOutcome) -> None:
    document = docx.Document(io.BytesIO(write_review(translated, title="проект.docx")))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "Код", "Оригинал (ru)", "Перевод (en)", "Откуда", "Проверки", "Комментарий", "Статус"]
    assert document.paragraphs[0].text == "Проверка перевода: проект.docx (ru → en)"
    assert document.paragraphs[1].text.startswith("Меняйте только столбцы «Перевод»")
    assert row_of(table, "body:4.1").cells[3].text == "машинный перевод: libre"
    assert row_of(table, "header1:1.1").cells[3].text == "глоссарий"
    states = {row.cells[6].text for row in table.rows[1:]}
    assert states and states <= {"черновик", "переведено", "проверено", "утверждено"}
    english = re.compile(r"\b(approved|draft|translated|memory|mt|untranslated|tags)\b")
    for row in table.rows[1:]:
        for index in (3, 4, 6):
            assert not english.search(row.cells[index].text), row.cells[index].text


def test_a_russian_review_is_read_back(sqlite_url: str, full_docx: bytes,
                                       translated: TranslationOutcome) -> None:
    def review(table) -> None:  # type: ignore[no-untyped-def]
        row = row_of(table, "body:4.1")
        row.cells[2].text = "See the {1}administration website{/1} and the report."
        row.cells[6].text = "Утверждено"

    reviewed = edit(write_review(translated), review)
    with session_scope(sqlite_url) as session:
        result = apply_review(session, source=full_docx, review=reviewed, reviewer="anna")
    edited = next(r for r in result.segments if r.id == "body:4.1")
    assert (edited.origin, edited.review_state) == ("human", "approved")


def test_reviewed_file_rebuilds_output_and_feeds_memory(sqlite_url: str, full_docx: bytes,
                                                        translated: TranslationOutcome) -> None:
    def review(table) -> None:  # type: ignore[no-untyped-def]
        row = row_of(table, "body:4.1")
        row.cells[2].text = "See the {1}administration website{/1} and the report."
        row.cells[6].text = "approved"
        row_of(table, "body:3.1").cells[6].text = "Approved"
        row_of(table, "body:8.1").cells[5].text = "heading"
        body = table._tbl
        rows = body.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tr")
        body.remove(rows[-1])  # a deleted row keeps its stored translation
        rows[1].addprevious(rows[5])  # sorted rows are matched by ID, not position

    reviewed = edit(write_review(translated), review)
    with session_scope(sqlite_url) as session:
        result = apply_review(session, source=full_docx, review=reviewed, reviewer="anna")
    assert result.stored_units == 2 and result.document_id == translated.document_id
    out = [s.text for s in DocxDocument.load(result.output, "en").segments]
    assert "See the administration website and the report." in out
    edited = next(r for r in result.segments if r.id == "body:4.1")
    assert (edited.origin, edited.review_state) == ("human", "approved")
    with session_scope(sqlite_url) as session:
        memory = load_memory(session, "ru", "en")
        match = memory.lookup("Подробности на {1}сайте администрации{/1} и в отчёте.")
        assert match.target == "See the {1}administration website{/1} and the report."
        assert len(memory) == 2


def test_changed_source_column_is_refused(sqlite_url: str, full_docx: bytes,
                                          translated: TranslationOutcome) -> None:
    reviewed = edit(write_review(translated),
                    lambda t: setattr(row_of(t, "body:3.1").cells[1], "text", "Другое."))
    with session_scope(sqlite_url) as session, pytest.raises(ReviewError, match=r"body:3\.1"):
        apply_review(session, source=full_docx, review=reviewed)


def test_broken_markers_are_refused(sqlite_url: str, full_docx: bytes,
                                    translated: TranslationOutcome) -> None:
    reviewed = edit(write_review(translated),
                    lambda t: setattr(row_of(t, "body:4.1").cells[2], "text", "See {1}site."))
    with session_scope(sqlite_url) as session, pytest.raises(ReviewError, match=r"body:4\.1"):
        apply_review(session, source=full_docx, review=reviewed)


def test_review_of_another_document_is_refused(sqlite_url: str,
                                               translated: TranslationOutcome) -> None:
    from samples import build_simple_document

    with session_scope(sqlite_url) as session, pytest.raises(ReviewError, match="different"):
        apply_review(session, source=build_simple_document(["Другое."]),
                     review=write_review(translated))


def test_unknown_status_is_refused(sqlite_url: str, full_docx: bytes,
                                   translated: TranslationOutcome) -> None:
    reviewed = edit(write_review(translated),
                    lambda t: setattr(row_of(t, "body:3.1").cells[6], "text", "maybe"))
    with session_scope(sqlite_url) as session, pytest.raises(ReviewError, match="maybe"):
        apply_review(session, source=full_docx, review=reviewed)


def test_missing_rows_without_stored_translation_are_refused(
        workspace, full_docx: bytes, translated: TranslationOutcome) -> None:  # type: ignore
    reviewed = edit(write_review(translated), lambda t: t._tbl.remove(t.rows[-1]._tr))
    other_db = f"sqlite:///{workspace / 'other.db'}"
    with session_scope(other_db) as session, pytest.raises(ReviewError, match="missing"):
        apply_review(session, source=full_docx, review=reviewed)


def test_xliff_round_trip(sqlite_url: str, full_docx: bytes,
                          translated: TranslationOutcome) -> None:
    namespace = "urn:oasis:names:tc:xliff:document:2.0"
    root = etree.fromstring(export_xliff(translated, original="bid.docx"))
    for segment in root.iter(f"{{{namespace}}}segment"):
        segment.set("state", "final")
    with session_scope(sqlite_url) as session:
        result = apply_review(session, source=full_docx, review=etree.tostring(root))
    assert result.stored_units == 27
    assert result.stats["states"] == {"approved": 27}


def test_review_page_edits_in_the_database_are_rebuilt(
        sqlite_url: str, full_docx: bytes, translated: TranslationOutcome) -> None:
    from sqlalchemy import select

    from contestflow.db.models import Segment
    from contestflow.translation.review import rebuild_document

    with session_scope(sqlite_url) as session:
        rows = session.execute(select(Segment).where(
            Segment.document_id == translated.document_id).order_by(Segment.position)).scalars()
        first = next(iter(rows))
        first.target_text, first.review_state, first.origin = "Bid of Stavropol.", \
            "approved", "human"
    with session_scope(sqlite_url) as session:
        result = rebuild_document(session, document_id=translated.document_id,
                                  source=full_docx, reviewer="web")
    assert result.stored_units == 1
    assert DocxDocument.load(result.output, "en").segments[0].text == "Bid of Stavropol."
    with session_scope(sqlite_url) as session, pytest.raises(ReviewError, match="another"):
        rebuild_document(session, document_id=translated.document_id, source=b"PK")
