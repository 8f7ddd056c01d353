"""Glossary files: CSV (``source,target[,note]``) and TBX (v2 ``martif`` and v3 ``tbx``)."""

from __future__ import annotations

import csv
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
    Name = "TBX"
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
        tbx = etree.Element("tbx", nsmap={None: "urn:iso:std:iso:30042:ed-2"})
        tbx.set("type", "TBX-Basic")
        tbx.set("style", "dca")
        tbx.set(XML_LANG, self.source_lang)
        etree.SubElement(etree.SubElement(tbx, "tbxHeader"), "fileDesc")
        body = etree.SubElement(etree.SubElement(tbx, "text"), "body")
        for number, unit in enumerate(self.units, start=1):
            entry = etree.SubElement(body, "conceptEntry", id=unit.id or f"c{number}")
            if unit.note:
                etree.SubElement(entry, "note").text = unit.note
            for lang, text in ((self.source_lang, unit.source), (self.target_lang,
                                                                 unit.target)):
                section = etree.SubElement(entry, "langSec")
                section.set(XML_LANG, lang)
                etree.SubElement(etree.SubElement(section, "termSec"), "term").text = text
        return etree.tostring(tbx, xml_declaration=True, encoding="UTF-8", pretty_print=True)
