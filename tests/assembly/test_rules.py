"""Each of the contest's rules on a hand-built package that breaks exactly that rule, and on one
that passes it; no database, so the rule alone is under test."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Callable

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.shared import OxmlElement, qn
from PIL import Image

from contestflow.assembly.context import (
    MaterialInfo,
    PackageContext,
    PackedItem,
    TranslationInfo,
)
from contestflow.assembly.rules import RULES, RuleResult
from contestflow.catalog import load_catalog
from contestflow.i18n import N_, Message
from contestflow.identity import city
from schemas.contest import ContestDefinition, ImageRules, Limit, Names

CATALOG = load_catalog(known_departments=[d.id for d in city().departments])
ENGLISH = "The city of the contest prepares its entry with care and sends it on time every year."
RUSSIAN = "Город готовит заявку на конкурс тщательно и отправляет её вовремя каждый год подряд."


def docx(text: str, *, header: str = "", language: str = "", empty_link: bool = False) -> bytes:
    document = Document()
    document.add_paragraph(text)
    if header:
        document.sections[0].header.paragraphs[0].text = header
    if language:
        document.core_properties.language = language
    if empty_link:
        paragraph = document.add_paragraph("See ")
        rel = paragraph.part.relate_to("https://example.org", RELATIONSHIP_TYPE.HYPERLINK,
                                       is_external=True)
        link = OxmlElement("w:hyperlink")
        link.set(qn("r:id"), rel)
        link.append(OxmlElement("w:r"))
        paragraph._p.append(link)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def png(width: int, height: int, kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, kind)
    return buffer.getvalue()


def contest(contest_id: str = "uclg-culture21", **package: object) -> ContestDefinition:
    definition = CATALOG.get(contest_id)
    if package:
        definition = definition.model_copy(
            update={"package": definition.package.model_copy(update=package)})
    return definition


def packed(definition: ContestDefinition, item_id: str, data: bytes | None, *,
           name: str = "", language: str = "en", origin: str = "translated",
           item_changes: dict | None = None, **fields: object) -> PackedItem:
    item = definition.item(item_id)
    if item_changes:
        item = item.model_copy(update=item_changes)
    defaults: dict = {
        "material": MaterialInfo(1, 1, "0" * 64, f"{item_id}.docx", "ru"),
        "data": data, "origin": origin, "language": language,
        "name": name or f"{item_id}-{language}.docx", "request_state": "received"}
    defaults.update(fields)
    state = defaults.pop("request_state")
    return PackedItem(item, 1, item.department, state, **defaults)


def context(definition: ContestDefinition, items: list[PackedItem], **fields: object
            ) -> PackageContext:
    return PackageContext(definition=definition, edition=definition.editions[-1],
                          submission_id=7, items=items, **fields)


def run(name: str, ctx: PackageContext) -> RuleResult:
    [rule] = [r for r in RULES if r.name == name]
    return rule.run(ctx)


def mayor(phone: str) -> PackedItem:
    values = {"name": "Ivan Ivanov", "position": "Head of the city", "phone": phone}
    return packed(UCLG, "mayor-details", json.dumps(values).encode(), name="mayor.json",
                  origin="original")


def letter() -> PackedItem:
    return packed(UCLG, "presentation-letter", docx(
        "Yours faithfully, Ivan  Ivanov, Head of the city. Tel.: +7 8652 00-00-00"))


def drawing_sets(*, drawings: int, forms: int, consents: int) -> list[PackedItem]:
    sets = []
    for item_id, n in (("drawings", drawings), ("application-forms", forms),
                       ("parental-consent", consents)):
        sets += [packed(DRAWINGS, item_id, b"x", name=f"{item_id}-{i}.pdf", language="ru",
                        origin="original", number=i) for i in range(1, n + 1)]
    return sets


def piece(published_on: str) -> PackedItem:
    return packed(MEDIA, "publications", b"%PDF-1.4", name="p-01.pdf", language="ru",
                  origin="original", material=MaterialInfo(1, 1, "0" * 64, "piece.pdf", "ru"),
                  details={"published_on": published_on} if published_on else {})


DRAWINGS = contest("ero-children-drawing")
MEDIA = contest("iac-city-media")
UCLG = contest()
ALL_CONFIRMED = frozenset(range(len(UCLG.eligibility)))
CASES: dict[str, tuple[Callable[[], PackageContext], Callable[[], PackageContext], str]] = {
    "required-items": (
        lambda: context(UCLG, [packed(UCLG, "project", None, material=None)]),
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH))]),
        "required material is missing"),
    "file-count": (
        # Three drawings but two consents: a set is incomplete.
        lambda: context(DRAWINGS, drawing_sets(drawings=3, forms=3, consents=2)),
        lambda: context(DRAWINGS, drawing_sets(drawings=3, forms=3, consents=3)),
        "the files go in sets, but their numbers differ: Scans of the drawings: 3, "
        "Application forms: 3, Parents' consent to personal-data processing: 2"),
    "reopened": (
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH), request_state="reopened",
                                      request_comment="add the 2026 figures")]),
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH))]),
        "add the 2026 figures"),
    "translated": (
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH),
                                      translation=TranslationInfo(1, pending=2))]),
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH),
                                      translation=TranslationInfo(1))]),
        "segments waiting for a human translation: 2"),
    "limits": (
        # The words over the limit are in the header: every story counts, not the body alone.
        lambda: context(UCLG, [packed(UCLG, "title", docx("One two three",
                                                        header=f"{ENGLISH} {ENGLISH}"))]),
        lambda: context(UCLG, [packed(UCLG, "title", docx("One two three"))]),
        "over the limit of 30"),
    "file-language": (
        lambda: context(UCLG, [packed(UCLG, "project", docx(RUSSIAN))]),
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH))]),
        "the text is not in EN"),
    "images": (
        lambda: context(UCLG, [packed(UCLG, "photographs", png(640, 480), name="p.png",
                                      origin="original",
                                      item_changes={"images": ImageRules(min_width=1200,
                                                                         min_height=800)})]),
        lambda: context(UCLG, [packed(UCLG, "photographs", png(1600, 900), name="p.png",
                                      origin="original",
                                      item_changes={"images": ImageRules(min_width=1200,
                                                                         min_height=800)})]),
        "640×480 pixels, at least 1200×800"),
    "package-size": (
        lambda: context(contest(max_size_mb=1), [], package_size=3 * 1024 * 1024),
        lambda: context(contest(max_size_mb=1), [], package_size=512 * 1024),
        "the package weighs 3.0 MB, the limit is 1"),
    "page-limit": (
        lambda: context(contest("unhabitat-scroll"), [], pages=(12, True)),
        lambda: context(contest("unhabitat-scroll"), [], pages=(9, True)),
        "12 pages, over the limit of 10"),
    "eligibility": (
        lambda: context(UCLG, [], confirmed=frozenset({0})),
        lambda: context(UCLG, [], confirmed=ALL_CONFIRMED),
        "not confirmed: condition 2, “One application per government"),
    "self-nomination": (
        lambda: context(contest("unhabitat-scroll"), [], nominator="Stavropol",
                        nominee_names=frozenset({"Stavropol", "Ставрополь"})),
        lambda: context(contest("unhabitat-scroll"), [], nominator="Ministry of Construction",
                        nominee_names=frozenset({"Stavropol", "Ставрополь"})),
        '“Stavropol” is the city itself'),
    "fields-match": (
        lambda: context(UCLG, [mayor("+7 8652 11-11-11"), letter()]),
        lambda: context(UCLG, [mayor("+7 8652 00-00-00"), letter()]),
        "“Phone” (+7 8652 11-11-11) is not in the letter"),
    "publication-window": (
        lambda: context(MEDIA, [piece("2025-11-20")]),
        lambda: context(MEDIA, [piece("2026-05-15")]),
        "piece.pdf: published on 2025-11-20, outside the window 2025-12-01 – 2026-12-01"),
    "dates-confirmed": (
        lambda: context(UCLG, []),  # 2028: expected from the 2026 cycle
        lambda: PackageContext(definition=UCLG, edition=UCLG.edition("2026"), submission_id=7),
        "Application form: the deadline 2028-03-13 is expected, from the last cycle"),
    "formatting": (
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH),
                                      translation=TranslationInfo(1, empty_pairs=(4,)))]),
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH),
                                      translation=TranslationInfo(1))]),
        "empty formatting in segments 5"),
    "document-metadata": (
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH, language="ru-RU"))]),
        lambda: context(UCLG, [packed(UCLG, "project", docx(ENGLISH, language="en-US"))]),
        "the document's properties and styles give the language ru-RU"),
}


def test_every_rule_has_its_case() -> None:
    assert {rule.name for rule in RULES} == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_rule_finds_what_breaks_it(name: str) -> None:
    broken, _passing, message = CASES[name]
    result = run(name, broken())
    assert result.applies and result.findings, f"{name} found nothing"
    assert any(message in f.message.en for f in result.findings), result.findings
    rule = next(r for r in RULES if r.name == name)
    assert result.status == ("failed" if rule.severity == "blocking" else "warning")
    assert all(f.message.ru and f.message.ru != f.message.en for f in result.findings)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_rule_passes_a_package_that_keeps_it(name: str) -> None:
    _broken, passing, _message = CASES[name]
    result = run(name, passing())
    assert result.status == "passed", result.findings


def test_a_limit_that_cannot_be_counted_is_a_warning_not_silence() -> None:
    result = run("limits", context(UCLG, [packed(UCLG, "title", b"%PDF-1.4", name="t.pdf")]))
    [finding] = result.findings
    assert finding.severity == "warning" and "cannot count t.pdf" in finding.message.en


def test_an_estimated_page_count_warns_and_never_blocks() -> None:
    result = run("page-limit", context(contest("unhabitat-scroll"), [], pages=(14, False)))
    [finding] = result.findings
    assert finding.severity == "warning" and "estimated" in finding.message.en
    assert "оценка" in finding.message.ru


def test_an_unconfirmed_memory_formatting_warns_and_an_empty_link_blocks() -> None:
    placed = run("formatting", context(UCLG, [packed(
        UCLG, "project", docx(ENGLISH),
        translation=TranslationInfo(1, unconfirmed_formatting=(2,)))]))
    assert placed.status == "warning"
    link = run("formatting", context(UCLG, [packed(UCLG, "project", docx(ENGLISH,
                                                                         empty_link=True))]))
    assert link.status == "failed" and "hyperlinks without text: 1" in link.findings[0].message.en


def test_images_of_the_wrong_type_are_named() -> None:
    rules = {"images": ImageRules(min_width=10, min_height=10)}
    result = run("images", context(UCLG, [packed(UCLG, "photographs", png(50, 50, "GIF"),
                                                  name="p.gif", item_changes=rules)]))
    assert "not a JPEG, PNG image" in result.findings[0].message.en


@pytest.mark.parametrize("name", ["images", "package-size", "page-limit", "self-nomination"])
def test_rules_that_do_not_concern_the_contest_say_so(name: str) -> None:
    assert run(name, context(UCLG, [])).status == "not_applicable"


def test_no_nominator_where_self_nomination_is_refused() -> None:
    result = run("self-nomination", context(contest("unhabitat-scroll"), []))
    assert "no nominating party is recorded" in result.findings[0].message.en


def test_more_files_than_an_item_takes_are_found() -> None:
    result = run("file-count", context(DRAWINGS, drawing_sets(drawings=51, forms=51,
                                                              consents=51)))
    assert {f.message.en for f in result.findings} == {"files: 51, at most 50 are taken"}


def test_a_piece_without_its_date_is_found() -> None:
    result = run("publication-window", context(MEDIA, [piece("")]))
    assert result.findings[0].message.ru == "piece.pdf: не указана дата публикации"


def test_limit_and_message_types_are_the_contests() -> None:
    assert UCLG.item("title").limit == Limit(max=30, unit="words")
    assert isinstance(CASES["limits"][0]().items[0].material, MaterialInfo)
    published = Message(N_("%(name)s: published on %(published)s, outside the window %(start)s – "
                           "%(end)s"), name="x.pdf", published=dt.date(2025, 11, 20),
                        start=dt.date(2025, 1, 1), end=Names(ru="конец", en="end"))
    assert published.ru == ("x.pdf: опубликовано 20.11.2025, вне сроков конкурса "
                            "(01.01.2025 – конец)")
    assert published.en == "x.pdf: published on 2025-11-20, outside the window 2025-01-01 – end"


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_finding_reads_in_russian(name: str) -> None:
    """The Russian checklist says each finding in Russian, from the catalogue, not the msgid."""
    for finding in run(name, CASES[name][0]()).findings:
        assert finding.message.ru != finding.message.en
        assert re.search("[а-яё]", finding.message.ru, re.IGNORECASE), finding.message.ru
