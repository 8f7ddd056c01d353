"""Memory and review exchange: TMX 1.4b and XLIFF 2.0."""

from __future__ import annotations

import datetime as dt

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
from contestflow.translation.formats.inline_xml import (
    data_ids,
    pair_tokens,
    read_raw,
    write_tmx,
    write_xliff,
)
from contestflow.translation.inline import to_display

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
STATE_TO_XLIFF = {"draft": "initial", "translated": "translated", "reviewed": "reviewed",
                  "approved": "final"}
STATE_FROM_XLIFF = {value: key for key, value in STATE_TO_XLIFF.items()}


def _original_data(unit_element: etree._Element, unit: ExchangeUnit) -> None:
    """The document's own markup behind each tag, which the tags' data references name."""
    pieces = []
    for tag_id, code in sorted(unit.codes.items()):
        start, end = data_ids(tag_id)
        pieces += [(start, code.original_start), (end, code.original_end)]
    pieces = [(data_id, text) for data_id, text in pieces if text]
    if not pieces:
        return
    holder = etree.SubElement(unit_element, f"{{{XLIFF_NS}}}originalData")
    for data_id, text in pieces:
        etree.SubElement(holder, f"{{{XLIFF_NS}}}data", id=data_id).text = text


class TmxStore(TranslationStore):
    Name = "TMX 1.4b"
    Extensions = ("tmx",)
    Kind = "memory"

    @classmethod
    def parse(cls, data: bytes, source_lang: str = "ru", target_lang: str = "en") -> TmxStore:
        root = parse_xml(data, "TMX")
        if local(root) != "tmx":
            raise FormatError("not a TMX file: the root element is not <tmx>")
        units = []
        for tu in root.iter("tu"):
            segs: dict[str, etree._Element] = {}
            for tuv in tu.findall("tuv"):
                lang = tuv.get(XML_LANG) or tuv.get("lang")
                seg = tuv.find("seg")
                for wanted in (source_lang, target_lang):
                    if seg is not None and lang_matches(lang, wanted):
                        segs.setdefault(wanted, seg)
            if source_lang not in segs or target_lang not in segs:
                continue
            source, target = pair_tokens(read_raw(segs[source_lang]), read_raw(
                segs[target_lang]))
            props = {p.get("type"): (p.text or "") for p in tu.findall("prop")}
            note = " ".join((n.text or "").strip() for n in tu.findall("note")).strip()
            units.append(ExchangeUnit(id=tu.get("tuid", ""), source=to_display(source),
                                      target=to_display(target), note=note,
                                      origin=props.get("x-origin", "human")))
        return cls(units, source_lang, target_lang)

    def serialize(self) -> bytes:
        tmx = etree.Element("tmx", version="1.4")
        etree.SubElement(tmx, "header", creationtool="contestflow", creationtoolversion="1",
                         segtype="sentence", adminlang="en", srclang=self.source_lang,
                         datatype="plaintext", **{"o-tmf": "contestflow"})
        body = etree.SubElement(tmx, "body")
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        for number, unit in enumerate(self.units, start=1):
            tu = etree.SubElement(body, "tu", tuid=unit.id or str(number), creationdate=stamp)
            tu.tail = "\n"
            if unit.origin:
                etree.SubElement(tu, "prop", type="x-origin").text = unit.origin
            if unit.note:
                etree.SubElement(tu, "note").text = unit.note
            for lang, text in ((self.source_lang, unit.source), (self.target_lang,
                                                                 unit.target)):
                tuv = etree.SubElement(tu, "tuv")
                tuv.set(XML_LANG, lang)
                write_tmx(etree.SubElement(tuv, "seg"), text)
        return etree.tostring(tmx, xml_declaration=True, encoding="UTF-8",
                              doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


class XliffStore(TranslationStore):
    Name = "XLIFF 2.0"
    Extensions = ("xlf", "xliff")
    Kind = "review"

    @classmethod
    def parse(cls, data: bytes, source_lang: str = "ru", target_lang: str = "en"
              ) -> XliffStore:
        root = parse_xml(data, "XLIFF")
        if local(root) != "xliff" or root.get("version") != "2.0":
            raise FormatError("not an XLIFF 2.0 file")
        meta = {"source_lang": root.get("srcLang", source_lang),
                "target_lang": root.get("trgLang", target_lang)}
        file_element = root.find(f"{{{XLIFF_NS}}}file")
        if file_element is not None:
            meta["original"] = file_element.get("original", "")
            for note in file_element.findall(f"{{{XLIFF_NS}}}notes/{{{XLIFF_NS}}}note"):
                meta[note.get("category", "")] = note.text or ""
        units = [cls._unit(unit) for unit in root.iter(f"{{{XLIFF_NS}}}unit")]
        return cls(units, meta["source_lang"], meta["target_lang"], meta)

    @staticmethod
    def _unit(unit: etree._Element) -> ExchangeUnit:
        segment = unit.find(f"{{{XLIFF_NS}}}segment")
        if segment is None:
            raise FormatError(f"XLIFF unit {unit.get('id')} has no segment")
        source = segment.find(f"{{{XLIFF_NS}}}source")
        target = segment.find(f"{{{XLIFF_NS}}}target")
        src, tgt = pair_tokens(read_raw(source) if source is not None else [],
                               read_raw(target) if target is not None else [])
        notes = {n.get("category", ""): (n.text or "") for n in unit.iter(f"{{{XLIFF_NS}}}note")}
        flags = [f for f in notes.get("qa", "").split("\n") if f]
        score = notes.get("score", "")
        return ExchangeUnit(
            id=unit.get("id", ""), source=to_display(src), target=to_display(tgt),
            origin=notes.get("origin", ""), score=int(score) if score.isdigit() else None,
            state=STATE_FROM_XLIFF.get(segment.get("state", "initial"), "draft"),
            flags=flags, comment=notes.get("comment", ""))

    def serialize(self) -> bytes:
        root = etree.Element(f"{{{XLIFF_NS}}}xliff", nsmap={None: XLIFF_NS}, version="2.0",
                             srcLang=self.source_lang, trgLang=self.target_lang)
        file_element = etree.SubElement(root, f"{{{XLIFF_NS}}}file", id="f1",
                                        original=str(self.meta.get("original", "document")))
        if self.meta.get("source_sha256"):
            holder = etree.SubElement(file_element, f"{{{XLIFF_NS}}}notes")
            etree.SubElement(holder, f"{{{XLIFF_NS}}}note", category="source_sha256").text = \
                str(self.meta["source_sha256"])
        for unit in self.units:
            element = etree.SubElement(file_element, f"{{{XLIFF_NS}}}unit", id=unit.id)
            element.tail = "\n"
            notes = {"origin": unit.origin, "qa": "\n".join(unit.flags),
                     "comment": unit.comment,
                     "score": "" if unit.score is None else str(unit.score)}
            if any(notes.values()):
                holder = etree.SubElement(element, f"{{{XLIFF_NS}}}notes")
                for category, text in notes.items():
                    if text:
                        etree.SubElement(holder, f"{{{XLIFF_NS}}}note",
                                         category=category).text = text
            _original_data(element, unit)
            segment = etree.SubElement(element, f"{{{XLIFF_NS}}}segment",
                                       state=STATE_TO_XLIFF.get(unit.state, "initial"))
            write_xliff(etree.SubElement(segment, f"{{{XLIFF_NS}}}source"), unit.source,
                        XLIFF_NS, unit.codes)
            if unit.target:
                write_xliff(etree.SubElement(segment, f"{{{XLIFF_NS}}}target"), unit.target,
                            XLIFF_NS, unit.codes)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
