"""Word files and LibreOffice: documents LibreOffice wrote give the same tags as Word's (it
gives plain runs an empty ``<w:rPr></w:rPr>`` where Word writes none, and an empty
run-properties element is not formatting), and our English translation, rendered to PDF by
LibreOffice, shows no markers and no Cyrillic."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from fakes.mt_server import FakeMTServer
from lxml import etree
from pypdf import PdfReader

from contestflow.assembly.pdf import to_pdf
from contestflow.db.session import session_scope
from contestflow.translation.docx.document import DocxDocument
from contestflow.translation.docx.extract import extract_paragraph
from contestflow.translation.docx.package import W
from contestflow.translation.engine import translate_document
from contestflow.translation.inline import DISPLAY_RE, WIRE_RE, to_display
from contestflow.translation.mt import make_provider

PLAIN_FORMS = ("", "<w:rPr></w:rPr>", "<w:rPr/>", "<w:rPr>\n  </w:rPr>",
               '<w:rPr><w:lang w:val="ru-RU"/></w:rPr>', '<w:rPr w:rsidR="00A1"></w:rPr>')


def _paragraph(plain_rpr: str) -> etree._Element:
    runs = (f"<w:r>{plain_rpr}<w:t xml:space=\"preserve\">Проект объединяет жителей и </w:t></w:r>"
            "<w:r><w:rPr><w:i/></w:rPr><w:t>казачьи общества</w:t></w:r>"
            f"<w:r>{plain_rpr}<w:t xml:space=\"preserve\"> в общем деле.</w:t></w:r>")
    return etree.fromstring(f'<w:p xmlns:w="{W}">{runs}</w:p>')


@pytest.mark.parametrize("plain_rpr", PLAIN_FORMS)
def test_an_empty_run_properties_element_is_not_formatting(plain_rpr: str) -> None:
    extracted = extract_paragraph(_paragraph(plain_rpr))
    assert to_display(extracted.tokens) == (
        "Проект объединяет жителей и {1}казачьи общества{/1} в общем деле.")
    [code] = extracted.codes.values()
    assert code.rpr is not None and code.rpr.find(f"{{{W}}}i") is not None


def test_plain_runs_of_both_kinds_in_one_paragraph_are_one_text() -> None:
    runs = ('<w:r><w:t xml:space="preserve">Город </w:t></w:r>'
            '<w:r><w:rPr></w:rPr><w:t xml:space="preserve">Ставрополь </w:t></w:r>'
            '<w:r><w:rPr><w:b/></w:rPr><w:t>вновь</w:t></w:r>'
            '<w:r><w:rPr/><w:t xml:space="preserve"> участвует.</w:t></w:r>')
    extracted = extract_paragraph(etree.fromstring(f'<w:p xmlns:w="{W}">{runs}</w:p>'))
    assert to_display(extracted.tokens) == "Город Ставрополь {1}вновь{/1} участвует."


def _word_document() -> bytes:
    document = docx.Document()
    paragraph = document.add_paragraph("Проект объединяет жителей города и ")
    paragraph.add_run("казачьи общества").italic = True
    paragraph.add_run(" в общем деле. Его ")
    paragraph.add_run("поддержали").bold = True
    paragraph.add_run(" 12 организаций.")
    document.add_paragraph().add_run("Весь абзац курсивом, без обычных слов.").italic = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_and_word_documents_give_the_same_tags(tmp_path: Path) -> None:
    word = tmp_path / "word.docx"
    word.write_bytes(_word_document())
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}",
                    "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                    str(tmp_path / "lo"), str(word)], check=True, capture_output=True,
                   timeout=120)
    written = (tmp_path / "lo" / "word.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(written)) as package:
        body = package.read("word/document.xml")
    assert b"<w:rPr></w:rPr><w:t" in body  # what this test is about
    from_word = [s.display for s in DocxDocument.load(word.read_bytes(), "ru").segments]
    from_libreoffice = [s.display for s in DocxDocument.load(written, "ru").segments]
    assert from_libreoffice == from_word
    assert "Проект объединяет жителей города и {1}казачьи общества{/1} в общем деле." in from_word
    # Written back, the italic stays on the same words.
    document = DocxDocument.load(written, "ru")
    again = DocxDocument.load(document.render({}, "en"), "ru")
    assert [s.display for s in again.segments] == from_word


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_english_translation_renders_with_no_markers_and_no_cyrillic(
        sqlite_url: str, fake_mt: FakeMTServer, full_docx: bytes) -> None:
    with session_scope(sqlite_url) as session:
        outcome = translate_document(session, full_docx, source_lang="ru", target_lang="en",
                                     provider=make_provider("libre", url=fake_mt.url))
    assert outcome.stats["untranslated"] == 0
    pdf = to_pdf(outcome.output)
    assert pdf is not None
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Stavropol" in text  # the fake service's English is there
    assert not DISPLAY_RE.search(text) and not WIRE_RE.search(text), text
    assert not re.search("[А-Яа-яЁё]", text), text
