"""The application form templates (schemas/forms/*.docx), built from the contest definitions.

Each template is a Word file with docxtpl (Jinja2) tags: the organiser's sections in the
organiser's order and numbering, a ``{{p item }}`` paragraph where an item's translated text
goes (with its bold, italics and links), and a table of ``{{ item.field }}`` cells for a
structured item (the mayor's details). Built by code so they can be rebuilt and reviewed:
``make forms`` (``python -m contestflow.assembly.formtemplates``) writes them, and a test
keeps the shipped files equal to what this module builds.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from schemas import CONTESTS_DIR, FORMS_DIR
from schemas.contest import ContestDefinition, FormSection

FIXED_TIME = (2000, 1, 1, 0, 0, 0)
HEADINGS = {
    "en": ("Application form", "Edition", "Applicant government", "Filled in by"),
    "ru": ("Заявка", "Выпуск", "Заявитель", "Заполнено"),
    "fr": ("Formulaire de candidature", "Édition", "Gouvernement candidat", "Rempli par"),
    "es": ("Formulario de candidatura", "Edición", "Gobierno candidato", "Completado por"),
}


def template_bytes(definition: ContestDefinition, language: str) -> bytes:
    """The template for ``definition``'s form in ``language``, the same bytes every time."""
    assert definition.form is not None
    title, edition, government, _ = HEADINGS.get(language, HEADINGS["en"])
    names = definition.names.ru if language == "ru" else definition.names.en
    document = Document()
    properties = document.core_properties
    properties.title, properties.language = f"{title}: {names}", _locale(language)
    properties.author = properties.last_modified_by = "contestflow"
    properties.created = properties.modified = dt.datetime(2000, 1, 1)
    properties.revision = 1
    heading = document.add_heading(names, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.add_paragraph(f"{title} · {edition}: {{{{ edition }}}}"
                           "{% if nomination %} · {{ nomination }}{% endif %}")
    document.add_paragraph(f"{government}: {{{{ government }}}}")
    for section in definition.form.sections:
        _section(document, definition, section, language)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def _section(document: object, definition: ContestDefinition, section: FormSection,
             language: str) -> None:
    item = definition.item(section.item)
    title = section.title.ru if language == "ru" else section.title.en
    document.add_heading(f"{section.number} {title}", level=1)  # type: ignore[attr-defined]
    if not item.structured:
        document.add_paragraph(f"{{{{p {item.variable} }}}}")  # type: ignore[attr-defined]
        return
    table = document.add_table(rows=0, cols=2)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    for spec in item.fields:
        cells = table.add_row().cells
        cells[0].text = spec.title.ru if language == "ru" else spec.title.en
        cells[1].text = f"{{{{ {item.variable}.{spec.id} }}}}"


def _locale(language: str) -> str:
    return {"en": "en-GB", "ru": "ru-RU", "fr": "fr-FR", "es": "es-ES"}[language]


def normalise_zip(data: bytes) -> bytes:
    """The same Word file with fixed timestamps on its parts, so equal content is equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), source.read(info),
                            zipfile.ZIP_DEFLATED)
    return out.getvalue()


def expected_templates(definitions: list[ContestDefinition]) -> dict[str, bytes]:
    """Every shipped template's file name and the bytes it must have."""
    return {name: template_bytes(d, language)
            for d in definitions if d.form is not None
            for language, name in d.form.templates.items()}


def main(folder: Path = FORMS_DIR) -> int:
    from contestflow.catalog import load_catalog
    from contestflow.identity import city

    catalog = load_catalog(CONTESTS_DIR, [d.id for d in city().departments], forms=False)
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in sorted(expected_templates(list(catalog)).items()):
        (folder / name).write_bytes(data)
        print(f"{folder / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
