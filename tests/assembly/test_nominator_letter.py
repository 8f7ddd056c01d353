"""The draft letter for the nominating party speaks the party's language, its proofing
language included (Word spell-checks by the styles' ``w:lang``)."""

from __future__ import annotations

import io
import re
import zipfile
from types import SimpleNamespace

import pytest
from docx import Document

from contestflow.assembly.nominator_letter import nominator_letter
from contestflow.catalog import load_catalog
from contestflow.identity import city


@pytest.mark.parametrize(("language", "locale", "words"), [
    ("ru", "ru-RU", "выдвигает"), ("en", "en-US", "nominates")])
def test_the_letter_is_written_and_declared_in_the_partys_language(
        language: str, locale: str, words: str) -> None:
    definition = load_catalog(known_departments=[d.id for d in city().departments]).get(
        "unhabitat-scroll")
    context = SimpleNamespace(
        definition=definition, edition=definition.edition("2027"), language="en",
        nomination="", nominator="Союз городов", nominator_contact="И. Петров",
        nominator_email="petrov@union.example", nominator_language=language)
    name, data, said = nominator_letter(context)  # type: ignore[arg-type, misc]
    assert (name, said) == (f"draft-letter-for-the-nominating-party.{language}.docx", language)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert words in text and "%(" not in text
    archive = zipfile.ZipFile(io.BytesIO(data))
    declared = set(re.findall(r'<w:lang w:val="([^"]+)"', archive.read("word/styles.xml").decode()))
    assert declared == {locale}
    assert f"<dc:language>{locale}</dc:language>" in archive.read("docProps/core.xml").decode()
