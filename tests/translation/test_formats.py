"""Exchange formats: a contract every format inherits, then each format's own quirks."""

from __future__ import annotations

import pytest

from contestflow.translation.errors import FormatError
from contestflow.translation.formats import ExchangeUnit, TranslationStore, store_class
from contestflow.translation.formats.exchange import TmxStore, XliffStore
from contestflow.translation.formats.glossaries import CsvGlossary, MartifGlossary, TbxGlossary
from contestflow.translation.formats.reviewdocx import ReviewDocx

TAGGED = ExchangeUnit(id="body:1.1", source="Город {1}Ставрополь{/1}, «край»{2/} & Co.",
                      target="The city of {1}Stavropol{/1}, \"region\"{2/} & Co.",
                      note="note, with comma")
PLAIN = ExchangeUnit(id="body:2.1", source="Ставропольская городская Дума",
                     target="Stavropol City Duma", note="")


class StoreContract:
    StoreClass: type[TranslationStore] = TranslationStore
    keeps_tags = True
    keeps_review = False

    def round_trip(self, units: list[ExchangeUnit], **meta: str) -> TranslationStore:
        data = self.StoreClass(units, "ru", "en", meta).serialize()
        return self.StoreClass.parse(data, "ru", "en")

    def test_class_facts(self) -> None:
        assert self.StoreClass.Name and self.StoreClass.Extensions
        for extension in self.StoreClass.Extensions:
            assert store_class(f"file.{extension.upper()}") is self.StoreClass

    def test_round_trip_keeps_texts(self) -> None:
        units = [TAGGED, PLAIN] if self.keeps_tags else [PLAIN]
        back = self.round_trip(units)
        assert [(u.source, u.target) for u in back.units] == [(u.source, u.target)
                                                              for u in units]

    def test_empty_store(self) -> None:
        assert len(self.round_trip([])) == 0

    def test_review_fields(self) -> None:
        if not self.keeps_review:
            pytest.skip("not a review format")
        unit = ExchangeUnit(id="body:3.1", source="Форум.", target="Forum.", state="approved",
                            comment="ok", origin="memory 87% (85–94%)", score=87,
                            flags=["numbers: Numbers differ (x)"])
        (back,) = self.round_trip([unit], source_sha256="abc").units
        assert (back.id, back.state, back.comment) == ("body:3.1", "approved", "ok")


class TestCsv(StoreContract):
    StoreClass = CsvGlossary
    keeps_tags = False

    def test_reads_the_seed_glossary_shape(self) -> None:
        data = "source,target,note\nпобратим,twin city,\n\nСНГ,CIS,abbr\n".encode()
        store = CsvGlossary.parse(data)
        assert [(u.source, u.target, u.note) for u in store.units] == [
            ("побратим", "twin city", ""), ("СНГ", "CIS", "abbr")]

    def test_refuses_a_line_without_target(self) -> None:
        with pytest.raises(FormatError, match="line 2"):
            CsvGlossary.parse("source,target\nпобратим\n".encode())


class TestTbx(StoreContract):
    StoreClass = TbxGlossary
    keeps_tags = False

    def test_reads_tbx_v2_martif(self) -> None:
        data = """<?xml version="1.0"?><martif type="TBX" xml:lang="en"><text><body>
        <termEntry id="t1"><descrip type="definition">city council</descrip>
        <langSet xml:lang="ru-RU"><tig><term>Ставропольская городская Дума</term></tig></langSet>
        <langSet xml:lang="en-US"><tig><term>Stavropol City Duma</term></tig></langSet>
        </termEntry></body></text></martif>""".encode()
        (unit,) = TbxGlossary.parse(data).units
        assert (unit.source, unit.target, unit.note) == (
            "Ставропольская городская Дума", "Stavropol City Duma", "city council")


class TestMartif(StoreContract):
    StoreClass = MartifGlossary
    keeps_tags = False

    def round_trip(self, units: list[ExchangeUnit], **meta: str) -> TranslationStore:
        # Written as v2, read by the one TBX reader, which takes both versions.
        return TbxGlossary.parse(MartifGlossary(units, "ru", "en", meta).serialize())

    def test_class_facts(self) -> None:
        assert MartifGlossary.Name != TbxGlossary.Name
        assert store_class("old.tbx") is TbxGlossary  # reading needs no second class

    def test_writes_the_header_tbx_basic_requires(self) -> None:
        data = MartifGlossary([PLAIN], "ru", "en").serialize()
        assert b"<sourceDesc>" in data and b'<!DOCTYPE martif SYSTEM' in data


class TestTmx(StoreContract):
    StoreClass = TmxStore

    def test_refuses_entities(self) -> None:
        data = b'<?xml version="1.0"?><!DOCTYPE tmx [<!ENTITY a "aaaa">]><tmx version="1.4">' \
               b"<body/></tmx>"
        with pytest.raises(FormatError, match="entities"):
            TmxStore.parse(data)

    def test_refuses_what_is_not_tmx(self) -> None:
        with pytest.raises(FormatError):
            TmxStore.parse(b"<xliff/>")


class TestXliff(StoreContract):
    StoreClass = XliffStore
    keeps_review = True

    def test_uses_pc_and_ph_and_states(self) -> None:
        unit = ExchangeUnit(id="body:1.1", source=TAGGED.source, target=TAGGED.target,
                            state="reviewed")
        text = XliffStore([unit], "ru", "en").serialize().decode()
        assert '<pc id="1">Ставрополь</pc>' in text and '<ph id="2"/>' in text
        assert 'state="reviewed"' in text and 'version="2.0"' in text

    def test_reads_sc_ec_from_other_tools(self) -> None:
        data = """<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0"
        srcLang="ru" trgLang="en"><file id="f"><unit id="u1"><segment state="final">
        <source>Город <sc id="a"/>Ставрополь<ec startRef="a"/></source>
        <target><mrk id="m">City</mrk> <sc id="a"/>Stavropol<ec startRef="a"/></target>
        </segment></unit></file></xliff>""".encode()
        (unit,) = XliffStore.parse(data).units
        assert unit.source.strip() == "Город {1}Ставрополь{/1}"
        assert unit.target.strip() == "City {1}Stavropol{/1}" and unit.state == "approved"


class TestReviewDocx(StoreContract):
    StoreClass = ReviewDocx
    keeps_review = True

    def test_refuses_a_docx_that_is_not_a_review(self, full_docx: bytes) -> None:
        with pytest.raises(FormatError, match="not a review document"):
            ReviewDocx.parse(full_docx)
