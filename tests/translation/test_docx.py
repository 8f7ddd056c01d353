"""Extract → merge on a realistic document, checked element by element, not just its text."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from lxml import etree

from contestflow.translation.docx.document import DocxDocument
from contestflow.translation.errors import DocumentError
from contestflow.translation.inline import Token

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R, "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def upper(tokens: list[Token]) -> list[Token]:
    return [t.upper() if isinstance(t, str) else t for t in tokens]


@pytest.fixture(scope="module")
def translated(full_docx: bytes) -> dict[str, etree._Element]:
    document = DocxDocument.load(full_docx, "ru")
    output = document.render({s.id: upper(s.tokens) for s in document.segments}, "en")
    archive = zipfile.ZipFile(io.BytesIO(output))
    parts = {name: etree.fromstring(archive.read(name)) for name in archive.namelist()
             if name.startswith("word/") and name.endswith(".xml")}
    parts["__bytes__"] = output  # type: ignore[assignment]
    return parts


def paragraph_with(root: etree._Element, text: str) -> etree._Element:
    for paragraph in root.iter(f"{{{W}}}p"):
        if text in "".join(paragraph.itertext()):
            return paragraph
    raise AssertionError(f"no paragraph holds {text!r}")


def runs(paragraph: etree._Element) -> list[tuple[str, etree._Element]]:
    return [("".join(r.xpath("w:t/text()", namespaces=NS)), r)
            for r in paragraph.iter(f"{{{W}}}r")]


def test_every_story_is_extracted(full_docx: bytes) -> None:
    ids = [s.id for s in DocxDocument.load(full_docx, "ru").segments]
    stories = {i.split(":")[0] for i in ids}
    assert stories == {"body", "header1", "footer1", "footnotes", "endnotes"}
    texts = [s.text for s in DocxDocument.load(full_docx, "ru").segments]
    for expected in ("Вложенная таблица", "Текст во врезке о побратимах.",
                     "Краткое описание практики в элементе управления.",
                     "Решение Ставропольской городской Думы от 12 мая 2019 г."):
        assert expected in texts


def test_markers_stand_for_formatting_links_fields_and_notes(full_docx: bytes) -> None:
    by_text = {s.text[:12]: s for s in DocxDocument.load(full_docx, "ru").segments}
    assert by_text["Город Ставро"].display.count("{/") == 3
    assert by_text["Подробности "].labels == {1: "link"}
    assert set(by_text["Проект реали"].labels.values()) == {"footnote", "endnote"}
    assert set(by_text["Дата составл"].labels.values()) == {"field"}
    assert by_text["Первая строк"].labels == {1: "line break", 2: "tab", 3: "page break"}
    field = by_text["Дата составл"]
    assert "DATE" not in field.display, "field codes never go to translation"


def test_word_split_over_runs_comes_back_whole(translated: dict) -> None:
    paragraph = paragraph_with(translated["word/document.xml"], "ДЕЛЕГАЦИЯ")
    assert [text for text, _ in runs(paragraph)] == ["ДЕЛЕГАЦИЯ СТАВРОПОЛЬЯ ПОСЕТИЛА ФОРУМ."]
    assert not paragraph.findall(f"{{{W}}}proofErr")


def test_bold_italic_underline_stay_on_their_words(translated: dict) -> None:
    paragraph = paragraph_with(translated["word/document.xml"], "ПРАКТИКУ")
    styled = {text: [c.tag.split("}")[1] for c in r.find(f"{{{W}}}rPr")]
              for text, r in runs(paragraph)}
    assert styled["ПРАКТИКУ"][0] == "b"
    assert styled["2019 Г."][0] == "i"
    assert styled["ПОДДЕРЖАН"][0] == "u"
    assert styled[" ЖИТЕЛЯМИ."] == ["lang"]


def test_hyperlink_text_translated_address_kept(translated: dict) -> None:
    paragraph = paragraph_with(translated["word/document.xml"], "ПОДРОБНОСТИ")
    link = paragraph.find(f"{{{W}}}hyperlink")
    assert "".join(link.itertext()) == "САЙТЕ АДМИНИСТРАЦИИ"
    rels = zipfile.ZipFile(io.BytesIO(translated["__bytes__"])).read(
        "word/_rels/document.xml.rels").decode()
    assert link.get(f"{{{R}}}id") in rels and "https://stavropol.ru/" in rels


def test_breaks_and_tabs_in_place(translated: dict) -> None:
    paragraph = paragraph_with(translated["word/document.xml"], "ПЕРВАЯ")
    sequence = []
    for run in paragraph.iter(f"{{{W}}}r"):
        for child in run:
            if child.tag == f"{{{W}}}t":
                sequence.append(child.text)
            elif child.tag != f"{{{W}}}rPr":
                sequence.append(child.tag.split("}")[1] + (child.get(f"{{{W}}}type") or ""))
    assert sequence == ["ПЕРВАЯ СТРОКА.", "br", "ВТОРАЯ СТРОКА", "tab", "ПОСЛЕ ТАБУЛЯЦИИ.",
                        "brpage", "НОВАЯ СТРАНИЦА."]


def test_footnote_and_endnote_references_survive(translated: dict) -> None:
    body = translated["word/document.xml"]
    paragraph = paragraph_with(body, "БЮДЖЕТА")
    refs = [e.tag.split("}")[1] for e in paragraph.iter(f"{{{W}}}footnoteReference",
                                                          f"{{{W}}}endnoteReference")]
    assert refs == ["footnoteReference", "endnoteReference"]
    note = translated["word/footnotes.xml"]
    text = "".join(paragraph_with(note, "РЕШЕНИЕ").itertext())
    assert text == "РЕШЕНИЕ СТАВРОПОЛЬСКОЙ ГОРОДСКОЙ ДУМЫ ОТ 12 МАЯ 2019 Г."
    assert note.find(".//w:footnoteRef", NS) is not None
    assert "ПО ДАННЫМ" in "".join(translated["word/endnotes.xml"].itertext())


def test_fields_keep_their_codes(translated: dict) -> None:
    paragraph = paragraph_with(translated["word/document.xml"], "ДАТА")
    kinds = [e.get(f"{{{W}}}fldCharType") for e in paragraph.iter(f"{{{W}}}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    assert paragraph.find(".//w:instrText", NS).text == ' DATE \\@ "dd.MM.yyyy" '
    assert paragraph.find("w:fldSimple", NS).get(f"{{{W}}}instr") == " PAGE "


def test_bookmark_content_control_and_picture(translated: dict) -> None:
    body = translated["word/document.xml"]
    heading = paragraph_with(body, "ЦЕЛИ УСТОЙЧИВОГО")
    assert heading.find("w:bookmarkStart", NS).get(f"{{{W}}}name") == "_Toc1"
    assert heading.find("w:bookmarkEnd", NS) is not None
    control = paragraph_with(body, "ОТВЕТСТВЕННЫЙ").find("w:sdt", NS)
    assert control.find("w:sdtPr/w:tag", NS).get(f"{{{W}}}val") == "responsible"
    assert "".join(control.find("w:sdtContent", NS).itertext()) == \
        "НАЧАЛЬНИК ОТДЕЛА МЕЖДУНАРОДНЫХ СВЯЗЕЙ"
    assert len(body.findall(".//a:blip", NS)) == 1
    block = body.find("w:body/w:sdt", NS)
    assert "КРАТКОЕ ОПИСАНИЕ" in "".join(block.itertext())


def test_text_box_translated_in_both_renderings(translated: dict) -> None:
    body = translated["word/document.xml"]
    boxes = body.findall(".//w:txbxContent", NS)
    assert len(boxes) == 2
    assert all("".join(b.itertext()) == "ТЕКСТ ВО ВРЕЗКЕ О ПОБРАТИМАХ." for b in boxes)
    outer = paragraph_with(body, "ВРЕЗКА")
    assert outer.find(".//mc:AlternateContent", NS) is not None


def test_tables_nested_tables_headers_footers(translated: dict) -> None:
    body = translated["word/document.xml"]
    nested = body.findall(".//w:tbl//w:tbl", NS)
    assert "ВЛОЖЕННАЯ ТАБЛИЦА" in "".join(nested[0].itertext())
    assert "АДМИНИСТРАЦИЯ ГОРОДА СТАВРОПОЛЯ" in "".join(translated["word/header1.xml"]
                                                        .itertext())
    assert "ОТДЕЛ МЕЖДУНАРОДНЫХ" in "".join(translated["word/footer1.xml"].itertext())


def test_proofing_language_follows_the_translation(translated: dict) -> None:
    paragraph = paragraph_with(translated["word/document.xml"], "ДЕЛЕГАЦИЯ")
    assert {e.get(f"{{{W}}}val") for e in paragraph.iter(f"{{{W}}}lang")} == {"en-US"}


def test_output_opens_in_python_docx(translated: dict) -> None:
    opened = docx.Document(io.BytesIO(translated["__bytes__"]))
    assert opened.paragraphs[0].text == "ЗАЯВКА ГОРОДА СТАВРОПОЛЯ НА ПРЕМИЮ «КУЛЬТУРА 21»"


def test_untouched_render_reproduces_the_text(full_docx: bytes) -> None:
    first = DocxDocument.load(full_docx, "ru")
    again = DocxDocument.load(first.render({}, "en"), "ru")
    assert [s.display for s in again.segments] == [s.display for s in first.segments]


def test_literal_text_that_looks_like_a_marker_is_not_a_marker() -> None:
    from samples import build_simple_document

    document = DocxDocument.load(build_simple_document(["Пункт {1} и <2/> в тексте."]), "ru")
    (segment,) = document.segments
    assert segment.labels == {1: "text", 2: "text"}
    output = DocxDocument.load(document.render({segment.id: segment.tokens}, "en"), "ru")
    assert output.segments[0].text == "Пункт  и  в тексте."
    assert "Пункт {1} и <2/> в тексте." in docx.Document(
        io.BytesIO(document.render({}, "en"))).paragraphs[0].text


@pytest.mark.parametrize("data", [b"not a zip", b"PK\x03\x04broken"])
def test_refuses_what_is_not_a_docx(data: bytes) -> None:
    with pytest.raises(DocumentError):
        DocxDocument.load(data, "ru")


def test_refuses_a_dtd_in_a_part(full_docx: bytes) -> None:
    source = zipfile.ZipFile(io.BytesIO(full_docx))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name in source.namelist():
            content = source.read(name)
            if name == "word/document.xml":
                content = content.replace(b"?>", b'?><!DOCTYPE x [<!ENTITY a "b">]>', 1)
            target.writestr(name, content)
    with pytest.raises(DocumentError, match="DTD"):
        DocxDocument.load(buffer.getvalue(), "ru")
