"""The engine end to end: real HTTP to the fake service, a real database, real .docx files."""

from __future__ import annotations

import io
import time

import docx
import pytest
from fakes.mt_server import FakeMTServer
from samples import build_simple_document
from sqlalchemy import select

from contestflow.db.models import Document, Segment
from contestflow.db.session import session_scope
from contestflow.translation.docx.document import DocxDocument
from contestflow.translation.engine import TranslationOutcome, translate_document
from contestflow.translation.errors import MTError
from contestflow.translation.glossary import seed_glossary
from contestflow.translation.memory import MemoryUnit, store_units
from contestflow.translation.mt import MTPolicy, make_provider
from contestflow.translation.records import TranslateOptions

FAST = MTPolicy(read_timeout=1.0, connect_timeout=1.0, backoff_base=0.02, backoff_max=0.1)


def run(url: str, source: bytes, provider=None, *, source_lang: str = "ru",
        target_lang: str = "en", **options) -> TranslationOutcome:
    options.setdefault("policy", FAST)
    with session_scope(url) as session:
        seed_glossary(session)
        return translate_document(session, source, source_lang=source_lang,
                                  target_lang=target_lang, provider=provider,
                                  options=TranslateOptions(**options))


def texts(output: bytes) -> list[str]:
    return [s.text for s in DocxDocument.load(output, "en").segments if s.in_text]


def record(outcome: TranslationOutcome, start: str):
    return next(r for r in outcome.segments if r.source.startswith(start))


def test_full_document_through_libretranslate(sqlite_url: str, fake_mt: FakeMTServer,
                                              full_docx: bytes) -> None:
    outcome = run(sqlite_url, full_docx, make_provider("libre", url=fake_mt.url))
    stats = outcome.stats
    assert stats["segments"] == 27 and stats["from_glossary"] == 2
    assert stats["mt_requests"] <= stats["unique_segments"]
    assert fake_mt.requests["libre"] == stats["mt_requests"]
    for sent in fake_mt.texts:
        assert "DATE" not in sent and "stavropol.ru/\"" not in sent and "{" not in sent
    out = texts(outcome.output)
    assert "Details on website administration and in report." in out
    glossary = record(outcome, "Решение принято")
    assert "Stavropol City Duma" in glossary.target
    assert "Head of the city of Stavropol" in glossary.target
    assert not any(f.startswith("glossary") for f in glossary.qa_flags)
    assert record(outcome, "Подробности").target == \
        "Details on {1}website administration{/1} and in report."
    document = docx.Document(io.BytesIO(outcome.output))
    assert document.sections[0].header.paragraphs[0].text == "Stavropol city administration"


def test_google_endpoint_gives_the_same_result(sqlite_url: str, fake_mt: FakeMTServer,
                                              full_docx: bytes) -> None:
    outcome = run(sqlite_url, full_docx, make_provider("google", url=fake_mt.url + "/m"))
    assert fake_mt.requests["google"] == outcome.stats["mt_requests"] > 0
    assert "Details on website administration and in report." in texts(outcome.output)


def test_repeated_segments_are_translated_once(sqlite_url: str, fake_mt: FakeMTServer) -> None:
    source = build_simple_document(["Город реализует проект.", "Форум прошёл.",
                                    "Город реализует проект."] * 10)
    outcome = run(sqlite_url, source, make_provider("libre", url=fake_mt.url))
    assert outcome.stats["segments"] == 30 and outcome.stats["unique_segments"] == 2
    assert fake_mt.total_requests == 2


def test_memory_exact_numbers_and_fuzzy_without_mt(sqlite_url: str) -> None:
    with session_scope(sqlite_url) as session:
        store_units(session, [
            MemoryUnit("Город реализует проект.", "The city runs the project."),
            MemoryUnit("В 2023 году форум посетили 350 человек.",
                       "In 2023, 350 people attended the forum."),
            MemoryUnit("Делегация посетила международный форум в Ставрополе.",
                       "The delegation visited the international forum in Stavropol."),
        ], "ru", "en")
    source = build_simple_document([
        "Город реализует проект.", "В 2024 году форум посетили 410 человек.",
        "Делегация посетила международный форум в Ставрополе летом.", "Совсем новый текст."])
    outcome = run(sqlite_url, source)
    stats = outcome.stats
    assert (stats["memory_exact"], stats["memory_numbers"], stats["memory_fuzzy"]) == (1, 1, 1)
    assert stats["untranslated"] == 1 and stats["mt_requests"] == 0
    numbers = record(outcome, "В 2024")
    assert numbers.target == "In 2024, 410 people attended the forum."
    assert numbers.review_state == "draft" and numbers.score == 99
    fuzzy = record(outcome, "Делегация")
    assert fuzzy.origin == "memory" and 75 <= fuzzy.score < 99 and "–" in fuzzy.origin_detail
    assert record(outcome, "Город").review_state == "translated"
    new = record(outcome, "Совсем")
    assert new.origin == "source" and new.qa_flags[0].startswith("untranslated")
    assert texts(outcome.output)[-1] == "Совсем новый текст."


def test_plain_memory_meets_formatted_sentence(sqlite_url: str, full_docx: bytes) -> None:
    with session_scope(sqlite_url) as session:
        store_units(session, [MemoryUnit("Подробности на сайте администрации и в отчёте.",
                                         "Details on the administration website and in "
                                         "the report.")], "ru", "en")
    outcome = run(sqlite_url, full_docx)
    found = record(outcome, "Подробности")
    assert found.origin_detail == "99% (formatting differs)"
    assert "{1}" in found.target and "{/1}" in found.target
    assert any(f.startswith("tags") for f in found.qa_flags)


