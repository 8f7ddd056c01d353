"""A memory stored as plain text meets the demo's formatted sentences (bold, italic, a link):
each keeps its formatting on the right words, or waits for a reviewer with the formatting on
the whole sentence; never an empty pair, never an empty hyperlink. Checked in the .docx."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
from docx.oxml.ns import qn

from contestflow.db.session import session_scope
from contestflow.translation.engine import TranslationOutcome, translate_document
from contestflow.translation.glossary import seed_glossary
from contestflow.translation.inline import parse_display, to_display
from contestflow.translation.library import import_memory
from contestflow.translation.review import apply_review, write_review
from contestflow.translation.transfer import transfer_tags
from demo import samples

EMPTY_PAIR = re.compile(r"\{(\d+)\}\s*\{/\1\}")
FESTIVAL = "Главное событие проекта"
CASE = "Основная цель проекта"


def _project(sqlite_url: str, tmp_path: Path) -> tuple[bytes, TranslationOutcome]:
    paths = samples.build_samples(tmp_path)
    samples.build_translation_memory(tmp_path / "memory.tmx")
    with session_scope(sqlite_url) as session:
        seed_glossary(session)
        import_memory(session, (tmp_path / "memory.tmx").read_bytes(), "ru", "en")
    source = paths["project"].read_bytes()
    with session_scope(sqlite_url) as session:
        return source, translate_document(session, source, source_lang="ru",
                                          target_lang="en", provider=None, persist=True)


def _runs(data: bytes) -> list:
    document = docx.Document(io.BytesIO(data))
    return [run for paragraph in document.paragraphs for run in paragraph.runs]


def _links(data: bytes) -> list[str]:
    body = docx.Document(io.BytesIO(data)).element.body
    return ["".join(t.text or "" for t in link.iter(qn("w:t")))
            for link in body.iter(qn("w:hyperlink"))]


def _row(outcome: TranslationOutcome, start: str):
    return next(r for r in outcome.segments if r.source.startswith(start))


def test_formatting_is_placed_or_waits_and_is_never_lost(sqlite_url: str,
                                                         tmp_path: Path) -> None:
    source, outcome = _project(sqlite_url, tmp_path)
    formatted = [r for r in outcome.segments if r.origin_detail == "99% (formatting differs)"]
    assert len(formatted) == 4
    assert not [r.target for r in outcome.segments if EMPTY_PAIR.search(r.target)]
    # A quotation is the same quotation in the translation: placed, no reviewer needed.
    festival = _row(outcome, FESTIVAL)
    assert festival.review_state == "translated" and not festival.qa_flags
    assert '{1}"Cossack Farmstead"{/1}' in festival.target
    # The rest cannot be placed with confidence: the whole sentence keeps the formatting,
    # the row waits for a reviewer and shows the source's formatting.
    waiting = [r for r in formatted if r is not festival]
    for row in waiting:
        assert row.review_state == "draft", row.target
        assert any("could not be placed" in f for f in row.qa_flags)
        assert row.comment == f"source formatting: {row.source}"
        assert row.target.startswith(("{1}", "The ")) and row.target.rstrip(".").endswith(
            "{/1}")
    runs = _runs(outcome.output)
    assert '"Cossack Farmstead"' in {r.text for r in runs if r.italic}
    # The link keeps its words inside it: the whole sentence until a reviewer places it.
    assert _links(outcome.output) == [
        "The principles of the Agenda 21 for culture on which the project is based are "
        "published on the website of the UCLG Committee on Culture"]
    bold = {r.text for r in runs if r.bold}
    assert ("The main aim of the project is to preserve and develop Cossack culture as a "
            "unifying basis of the multinational urban community") in bold

    # The reviewer places what the memory could not, in the review document.
    review = docx.Document(io.BytesIO(write_review(outcome)))
    placements = samples.formatting_placements()
    for row in review.tables[0].rows[1:]:
        cells = row.cells
        if cells[1].text.strip() in placements:
            cells[2].text = placements[cells[1].text.strip()]
        cells[6].text = "approved"
    buffer = io.BytesIO()
    review.save(buffer)
    with session_scope(sqlite_url) as session:
        rebuilt = apply_review(session, source=source, review=buffer.getvalue())
    runs = _runs(rebuilt.output)
    assert {"a unifying basis", "Almost half of the participants"} <= {
        r.text for r in runs if r.bold}
    assert '"Cossack Farmstead"' in {r.text for r in runs if r.italic}
    assert _links(rebuilt.output) == ["website of the UCLG Committee on Culture"]


def test_transfer_places_verbatim_glossary_and_quotations() -> None:
    def placed(source: str, target: str) -> tuple[str, bool]:
        result = transfer_tags(parse_display(source), target)
        return to_display(result.tokens), result.placed

    assert placed("Форум {1}UCLG{/1} прошёл.", "The UCLG forum took place.") == (
        "The {1}UCLG{/1} forum took place.", True)
    assert placed("Фестиваль {1}«Подворье»{/1} и «Ярмарка».",
                  "The \"Farmstead\" festival and the \"Fair\".") == (
        "The {1}\"Farmstead\"{/1} festival and the \"Fair\".", True)
    # Two quotations in the source and one in the target: no guess.
    assert placed("Фестиваль {1}«Подворье»{/1} и «Ярмарка».", "The \"Farmstead\" fair.") == (
        "{1}The \"Farmstead\" fair{/1}.", False)
    # A break or a note inside the sentence: after as large a share of the words, flagged.
    assert placed("Текст{1/} и ещё.", "Text and more.") == ("Text{1/} and more.", False)
    assert placed("Один два три{1/} четыре пять шесть.", "One two three four five six.") == (
        "One two three{1/} four five six.", False)
    assert placed("Текст и ещё.{1/}", "Text and more.") == ("Text and more{1/}.", True)


def test_with_mt_the_formatted_words_are_translated_and_found(sqlite_url: str,
                                                              fake_mt) -> None:
    from samples import build_simple_document

    from contestflow.translation.memory import MemoryUnit, store_units
    from contestflow.translation.mt import make_provider

    with session_scope(sqlite_url) as session:
        store_units(session, [MemoryUnit("Город реализует практику и проект.",
                                         "The city implements this practice and the "
                                         "project.")], "ru", "en")
    document = docx.Document(io.BytesIO(build_simple_document(["Город реализует "])))
    paragraph = document.paragraphs[0]
    paragraph.add_run("практику").bold = True
    paragraph.add_run(" и проект.")
    buffer = io.BytesIO()
    document.save(buffer)
    with session_scope(sqlite_url) as session:
        outcome = translate_document(session, buffer.getvalue(), source_lang="ru",
                                     target_lang="en",
                                     provider=make_provider("libre", url=fake_mt.url))
    row = outcome.segments[0]
    assert row.target == "The city implements this {1}practice{/1} and the project."
    assert row.review_state == "translated" and fake_mt.texts == ["практику"]
    assert [r.text for r in _runs(outcome.output) if r.bold] == ["practice"]
