"""Application forms: the shipped templates are what the definitions build, the catalog refuses
a template that asks for what the definition lacks, and a filled form keeps each section's
formatting, in the organiser's order, the same bytes every time."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.shared import OxmlElement, qn

import contestflow.catalog as catalog_module
from contestflow.assembly.form import SectionContent, render_form
from contestflow.assembly.formtemplates import expected_templates
from contestflow.catalog import CatalogError, load_catalog
from contestflow.identity import city
from schemas import CONTESTS_DIR, FORMS_DIR

DEPARTMENTS = [d.id for d in city().departments]
CATALOG = load_catalog(known_departments=DEPARTMENTS)
UCLG = CATALOG.get("uclg-culture21")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_every_contest_ships_its_form_and_the_files_are_what_the_definitions_build() -> None:
    expected = expected_templates(list(CATALOG))
    assert {d.id for d in CATALOG if d.form} == {d.id for d in CATALOG}
    for name, data in expected.items():
        assert (FORMS_DIR / name).read_bytes() == data, f"{name} is stale: run `make forms`"
    assert sorted(p.name for p in FORMS_DIR.glob("*.docx")) == sorted(expected)


def _catalog_with(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: bytes) -> None:
    forms = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, forms)
    (forms / "uclg-culture21.en.docx").write_bytes(template)
    monkeypatch.setattr(catalog_module, "FORMS_DIR", forms)


def test_a_template_expecting_what_the_definition_lacks_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = Document(io.BytesIO((FORMS_DIR / "uclg-culture21.en.docx").read_bytes()))
    document.add_paragraph("{{ treasurer_signature }}")
    buffer = io.BytesIO()
    document.save(buffer)
    _catalog_with(tmp_path, monkeypatch, buffer.getvalue())
    with pytest.raises(CatalogError, match=r"uclg-culture21\.en\.docx: expects "
                                           r"treasurer_signature, which uclg-culture21\.yaml "
                                           r"does not provide"):
        load_catalog(CONTESTS_DIR, DEPARTMENTS)


def test_a_missing_template_names_the_definition_and_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "FORMS_DIR", tmp_path / "nothing-here")
    with pytest.raises(CatalogError, match=r"ero-children-drawing\.yaml: form\.templates\.ru: "
                                           r"the template .* is missing .*make forms"):
        load_catalog(CONTESTS_DIR, DEPARTMENTS)


def _section_document(heading: str, words: str) -> bytes:
    """A department's Word file: its own heading, then bold, italic and a link."""
    document = Document()
    document.add_heading(heading, level=1)
    paragraph = document.add_paragraph(f"{words} ")
    paragraph.add_run("bold words").bold = True
    paragraph.add_run(" and ")
    paragraph.add_run("italic words").italic = True
    paragraph.add_run(" and ")
    rel = paragraph.part.relate_to("https://agenda21culture.net",
                                   RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "the award's site"
    run.append(text)
    link.append(run)
    paragraph._p.append(link)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _filled() -> bytes:
    sections = {
        section.item: SectionContent(docx=_section_document(section.title.en,
                                                            f"Text of {section.item}."))
        for section in UCLG.form.sections if not UCLG.item(section.item).structured
    }
    sections["mayor-details"] = SectionContent(values={"name": "Ivan Ivanov",
                                                       "phone": "+7 8652 00-00-00"})
    sections["local-actions"] = SectionContent(attached="local-actions-en.pdf")
    return render_form(UCLG, edition="2028", nomination="", government="Stavropol City "
                       "Administration", language="en", sections=sections)


def test_the_filled_form_keeps_order_formatting_and_fields() -> None:
    document = Document(io.BytesIO(_filled()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [f"{s.number} {s.title.en}" for s in UCLG.form.sections]
    texts = [p.text for p in document.paragraphs]
    assert "Text of brief-description. bold words and italic words and the award's site" in texts
    assert "See the attached file local-actions-en.pdf." in texts
    # The department's own heading gave way to the form's: each section title stands once.
    assert texts.count("1.2 Brief description") == 1 and "Brief description" not in texts
    body = document.element.body
    bold = [r for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}b") is not None]
    italic = [r for r in body.iter(f"{W}r") if r.find(f"{W}rPr/{W}i") is not None]
    assert {"".join(t.text for t in r.iter(f"{W}t")) for r in bold} >= {"bold words"}
    assert {"".join(t.text for t in r.iter(f"{W}t")) for r in italic} >= {"italic words"}
    links = list(body.iter(f"{W}hyperlink"))
    assert links and all("".join(t.text for t in link.iter(f"{W}t")) == "the award's site"
                         for link in links)
    rel_ids = {link.get(qn("r:id")) for link in links}
    targets = {document.part.rels[r].target_ref for r in rel_ids}
    assert targets == {"https://agenda21culture.net"}
    mayor = next(t for t in document.tables if t.cell(0, 0).text == "Name")
    assert mayor.cell(0, 1).text == "Ivan Ivanov" and mayor.cell(1, 1).text == "—"
    assert mayor.cell(5, 1).text == "+7 8652 00-00-00"


def test_filling_the_form_twice_gives_the_same_bytes() -> None:
    assert _filled() == _filled()
