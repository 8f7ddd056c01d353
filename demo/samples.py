"""Write the demo's sample Word documents and the department's translation memory.

``build_samples`` writes one Russian .docx per item of the Culture 21 Award from
:mod:`demo.sample_texts`: headings, bold and italic runs, a real ``w:hyperlink``,
field / value tables, a running header and a PAGE field in the footer, as Word writes them.

``build_translation_memory`` writes the TMX 1.4b file the culture and youth policy committee
kept from the 2020 bid: every sentence pair of the samples except those written this year.
``reviewer_translations`` gives the English a reviewer types for those new sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from lxml import etree

from demo.sample_texts import (
    DOCUMENTS,
    HEADER,
    Link,
    Paragraph,
    SampleDocument,
    Sentence,
    Table,
    all_sentences,
)

TMX_CREATED = "20200316T090000Z"  # the 2020 bid went out two days before the 18 March deadline
TMX_NOTE = ("Stavropol city administration, culture and youth policy committee: bid for the "
            'International Award "UCLG – Mexico City – Culture 21", 2020.')
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FONT = "Times New Roman"
ALIGNMENTS = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def sample_file_name(item_id: str) -> str:
    return f"{item_id}.docx"


def build_samples(out_dir: Path) -> dict[str, Path]:
    """Write one Russian .docx per item into ``out_dir``; returns item id -> path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for item_id, sample in DOCUMENTS.items():
        path = out_dir / sample_file_name(item_id)
        write_document(sample, path)
        paths[item_id] = path
    return paths


def write_document(sample: SampleDocument, path: Path) -> None:
    document = Document()
    _set_up_styles(document)
    _set_up_page(document)
    properties = document.core_properties
    properties.author = HEADER.ru
    properties.language = "ru-RU"
    properties.title = sample.paragraphs[0].ru if sample.paragraphs else sample.item_id
    for block in sample.blocks:
        if isinstance(block, Table):
            _add_table(document, block)
        elif block.heading:
            document.add_heading(block.ru, level=block.heading)
        else:
            _add_paragraph(document, block)
    document.save(str(path))


# --- styles, header and footer -------------------------------------------------------------


def _set_up_styles(document: DocumentObject) -> None:
    """Times New Roman, Russian proofing language, black headings: a committee's house style."""
    normal = document.styles["Normal"]
    normal.font.size = Pt(13)
    _use_font(normal.element.get_or_add_rPr())
    for level in (1, 2):
        heading = document.styles[f"Heading {level}"]
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.font.size = Pt(15 - level)
        _use_font(heading.element.get_or_add_rPr())


def _use_font(rpr: etree._Element) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        del fonts.attrib[attribute]  # theme fonts would win over the named font
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    _set_language(rpr, "ru-RU")


def _set_language(rpr: etree._Element, locale: str) -> None:
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), locale)
    lang.set(qn("w:eastAsia"), locale)


def _set_up_page(document: DocumentObject) -> None:
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.text = HEADER.ru
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_page_field(footer)


def add_page_field(paragraph: DocxParagraph) -> None:
    """A complex PAGE field (begin, instruction, separate, cached result, end), as Word writes."""
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None),
                       ("result", "1"), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        elif kind == "result":
            run.text = text or ""
        else:
            character = OxmlElement("w:fldChar")
            character.set(qn("w:fldCharType"), kind)
            run._r.append(character)


# --- body ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Piece:
    text: str
    bold: bool = False
    italic: bool = False
    link: Link | None = None


def sentence_pieces(sentence: Sentence) -> list[_Piece]:
    """The Russian sentence cut at its bold, italic and link stretches."""
    marks: list[tuple[int, int, str, Link | None]] = []
    spans = [("bold", span.ru, None) for span in sentence.bold]
    spans += [("italic", span.ru, None) for span in sentence.italic]
    if sentence.link is not None:
        spans.append(("link", sentence.link.ru, sentence.link))
    for kind, text, link in spans:
        start = sentence.ru.find(text)
        if start < 0:
            raise ValueError(f"{text!r} is not in {sentence.ru!r}")
        marks.append((start, start + len(text), kind, link))
    marks.sort(key=lambda mark: mark[0])
    pieces: list[_Piece] = []
    cursor = 0
    for start, end, kind, link in marks:
        if start < cursor:
            raise ValueError(f"overlapping formatting in {sentence.ru!r}")
        if start > cursor:
            pieces.append(_Piece(sentence.ru[cursor:start]))
        pieces.append(_Piece(sentence.ru[start:end], bold=kind == "bold",
                             italic=kind == "italic", link=link))
        cursor = end
    if cursor < len(sentence.ru):
        pieces.append(_Piece(sentence.ru[cursor:]))
    return pieces


def _paragraph_pieces(sentences: Iterable[Sentence]) -> list[_Piece]:
    pieces: list[_Piece] = []
    for index, sentence in enumerate(sentences):
        if index:
            pieces.append(_Piece(" "))
        pieces.extend(sentence_pieces(sentence))
    merged: list[_Piece] = []
    for piece in pieces:  # neighbouring pieces of one formatting make one run, as Word saves
        last = merged[-1] if merged else None
        if (last is not None and last.link is None and piece.link is None
                and (last.bold, last.italic) == (piece.bold, piece.italic)):
            merged[-1] = _Piece(last.text + piece.text, piece.bold, piece.italic)
        else:
            merged.append(piece)
    return merged


def _add_paragraph(document: DocumentObject, block: Paragraph) -> None:
    paragraph = document.add_paragraph(style=block.style)
    if block.align is not None:
        paragraph.alignment = ALIGNMENTS[block.align]
    for piece in _paragraph_pieces(block.sentences):
        if piece.link is not None:
            add_hyperlink(paragraph, piece.text, piece.link.url)
        else:
            run = paragraph.add_run(piece.text)
            if piece.bold:
                run.bold = True
            if piece.italic:
                run.italic = True