def test_personal_data_is_not_sent_to_public_mt(sqlite_url: str, fake_mt: FakeMTServer) -> None:
    source = build_simple_document(["Иванов Иван, 10 лет, ученик школы № 5."])
    provider = make_provider("libre", url=fake_mt.url, public=True)
    outcome = run(sqlite_url, source, provider, personal_data=True)
    assert fake_mt.total_requests == 0
    assert outcome.stats["mt_blocked_personal_data"] == 1
    assert "personal data" in outcome.segments[0].qa_flags[0]
    allowed = run(sqlite_url, source, provider, personal_data=True, allow_public_mt=True)
    assert allowed.stats["from_mt"] == 1 and fake_mt.total_requests == 1


def test_self_hosted_mt_may_see_personal_data(sqlite_url: str, fake_mt: FakeMTServer) -> None:
    source = build_simple_document(["Иванов Иван, 10 лет."])
    outcome = run(sqlite_url, source, make_provider("libre", url=fake_mt.url),
                  personal_data=True)
    assert outcome.stats["from_mt"] == 1


def test_unreachable_provider_is_one_clear_error_fast(sqlite_url: str, full_docx: bytes) -> None:
    started = time.monotonic()
    with pytest.raises(MTError) as caught:
        run(sqlite_url, full_docx, make_provider("libre", url="http://127.0.0.1:9"))
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert "\n" not in message and "unreachable" in message


def test_leave_policy_marks_segments_for_a_human(sqlite_url: str, full_docx: bytes) -> None:
    outcome = run(sqlite_url, full_docx, make_provider("libre", url="http://127.0.0.1:9"),
                  on_mt_failure="leave")
    assert outcome.stats["untranslated"] == 25 and outcome.stats["from_glossary"] == 2
    assert "Делегация Ставрополья посетила форум." in texts(outcome.output)
    assert all(r.review_state == "draft" for r in outcome.segments if r.origin == "source")


def test_broken_tags_from_mt_are_repaired_and_flagged(sqlite_url: str, fake_mt: FakeMTServer,
                                                      full_docx: bytes) -> None:
    fake_mt.default = "mangle"
    outcome = run(sqlite_url, full_docx, make_provider("libre", url=fake_mt.url))
    link = record(outcome, "Подробности")
    assert link.review_state == "draft"
    assert any(f.startswith("tags") for f in link.qa_flags)
    document = DocxDocument.load(outcome.output, "en")
    assert document.package.stories[0].root.find(
        ".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}hyperlink") is not None


def test_english_to_russian(sqlite_url: str, fake_mt: FakeMTServer) -> None:
    source = build_simple_document(["The project of the Stavropol City Duma.",
                                    "The city and the culture."])
    outcome = run(sqlite_url, source, make_provider("libre", url=fake_mt.url),
                  source_lang="en", target_lang="ru")
    assert texts(outcome.output)[1] == "город и культура."
    duma = outcome.segments[0]
    # The term went to MT as a placeholder and came back in the genitive that "of" asks for.
    assert duma.target == "проект Ставропольской городской Думы."
    assert not any(f.startswith("glossary") for f in duma.qa_flags)
    assert "Duma" not in " ".join(fake_mt.texts)


def test_persisted_document_and_segments(database_url: str, fake_mt: FakeMTServer,
                                         full_docx: bytes) -> None:
    provider = make_provider("libre", url=fake_mt.url)
    first = run(database_url, full_docx, provider, persist=True)
    again = run(database_url, full_docx, provider, persist=True)
    assert first.document_id == again.document_id
    with session_scope(database_url) as session:
        document = session.get(Document, first.document_id)
        assert document.stats["segments"] == 27 and document.output_sha256
        segments = session.execute(select(Segment).where(
            Segment.document_id == document.id)).scalars().all()
        assert len(segments) == 27
        assert {s.origin for s in segments} == {"mt", "glossary"}


def test_application_form_keeps_its_structure(sqlite_url: str, fake_mt: FakeMTServer) -> None:
    from lxml import etree
    from samples import build_form_document

    source = build_form_document()
    outcome = run(sqlite_url, source, make_provider("libre", url=fake_mt.url))
    before, after = (docx.Document(io.BytesIO(data)) for data in (source, outcome.output))
    table_before, table_after = before.tables[0], after.tables[0]
    assert len(table_after.rows) == len(table_before.rows)
    assert etree.tostring(table_after._tbl).count(b"gridSpan") == \
        etree.tostring(table_before._tbl).count(b"gridSpan") == 4
    assert table_after.cell(1, 1).text == "Head of the city of Stavropol"
    assert table_after.cell(2, 1).text == "+7 (8652) 00-00-00"
    bullets = [p for p in after.paragraphs if p.style.name == "List Bullet"]
    assert [p.text for p in bullets] == ["Sokhranenie kazachey kultury.",
                                         "Uchastie molodezhi in festivalyakh."]
    merged = next(p for p in after.paragraphs if p.text.startswith("Otvet"))
    assert len(merged.runs) == 1, "runs split only by revision ids are one run"
    header = etree.tostring(after.sections[0].header._element).decode()
    assert "> PAGE <" in header and header.count("<w:fldChar ") == 3
    footer = after.sections[0].footer.paragraphs[0]._p
    link = footer.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                       "hyperlink")
    assert "".join(link.xpath(".//w:t/text()")) == "intl@stavropol.example"
    assert "".join(footer.xpath(".//w:t/text()")) == "Pishite: intl@stavropol.example"
