"""Glossary files: CSV (``source,target[,note]``) and TBX (v2 ``martif`` and v3 ``tbx``).

Written TBX is TBX-Basic: v3 (ISO 30042:2019, DCA style) by default, with the header's
``sourceDesc`` the dialect requires; v2 ``martif`` for tools that read only that (Translate
Toolkit, older CAT tools). Both are read.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from lxml import etree

from contestflow.translation.errors import FormatError
from contestflow.translation.formats.base import (
    XML_LANG,
    ExchangeUnit,
    TranslationStore,
    lang_matches,
    local,
    parse_xml,
)

TBX3_NS = "urn:iso:std:iso:30042:ed-2"
# Where TBX-Basic's own schemas are published; a validating tool fetches them from here.
TBX3_MODELS = (
    b'<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/'
    b'DCA/TBXcoreStructV03_TBX-Basic_integrated.rng" type="application/xml" '
    b'schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
    b'<?xml-model href="https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/'
    b'DCA/TBX-Basic_DCA.sch" type="application/xml" '
    b'schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
)


class CsvGlossary(TranslationStore):
    Name = "CSV glossary"
    Extensions = ("csv",)
    Kind = "glossary"

    @classmethod
    def parse(cls, data: bytes, source_lang: str = "ru", target_lang: str = "en"
              ) -> CsvGlossary:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FormatError("the CSV glossary is not UTF-8 text") from None
        rows = list(csv.reader(io.StringIO(text)))
        if not rows:
            return cls([], source_lang, target_lang)
        header = [cell.strip().lower() for cell in rows[0]]
        if header[:2] == ["source", "target"]:
            rows = rows[1:]
        units = []
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) < 2 or not row[0].strip() or not row[1].strip():
                raise FormatError(f"CSV glossary line {number}: needs a source and a target")
            note = row[2].strip() if len(row) > 2 else ""
            units.append(ExchangeUnit(source=row[0].strip(), target=row[1].strip(), note=note))
        return cls(units, source_lang, target_lang)

    def serialize(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["source", "target", "note"])
        for unit in self.units:
            writer.writerow([unit.source, unit.target, unit.note])
        return buffer.getvalue().encode("utf-8")


class TbxGlossary(TranslationStore):
    Name = "TBX-Basic v3"
    Extensions = ("tbx",)
    Kind = "glossary"

    @classmethod
    def parse(cls, data: bytes, source_lang: str = "ru", target_lang: str = "en"
              ) -> TbxGlossary:
        root = parse_xml(data, "TBX")
        units = []
        for entry in root.iter():
            if local(entry) not in {"termEntry", "conceptEntry"}:
                continue
            terms: dict[str, str] = {}
            notes = [n.text.strip() for n in entry.iter() if local(n) in {"note", "descrip"}
                     and n.text and n.text.strip()]
            for lang_set in entry:
                if local(lang_set) not in {"langSet", "langSec"}:
                    continue
                lang = lang_set.get(XML_LANG, "")
                term = next((t for t in lang_set.iter() if local(t) == "term"), None)
                if term is not None and (term.text or "").strip():
                    key = source_lang if lang_matches(lang, source_lang) else \
                        target_lang if lang_matches(lang, target_lang) else None
                    if key:
                        terms.setdefault(key, " ".join(term.text.split()))
            if source_lang in terms and target_lang in terms:
                units.append(ExchangeUnit(id=entry.get("id", ""), source=terms[source_lang],
                                          target=terms[target_lang], note="; ".join(notes)))
        return cls(units, source_lang, target_lang)

    def serialize(self) -> bytes:
        tbx = etree.Element(f"{{{TBX3_NS}}}tbx", nsmap={None: TBX3_NS})
        tbx.set("type", "TBX-Basic")
        tbx.set("style", "dca")
        tbx.set(XML_LANG, self.source_lang)
        header = etree.SubElement(tbx, f"{{{TBX3_NS}}}tbxHeader")
        self._source_desc(etree.SubElement(header, f"{{{TBX3_NS}}}fileDesc"), TBX3_NS)
        body = etree.SubElement(etree.SubElement(tbx, f"{{{TBX3_NS}}}text"),
                                f"{{{TBX3_NS}}}body")
        for number, unit in enumerate(self.units, start=1):
            entry = etree.SubElement(body, f"{{{TBX3_NS}}}conceptEntry",
                                     id=_entry_id(unit, number))
            if unit.note:
                etree.SubElement(entry, f"{{{TBX3_NS}}}note").text = unit.note
            for lang, text in ((self.source_lang, unit.source), (self.target_lang,
                                                                 unit.target)):
                section = etree.SubElement(entry, f"{{{TBX3_NS}}}langSec")
                section.set(XML_LANG, lang)
                term_sec = etree.SubElement(section, f"{{{TBX3_NS}}}termSec")
                etree.SubElement(term_sec, f"{{{TBX3_NS}}}term").text = text
        body_xml = etree.tostring(tbx, encoding="UTF-8", pretty_print=True)
        return b"<?xml version='1.0' encoding='UTF-8'?>\n" + TBX3_MODELS + body_xml

    def _source_desc(self, file_desc: etree._Element, namespace: str | None) -> None:
        def tag(name: str) -> str:
            return f"{{{namespace}}}{name}" if namespace else name

        paragraph = etree.SubElement(etree.SubElement(file_desc, tag("sourceDesc")), tag("p"))
        paragraph.text = (f"Glossary {self.source_lang}-{self.target_lang} exported by "
                          f"contestflow on {dt.date.today().isoformat()}")


class MartifGlossary(TbxGlossary):
    """TBX-Basic v2 (``martif``, ISO 30042:2008), for tools that read no v3."""

    Name = "TBX-Basic v2 (martif)"

    def serialize(self) -> bytes:
        martif = etree.Element("martif", type="TBX-Basic")
        martif.set(XML_LANG, self.source_lang)
        header = etree.SubElement(martif, "martifHeader")
        file_desc = etree.SubElement(header, "fileDesc")
        self._source_desc(file_desc, None)
        encoding = etree.SubElement(header, "encodingDesc")
        etree.SubElement(encoding, "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
        body = etree.SubElement(etree.SubElement(martif, "text"), "body")
        for number, unit in enumerate(self.units, start=1):
            entry = etree.SubElement(body, "termEntry", id=_entry_id(unit, number))
            if unit.note:
                etree.SubElement(entry, "note").text = unit.note
            for lang, text in ((self.source_lang, unit.source), (self.target_lang,
                                                                 unit.target)):
                lang_set = etree.SubElement(entry, "langSet")
                lang_set.set(XML_LANG, lang)
                etree.SubElement(etree.SubElement(lang_set, "tig"), "term").text = text
        return etree.tostring(martif, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                              doctype='<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">')


def _entry_id(unit: ExchangeUnit, number: int) -> str:
    """An xs:ID: a unit's own id when it is one, else ``c<number>``."""
    return unit.id if unit.id[:1].isalpha() and unit.id.replace("-", "").isalnum() \
        else f"c{number}"
