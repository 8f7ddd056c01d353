"""A translated file says of itself that it is in the target language: its properties (title,
subject, keywords) translated, dc:language and the styles' proofing language set, its Word
comments translated; a sentence boundary inside bold text or a link is two segments."""

from __future__ import annotations

import io

import docx
from docx.oxml.ns import qn
from fakes.mt_server import FakeMTServer

from contestflow.assembly.docxfacts import document_text, metadata_languages
from contestflow.db.session import session_scope
from contestflow.translation.docx.document import DocxDocument
from contestflow.translation.engine import translate_document
from contestflow.translation.mt import MTPolicy, make_provider
from contestflow.translation.records import TranslateOptions
from demo.samples import add_hyperlink

FAST = MTPolicy(read_timeout=2.0, connect_timeout=1.0, backoff_base=0.02, backoff_max=0.1)


def _russian_document() -> bytes:
    document = docx.Document()
    properties = document.core_properties
    properties.title, properties.subject = "Проект города", "Культура города"
    # (not keywords: once docxtpl is imported, docxcompose re-binds python-docx's "cp" prefix
    # and core_properties.keywords lands in another namespace)
    properties.comments, properties.language = "Проект; культура", "ru-RU"
    for lang in document.styles.element.iter(qn("w:lang")):
        lang.set(qn("w:val"), "ru-RU")
    paragraph = document.add_paragraph("Город реализует проект. ")
    properties_of_mark = paragraph._p.get_or_add_pPr()
    mark = properties_of_mark.makeelement(qn("w:rPr"), {})
    mark.append(mark.makeelement(qn("w:lang"), {qn("w:val"): "ru-RU"}))
    properties_of_mark.append(mark)
    bold = paragraph.add_run("Проект поддержан. Культура для всех")
    bold.bold = True
    paragraph.add_run(" жителями города.")
    document.add_comment([bold], text="Проверьте проект", author="Редактор")
    linked = document.add_paragraph("Подробности на ")
    add_hyperlink(linked, "сайте. Подробности в отчёте", "https://stavropol.ru/")
    linked.add_run(" администрации.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_sentences_are_split_inside_bold_text_and_links() -> None:
    document = DocxDocument.load(_russian_document(), "ru")
    body = [s.display for s in document.segments if s.id.startswith("body:")]
    assert body == ["Город реализует проект.", "Проект поддержан.",
                    "{1}Культура для всех{/1}{2/} жителями города.",
                    "Подробности на {1}сайте.{/1}",
                    "{1}Подробности в отчёте{/1} администрации."]
    assert [s.text for s in document.segments if s.id.startswith("comments:")] == [
        "Проверьте проект"]
    # What a reader counts: the text, not the title or the comments.
    assert "Проверьте" not in document_text(_russian_document(), "a.docx")


def test_the_english_file_declares_english_and_translates_its_properties(
        sqlite_url: str, fake_mt: FakeMTServer) -> None:
    source = _russian_document()
    assert {lang[:2] for lang in metadata_languages(source)} == {"ru"}
    with session_scope(sqlite_url) as session:
        outcome = translate_document(session, source, source_lang="ru", target_lang="en",
                                     provider=make_provider("libre", url=fake_mt.url),
                                     options=TranslateOptions(policy=FAST))
    output = outcome.output
    assert set(metadata_languages(output)) == {"en-US"}
    body = DocxDocument.load(output, "en").package.stories[0].root
    assert {lang.get(qn("w:val")) for lang in body.iter(qn("w:lang"))} == {"en-US"}
    document = docx.Document(io.BytesIO(output))
    properties = document.core_properties
    assert (properties.title, properties.subject, properties.comments) == (
        "Project city", "Culture city", "Project; culture")
    assert properties.language == "en-US"
    assert [c.text for c in document.comments] == ["Proverte project"]
    paragraph = document.paragraphs[0]
    assert [(r.text, r.bold) for r in paragraph.runs if r.bold] == [
        ("Project supported.", True), ("Culture for all", True)]
    links = list(document.element.body.iter(qn("w:hyperlink")))
    assert ["".join(t.text for t in link.iter(qn("w:t"))) for link in links] == [
        "website.", "Details in report"]
    assert len({link.get(qn("r:id")) for link in links}) == 1


def test_only_formatting_and_links_are_cut_at_a_sentence_boundary() -> None:
    from contestflow.translation.docx.regions import split_pairs_at_sentences
    from contestflow.translation.inline import parse_display, to_display

    text = "Один. Два."
    spans = [(0, 5), (6, 10)]
    clones: list[int] = []

    def clone(code_id: int) -> int:
        clones.append(code_id)
        return 10 + len(clones)

    def cut(display: str, splittable: bool = True) -> str:
        tokens = parse_display(display)
        assert "".join(t for t in tokens if isinstance(t, str)) == text
        return to_display(split_pairs_at_sentences(tokens, spans, lambda _: splittable, clone))

    assert cut("{1}Один. Два.{/1}") == "{1}Один.{/1} {11}Два.{/11}"
    assert cut("{1}Один. {/1}Два.") == "{1}Один.{/1} Два."  # it ended between the sentences
    assert cut("О{1}дин. Д{2}в{/2}а.{/1}") == "О{1}дин.{/1} {12}Д{2}в{/2}а.{/12}"
    assert cut("{1}Один. Два.{/1}", splittable=False) == "{1}Один. Два.{/1}"
    assert cut("Один. {1}Два.{/1}") == "Один. {1}Два.{/1}"
