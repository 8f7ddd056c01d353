"""The demo's sample Word documents and the earlier year's translation memory."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn
from lxml import etree
from razdel import sentenize

from demo.sample_texts import (
    AGENDA21_URL,
    DOCUMENTS,
    HEADER,
    MAYOR_EMAIL,
    MAYOR_NAME,
    MAYOR_PHONE,
    MAYOR_POSITION,
    WEBSITE,
    all_sentences,
    document_sentences,
)
from demo.samples import (
    build_samples,
    build_translation_memory,
    reviewer_translations,
    translation_memory_pairs,
)

CONTEST = Path(__file__).resolve().parents[2] / "schemas" / "contests" / "uclg-culture21.yaml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GLOSSARY = {
    r"администраци\w* города Ставрополя": "Stavropol city administration",
    r"комитет\w* культуры и молодежной политики": "culture and youth policy committee",
    r"Объединённ\w* город\w* и местн\w* власт\w*": "United Cities and Local Governments",
    r"Евразийск\w* регионально\w* отделени\w*": "Eurasian Regional Section",
    r"Ставропольск\w* городск\w* Дум\w*": "Stavropol City Duma",
    r"глав\w* города Ставрополя": "Head of the city of Stavropol",
    r"Цел\w* устойчивого развития": "Sustainable Development Goals",
}


@pytest.fixture(scope="module")
def contest() -> dict:
    return yaml.safe_load(CONTEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Path], Path, int]:
    root = tmp_path_factory.mktemp("demo-samples")
    paths = build_samples(root / "samples")
    tmx = root / "memory" / "culture-2020.tmx"
    return paths, tmx, build_translation_memory(tmx)


def _body_texts(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.text.strip()]


def test_one_document_per_required_item(contest: dict, built) -> None:
    paths, _, _ = built
    required = {item["id"] for item in contest["items"] if item.get("required", True)}
    assert set(paths) == required
    assert set(DOCUMENTS) == required
    for path in paths.values():
        assert path.is_file() and path.suffix == ".docx"


def test_documents_open_with_heading_header_and_page_field(built) -> None:
    paths, _, _ = built
    for item_id, path in paths.items():
        document = docx.Document(str(path))
        first = next(p for p in document.paragraphs if p.text.strip())
        assert first.style.name == "Heading 1", item_id
        assert first.text == DOCUMENTS[item_id].paragraphs[0].ru
        section = document.sections[0]
        assert section.header.paragraphs[0].text == HEADER.ru
        footer = section.footer._element
        kinds = [c.get(qn("w:fldCharType")) for c in footer.iter(qn("w:fldChar"))]
        assert kinds == ["begin", "separate", "end"], item_id
        instructions = "".join(i.text for i in footer.iter(qn("w:instrText")))
        assert instructions.strip() == "PAGE"


def test_document_text_is_the_data(built) -> None:
    paths, _, _ = built
    for item_id, path in paths.items():
        sample = DOCUMENTS[item_id]
        document = docx.Document(str(path))
        assert _body_texts(document) == [p.ru for p in sample.paragraphs], item_id
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert headings == [p.ru for p in sample.paragraphs if p.heading]
        assert len(document.tables) == len(sample.tables)
        for table, data in zip(document.tables, sample.tables, strict=True):
            cells = [[cell.text for cell in row.cells] for row in table.rows]
            assert cells == [[field.ru, value.ru] for field, value in data.rows]


def test_project_has_subheadings_bold_italic_and_a_real_hyperlink(built) -> None:
    paths, _, _ = built
    document = docx.Document(str(paths["project"]))
    styles = Counter(p.style.name for p in document.paragraphs)
    assert styles["Heading 1"] == 1 and styles["Heading 2"] == 4
    runs = [run for p in document.paragraphs for run in p.runs]
    assert {"объединяющую основу", "Почти половину участников"} <= {r.text for r in runs if r.bold}
    assert "«Казачье подворье»" in {r.text for r in runs if r.italic}
    links = list(document.element.body.iter(qn("w:hyperlink")))
    assert len(links) == 1
    relationship = document.part.rels[links[0].get(qn("r:id"))]
    assert relationship.is_external and relationship.target_ref == AGENDA21_URL
    assert "".join(t.text for t in links[0].iter(qn("w:t"))) == "сайте Комитета по культуре ОГМВ"


def test_mayor_details_match_the_presentation_letter(built) -> None:
    paths, _, _ = built
    table = docx.Document(str(paths["mayor-details"])).tables[0]
    details = {row.cells[0].text: row.cells[1].text for row in table.rows}
    letter = "\n".join(_body_texts(docx.Document(str(paths["presentation-letter"]))))
    for value in details.values():
        assert value in letter
    for value in (MAYOR_NAME, MAYOR_POSITION, MAYOR_PHONE, MAYOR_EMAIL, WEBSITE):
        assert value[0] in details.values()
    contact = docx.Document(str(paths["bid-contact"])).tables[0]
    assert len(contact.rows) >= 8 and len(contact.columns) == 2


def test_memory_is_valid_tmx_without_the_new_sentences(built) -> None:
    _, tmx, count = built
    raw = tmx.read_bytes()
    assert raw.startswith(b"<?xml") and b"UTF-8" in raw.split(b"\n", 1)[0]
    root = etree.fromstring(raw)
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None
    expected = {"srclang": "ru", "adminlang": "en", "datatype": "plaintext",
                "segtype": "sentence", "creationtool": "contestflow"}
    assert {key: header.get(key) for key in expected} == expected
    units = root.findall("body/tu")
    assert len(units) == count == len(translation_memory_pairs())
    pairs: dict[str, str] = {}
    for unit in units:
        variants = unit.findall("tuv")
        assert [v.get(XML_LANG) for v in variants] == ["ru", "en"]
        russian, english = (v.findtext("seg") for v in variants)
        assert russian and english and russian not in pairs
        pairs[russian] = english
    new = reviewer_translations()
    assert 4 <= len(new) <= 6
    assert not set(new) & set(pairs)
    expected_pairs = {s.ru: s.en for s in all_sentences() if not s.new}
    assert pairs == expected_pairs
    assert pairs[HEADER.ru] == HEADER.en
    cells = {c.ru for d in DOCUMENTS.values() for t in d.tables for row in t.rows for c in row}
    assert {c for c in cells if c not in new} <= set(pairs)


def test_new_sentences_are_spread_over_two_or_three_documents() -> None:
    holders = {item_id for item_id, d in DOCUMENTS.items()
               if any(s.new for s in document_sentences(d))}
    assert 2 <= len(holders) <= 3
    assert reviewer_translations() == {s.ru: s.en for s in all_sentences() if s.new}
    old = {s.ru for s in all_sentences() if not s.new}
    assert not set(reviewer_translations()) & old


def test_every_sentence_is_one_razdel_sentence() -> None:
    for sentence in all_sentences():
        assert [piece.text for piece in sentenize(sentence.ru)] == [sentence.ru]
        assert sentence.ru == sentence.ru.strip() and "  " not in sentence.ru
    for sample in DOCUMENTS.values():
        for paragraph in sample.paragraphs:
            split = [piece.text for piece in sentenize(paragraph.ru)]
            assert split == [s.ru for s in paragraph.sentences]


def test_sentence_count_and_word_limits_in_english(contest: dict) -> None:
    prose = [s for d in DOCUMENTS.values() for p in d.paragraphs if not p.heading
             for s in p.sentences]
    assert 50 <= len(prose) <= 75
    limits = {item["id"]: item["limit"] for item in contest["items"] if item.get("limit")}
    assert {"title", "brief-description", "duration", "city-description", "background"} <= set(
        limits)
    for item_id, limit in limits.items():
        assert limit["unit"] == "words"
        words = sum(len(p.en.split()) for p in DOCUMENTS[item_id].paragraphs)
        assert words <= limit["max"] * 0.75, (item_id, words, limit["max"])


def test_glossary_terms_use_the_fixed_english() -> None:
    used = set()
    for sentence in all_sentences():
        for pattern, english in GLOSSARY.items():
            if re.search(pattern, sentence.ru, re.IGNORECASE):
                used.add(english)
                assert english.lower() in sentence.en.lower(), (sentence.ru, english)
    assert used == set(GLOSSARY.values())


def _ru_numbers(text: str) -> set[str]:
    found = set()
    for match in re.finditer(r"(\d+(?:[ \u00a0]\d{3})*(?:[,.]\d+)?)(\s*тыс\.)?", text):
        number = match.group(1).replace(" ", "").replace("\u00a0", "").replace(",", ".")
        found.add(str(int(number) * 1000) if match.group(2) else number)
    return found


def _en_numbers(text: str) -> set[str]:
    return {m.replace(",", "") for m in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text)}


def test_translations_keep_the_numbers() -> None:
    for sentence in all_sentences():
        assert _ru_numbers(sentence.ru) <= _en_numbers(sentence.en), sentence.ru


def test_contacts_are_fictional() -> None:
    text = " ".join(s.ru + " " + s.en for s in all_sentences())
    phones = re.findall(r"\+7 \(\d+\) [\d-]+", text)
    assert phones, "the samples name no phone number, so nothing here is checked"
    for phone in phones:
        assert re.fullmatch(r"\+7 \(8652\) 00-00-0\d", phone)
    emails = re.findall(r"[\w.-]+@[\w.-]+", text)
    assert emails and all(e.endswith("@stavropol.example") for e in emails)


def test_the_engine_finds_the_memory_for_all_but_new_and_formatted_sentences(built) -> None:
    """Through the translation engine's own reader: old sentences hit the memory exactly."""
    from contestflow.translation.docx.document import DocxDocument

    paths, _, _ = built
    memory = dict(translation_memory_pairs())
    new = reviewer_translations()
    outcome: Counter[str] = Counter()
    for path in paths.values():
        for segment in DocxDocument.load(path.read_bytes(), "ru").segments:
            if not segment.translatable:
                continue
            if segment.display in memory:
                outcome["exact"] += 1
            elif segment.display in new:
                outcome["new"] += 1
            else:
                assert segment.text in memory, segment.display  # formatting tags only differ
                outcome["tagged"] += 1
    assert outcome["new"] == len(new)
    assert outcome["exact"] > 4 * (outcome["new"] + outcome["tagged"])


def test_memory_escapes_markup_characters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from demo import samples

    tricky = [("Проект «А & Б» <черновик>", 'Project "A & B" <draft>')]
    monkeypatch.setattr(samples, "translation_memory_pairs", lambda: tricky)
    path = tmp_path / "tricky.tmx"
    assert samples.build_translation_memory(path) == 1
    assert "&amp;" in path.read_text(encoding="utf-8")
    segments = [seg.text for seg in etree.parse(str(path)).iter("seg")]
    assert segments == list(tricky[0])
