"""`contestflow memory export` and `contestflow glossary export` as other tools read them:
Translate Toolkit, the TMX 1.4b DTD (Debian's omegat ships it), the TBX-Basic RELAX NG schema
(where it is supplied: no package ships it), and our own import into an empty database."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from translate.storage.tbx import tbxfile
from translate.storage.tmx import tmxfile

from contestflow.db import session_scope
from contestflow.translation.glossary import read_seed_terms
from contestflow.translation.library import import_glossary, import_memory
from contestflow.translation.memory import MemoryUnit, all_units, store_units
from tests.cli.test_cli import assert_one_line_error, run, run_json
from tests.translation.published_schemas import dtd, relax_ng

UNITS = [MemoryUnit("Город Ставрополь реализует практику «Культура для всех».",
                    "Stavropol carries out the practice “Culture for All”.", "human",
                    "approved in 2020"),
         MemoryUnit("Проект поддержан {1}жителями{/1} & партнёрами.",
                    "The project is supported by {1}residents{/1} & partners.", "human", ""),
         MemoryUnit("Ставропольская городская Дума", "Stavropol City Duma", "human", "")]


def _memory() -> None:
    with session_scope() as session:
        assert store_units(session, UNITS, "ru", "en", created_by="test") == len(UNITS)


def test_memory_export_is_tmx_that_translate_toolkit_reads(database_url: str,
                                                           tmp_path: Path) -> None:
    _memory()
    out = tmp_path / "memory.tmx"
    written = run_json("memory", "export", str(out))
    assert written["entries"] == len(UNITS) and written["format"] == "TMX 1.4b"
    data = out.read_bytes()
    assert data.startswith(b"<?xml") and b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in data

    # Translate Toolkit reads each unit's texts (a tag's code as its text) and its note.
    store = tmxfile.parsestring(data)
    assert [(u.source, u.target, u.getnotes()) for u in store.units] == [
        (u.source, u.target, u.note) for u in UNITS]

    # And it comes back whole into an empty memory.
    with session_scope(f"sqlite:///{tmp_path / 'other.db'}") as session:
        assert import_memory(session, data, "ru", "en") == len(UNITS)
        back = all_units(session, "ru", "en")
    assert [(u.source, u.target, u.note) for u in back] == [
        (u.source, u.target, u.note) for u in UNITS]


def test_the_memory_export_is_valid_against_the_tmx_dtd(database_url: str,
                                                         tmp_path: Path) -> None:
    schema = dtd("tmx14.dtd")
    _memory()
    out = tmp_path / "memory.tmx"
    run("memory", "export", str(out))
    document = etree.parse(str(out), etree.XMLParser(load_dtd=False, no_network=True))
    assert schema.validate(document), schema.error_log
    # The DTD is really applied: markup TMX does not define inside a segment is refused,
    # and so is a header without a required attribute.
    segment = document.getroot().find("body/tu/tuv/seg")
    etree.SubElement(segment, "b").text = "bold"
    assert not schema.validate(document)
    segment.remove(segment[-1])
    assert schema.validate(document), schema.error_log
    document.getroot().find("header").attrib.pop("srclang")
    assert not schema.validate(document)


def _glossary(tmp_path: Path, *options: str) -> tuple[bytes, dict]:
    out = tmp_path / ("glossary-v2.tbx" if options else "glossary.tbx")
    written = run_json("glossary", "export", str(out), *options)
    return out.read_bytes(), written


def test_glossary_export_is_tbx_basic_v3_with_a_source_description(database_url: str,
                                                                   tmp_path: Path) -> None:
    data, written = _glossary(tmp_path)
    seed = read_seed_terms()
    assert written == {"path": str(tmp_path / "glossary.tbx"), "format": "TBX-Basic v3",
                       "entries": len(seed), "bytes": len(data)}
    root = etree.fromstring(data)
    ns = "{urn:iso:std:iso:30042:ed-2}"
    assert root.tag == f"{ns}tbx" and root.get("type") == "TBX-Basic"
    assert root.get("style") == "dca"
    source_desc = root.find(f"{ns}tbxHeader/{ns}fileDesc/{ns}sourceDesc/{ns}p")
    assert source_desc is not None and "contestflow" in source_desc.text
    entries = root.findall(f"{ns}text/{ns}body/{ns}conceptEntry")
    assert len(entries) == len(seed) and all(e.get("id") for e in entries)
    with session_scope(f"sqlite:///{tmp_path / 'other.db'}") as session:
        assert import_glossary(session, data, "glossary.tbx", "ru", "en") == len(seed)


def test_the_v3_glossary_is_valid_against_the_tbx_basic_schemas(database_url: str,
                                                                tmp_path: Path) -> None:
    # The dialect's RELAX NG schema; its Schematron rules need XSLT 2, which lxml lacks.
    schema = relax_ng("TBXcoreStructV03_TBX-Basic_integrated.rng")
    data, _ = _glossary(tmp_path)
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log
    header = document.find("{urn:iso:std:iso:30042:ed-2}tbxHeader/"
                           "{urn:iso:std:iso:30042:ed-2}fileDesc")
    header.remove(header[0])  # what we used to write: an empty fileDesc
    assert not schema.validate(document)


def test_glossary_export_tbx2_is_martif_that_translate_toolkit_reads(database_url: str,
                                                                     tmp_path: Path) -> None:
    data, written = _glossary(tmp_path, "--tbx2")
    seed = read_seed_terms()
    assert written["format"] == "TBX-Basic v2 (martif)" and written["entries"] == len(seed)
    assert etree.fromstring(data).tag == "martif"
    store = tbxfile.parsestring(data)
    assert len(store.units) == len(seed)
    by_source = {unit.source: unit.target for unit in store.units}
    first = seed[0]
    assert by_source[first.source] == first.target
    assert sum(by_source.get(t.source) == t.target for t in seed) == len(seed)


def test_exports_refuse_one_language_and_a_folder_in_place_of_the_file(
        database_url: str, tmp_path: Path) -> None:
    same = run("glossary", "export", str(tmp_path / "g.tbx"), "--from", "ru", "--to", "ru",
               ok=False)
    assert same.returncode != 0 and "--from and --to must differ" in same.stderr
    assert not (tmp_path / "g.tbx").exists()
    (tmp_path / "m.tmx").mkdir()
    folder = run("memory", "export", str(tmp_path / "m.tmx"), ok=False)
    assert_one_line_error(folder, "cannot write")
    assert (tmp_path / "m.tmx").is_dir()


def test_an_empty_memory_exports_an_empty_tmx(database_url: str, tmp_path: Path) -> None:
    out = tmp_path / "empty.tmx"
    assert run_json("memory", "export", str(out), "--from", "en", "--to", "ru")["entries"] == 0
    assert len(tmxfile.parsestring(out.read_bytes()).units) == 0


@pytest.mark.parametrize("tbx2", [False, True])
def test_both_tbx_versions_read_back_the_same_terms(database_url: str, tmp_path: Path,
                                                   tbx2: bool) -> None:
    data, _ = _glossary(tmp_path, *(["--tbx2"] if tbx2 else []))
    from contestflow.translation.formats.glossaries import TbxGlossary

    terms = {(u.source, u.target) for u in TbxGlossary.parse(data).units}
    assert terms == {(t.source, t.target) for t in read_seed_terms()}