def add_hyperlink(paragraph: DocxParagraph, text: str, url: str) -> None:
    """A ``w:hyperlink`` whose ``r:id`` names an external relationship to ``url``."""
    relationship_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), relationship_id)
    hyperlink.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(color)
    rpr.append(underline)
    run.append(rpr)
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    hyperlink.append(run)
    paragraph._p.append(hyperlink)


def _add_table(document: DocumentObject, block: Table) -> None:
    table = document.add_table(rows=len(block.rows), cols=2)
    table.style = document.styles["Table Grid"]
    for cells, (field, value) in zip(table.rows, block.rows, strict=True):
        label = cells.cells[0].paragraphs[0]
        label.add_run(field.ru).bold = True
        cells.cells[1].paragraphs[0].add_run(value.ru)
    document.add_paragraph()  # Word keeps an empty paragraph between a table and what follows


# --- translation memory --------------------------------------------------------------------


def translation_memory_pairs() -> list[tuple[str, str]]:
    """The (Russian, English) pairs of the earlier year's memory, each source once, in order."""
    pairs: dict[str, str] = {}
    for sentence in all_sentences():
        if sentence.new:
            continue
        known = pairs.setdefault(sentence.ru, sentence.en)
        if known != sentence.en:
            raise ValueError(f"two translations for {sentence.ru!r}")
    return list(pairs.items())


def build_translation_memory(out_path: Path) -> int:
    """Write the TMX 1.4b memory from every sentence not new this year; returns the unit count."""
    root = etree.Element("tmx", version="1.4")
    header = etree.SubElement(root, "header", {
        "creationtool": "contestflow",
        "creationtoolversion": "0.1.0",
        "datatype": "plaintext",
        "segtype": "sentence",
        "adminlang": "en",
        "srclang": "ru",
        "o-tmf": "contestflow",
        "creationdate": TMX_CREATED,
    })
    etree.SubElement(header, "note").text = TMX_NOTE
    body = etree.SubElement(root, "body")
    pairs = translation_memory_pairs()
    for number, (russian, english) in enumerate(pairs, start=1):
        unit = etree.SubElement(body, "tu", tuid=str(number), creationdate=TMX_CREATED)
        for lang, text in (("ru", russian), ("en", english)):
            variant = etree.SubElement(unit, "tuv")
            variant.set(XML_LANG, lang)
            etree.SubElement(variant, "seg").text = text
    out_path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(root).write(str(out_path), encoding="UTF-8", xml_declaration=True,
                                  pretty_print=True)
    return len(pairs)


def reviewer_translations() -> dict[str, str]:
    """Each sentence new this year (absent from the memory) -> the English a reviewer types."""
    return {sentence.ru: sentence.en for sentence in all_sentences() if sentence.new}


def formatting_placements() -> dict[str, str]:
    """Sentences the memory knew only without their formatting (bold, italic, a link): the
    Russian source as the review page shows it -> the English with the formatting placed on
    the right words, as the reviewer types it there."""
    return {
        "Проект опирается на принципы {1}Повестки 21 для культуры{/1}: культурные права, "
        "участие жителей и связь культуры с устойчивым развитием города.":
            "The project follows the principles of the {1}Agenda 21 for culture{/1}: cultural "
            "rights, residents' participation and the link between culture and the sustainable "
            "development of the city.",
        "Основная цель проекта — сохранить и развить казачью культуру как {1}объединяющую "
        "основу{/1} многонационального городского сообщества.":
            "The main aim of the project is to preserve and develop Cossack culture as "
            "{1}a unifying basis{/1} of the multinational urban community.",
        "Главное событие проекта — ежегодный открытый фестиваль {1}«Казачье подворье»{/1}, "
        "который проходит в сентябре на ул. Ленина и в парке Победы.":
            "The main event of the project is the annual open festival {1}\"Cossack "
            "Farmstead\"{/1}, held every September on Lenin Street and in Victory Park.",
        "Принципы Повестки 21 для культуры, на которых основан проект, опубликованы на "
        "{1}сайте Комитета по культуре ОГМВ{/1}.":
            "The principles of the Agenda 21 for culture on which the project is based are "
            "published on the {1}website of the UCLG Committee on Culture{/1}.",
        "{1}Почти половину участников{/1} составляют жители, не относящие себя к казачеству.":
            "{1}Almost half of the participants{/1} are residents who do not consider "
            "themselves Cossacks.",
    }


def structured_entries() -> dict[str, dict[str, str]]:
    """What the departments type into the fields of the structured items, in English (the
    language the award is entered in), exactly as the presentation letter gives it."""
    from demo.sample_texts import (
        ADDRESS,
        CITY,
        COUNTRY,
        MAYOR_EMAIL,
        MAYOR_NAME,
        MAYOR_PHONE,
        MAYOR_POSITION,
        WEBSITE,
    )

    place = {"address": ADDRESS[1], "city": CITY[1], "country": COUNTRY[1]}
    return {
        "mayor-details": {"name": MAYOR_NAME[1], "position": MAYOR_POSITION[1], **place,
                          "phone": MAYOR_PHONE[1], "email": MAYOR_EMAIL[1],
                          "website": WEBSITE[1]},
        "bid-contact": {"name": "Maria Sergeyevna Petrova",
                        "position": "Chief specialist of the International and Interregional "
                                    "Relations Department", **place,
                        "phone": "+7 (8652) 00-00-01", "email": "intl@stavropol.example"},
    }
