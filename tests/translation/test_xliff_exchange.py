"""XLIFF 2.0 as other people's tools read it: inline codes that say what they are (type,
subType, disp, equiv, originalData), the OASIS core schema, and Translate Toolkit reading,
approving and writing the file back."""

from __future__ import annotations

import re

import pytest
from fakes.mt_server import FakeMTServer
from lxml import etree
from translate.storage.xliff2 import Xliff2File

from contestflow.db.session import session_scope
from contestflow.translation.engine import TranslationOutcome, translate_document
from contestflow.translation.glossary import seed_glossary
from contestflow.translation.mt import make_provider
from contestflow.translation.records import TranslateOptions
from contestflow.translation.review import apply_review, export_xliff, read_review
from tests.translation.published_schemas import xml_schema

NS = "urn:oasis:names:tc:xliff:document:2.0"
TYPES = {"fmt", "ui", "quote", "link", "image", "other"}
XLF_SUBTYPES = {"xlf:lb": "fmt", "xlf:pb": "fmt", "xlf:b": "fmt", "xlf:i": "fmt",
                "xlf:u": "fmt", "xlf:var": "ui"}


def _x(name: str) -> str:
    return f"{{{NS}}}{name}"


@pytest.fixture
def translated(sqlite_url: str, fake_mt: FakeMTServer, full_docx: bytes) -> TranslationOutcome:
    with session_scope(sqlite_url) as session:
        seed_glossary(session)
        return translate_document(session, full_docx, source_lang="ru", target_lang="en",
                                  provider=make_provider("libre", url=fake_mt.url),
                                  options=TranslateOptions(persist=True))


def _codes(root: etree._Element) -> dict[tuple[str, str], etree._Element]:
    """Every source-side code by (unit id, tag id)."""
    return {(unit.get("id"), code.get("id")): code for unit in root.iter(_x("unit"))
            for source in unit.iter(_x("source"))
            for code in source.iter(_x("pc"), _x("ph"))}


def _unit_with(root: etree._Element, text: str) -> etree._Element:
    return next(unit for unit in root.iter(_x("unit"))
                if text in "".join(unit.find(f"{_x('segment')}/{_x('source')}").itertext()))


def test_inline_codes_say_what_they_stand_for(translated: TranslationOutcome) -> None:
    root = etree.fromstring(export_xliff(translated, original="bid.docx"))
    codes = _codes(root)
    assert codes and all(code.get("type") in TYPES for code in codes.values())
    for code in codes.values():
        sub_type = code.get("subType")
        assert sub_type is None or re.fullmatch(r"[^\s:]+:[^\s:]+", sub_type)
        if sub_type in XLF_SUBTYPES:
            assert code.get("type") == XLF_SUBTYPES[sub_type]  # the specification's rule

    formatting = _unit_with(root, "практику")
    bold = next(pc for pc in formatting.iter(_x("pc")) if pc.get("subType") == "xlf:b")
    assert (bold.get("type"), bold.get("dispStart")) == ("fmt", "bold")
    data = {d.get("id"): d.text for d in formatting.iter(_x("data"))}
    assert "<w:b/>" in data[bold.get("dataRefStart")]
    assert "xmlns:w14" not in data[bold.get("dataRefStart")]  # only the namespaces it uses
    assert {pc.get("dispStart") for pc in formatting.iter(_x("pc"))} >= {"bold", "italic",
                                                                         "underline"}

    link = next(_unit_with(root, "сайте администрации").iter(_x("pc")))
    assert (link.get("type"), link.get("subType")) == ("link", "docx:hyperlink")
    assert link.get("dispStart") == "https://stavropol.ru/"

    breaks = {ph.get("disp"): ph for ph in _unit_with(root, "Вторая строка").iter(_x("ph"))}
    assert breaks["tab"].get("equiv") == "\t" and breaks["line break"].get("subType") == "xlf:lb"
    assert breaks["page break"].get("subType") == "xlf:pb"
    notes = {ph.get("disp"): ph.get("subType") for ph in
             _unit_with(root, "на средства бюджета").iter(_x("ph"))}
    assert notes == {"footnote": "docx:footnote", "endnote": "docx:endnote"}

    for unit in root.iter(_x("unit")):
        data_ids = {d.get("id") for d in unit.iter(_x("data"))}
        references = {code.get(name) for code in unit.iter(_x("pc"), _x("ph"))
                      for name in ("dataRef", "dataRefStart", "dataRefEnd") if code.get(name)}
        assert references == data_ids, unit.get("id")  # each reference resolves, none unused
    # The target's codes say the same as the source's.
    target = formatting.find(f"{_x('segment')}/{_x('target')}")
    assert {pc.get("dispStart") for pc in target.iter(_x("pc"))} >= {"bold", "italic"}


def test_our_xliff_is_valid_against_the_oasis_core_schema(
        translated: TranslationOutcome) -> None:
    schema = xml_schema("xliff_core_2.0.xsd")
    document = etree.fromstring(export_xliff(translated, original="bid.docx"))
    assert schema.validate(document), schema.error_log
    # The schema is really applied: an inline code whose type is not one of XLIFF's is
    # refused, and so is a state outside XLIFF's four.
    code = next(document.iter(_x("pc")))
    kind = code.get("type")
    code.set("type", "bold")
    assert not schema.validate(document)
    code.set("type", kind)
    assert schema.validate(document), schema.error_log
    next(document.iter(_x("segment"))).set("state", "approved")
    assert not schema.validate(document)


def test_translate_toolkit_reads_approves_and_writes_it_back(
        sqlite_url: str, full_docx: bytes, translated: TranslationOutcome) -> None:
    exported = export_xliff(translated, original="bid.docx")
    store = Xliff2File.parsestring(exported)
    ours = read_review(exported)
    units = [unit for unit in store.units if unit.source]
    assert [unit.getid() for unit in units] == [unit.id for unit in ours.units]
    # The tool's text is ours without the tags, and it sees each code with what it is.
    assert [" ".join(unit.source.split()) for unit in units] == [
        " ".join(re.sub(r"\{/?\d+/?\}", "", unit.source).split()) for unit in ours.units]
    formatting = next(unit for unit in units if "практику" in unit.source)
    nodes = [part.xml_node for part in formatting.rich_source[0].sub
             if hasattr(part, "xml_node")]
    assert {node.get("dispStart") for node in nodes} >= {"bold", "italic", "underline"}

    # A translator approves the first two in the tool (Translate Toolkit writes "reviewed")
    # and marks the third final by hand; the rest stay as exported.
    units[0].markapproved()
    units[1].markapproved()
    units[2].xmlelement.set("state", "final")
    back = bytes(store)
    states = {unit.id: unit.state for unit in read_review(back).units}
    assert [states[unit.getid()] for unit in units[:3]] == ["reviewed", "reviewed", "approved"]
    with session_scope(sqlite_url) as session:
        result = apply_review(session, source=full_docx, review=back)
    assert result.stats["states"].get("reviewed", 0) >= 2
    assert result.stats["states"].get("approved", 0) >= 1
    assert result.stored_units >= 1  # "final" rows go into the memory


def test_states_map_one_to_one_both_ways() -> None:
    from contestflow.translation.formats.exchange import STATE_FROM_XLIFF, STATE_TO_XLIFF

    assert STATE_TO_XLIFF == {"draft": "initial", "translated": "translated",
                              "reviewed": "reviewed", "approved": "final"}
    assert {v: k for k, v in STATE_TO_XLIFF.items()} == STATE_FROM_XLIFF
