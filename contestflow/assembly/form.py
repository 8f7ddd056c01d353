"""Filling in the organiser's application form from a submission's items.

Each text item goes into its section as it is (translated), with its bold, italics and links,
through docxtpl's sub-documents; a structured item fills its table of fields. A section whose
item is not a Word file refers to the file that travels beside the form. The result has fixed
timestamps, so the same items give the same bytes.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass

from docx import Document
from docxtpl import DocxTemplate

from contestflow.assembly.formtemplates import normalise_zip
from schemas import FORMS_DIR
from schemas.contest import ContestDefinition

NOT_YET = {"ru": "— (ещё не прислано)", "en": "— (not yet provided)"}
SEE_FILE = {"ru": "См. приложенный файл {name}.", "en": "See the attached file {name}."}
SEE_FILES = {"ru": "См. приложенные файлы: {name}.", "en": "See the attached files: {name}."}


@dataclass(frozen=True)
class SectionContent:
    """What fills one section: a Word file, a structured item's values, or a file beside."""

    docx: bytes | None = None
    values: dict[str, str] | None = None
    attached: str = ""  # the name of the file that travels beside the form instead


def form_name(definition: ContestDefinition, edition_key: str, language: str) -> str:
    return f"{definition.id}-{edition_key}-application-form-{language}.docx"


def render_form(definition: ContestDefinition, *, edition: str, nomination: str,
                government: str, language: str,
                sections: dict[str, SectionContent]) -> bytes:
    """The organiser's form in ``language``, each section filled from ``sections`` (by item)."""
    assert definition.form is not None
    template = DocxTemplate(FORMS_DIR / definition.form.templates[language])
    words = "ru" if language == "ru" else "en"
    context: dict[str, object] = {
        "contest": definition.names.ru if language == "ru" else definition.names.en,
        "edition": edition, "nomination": nomination, "government": government,
    }
    for section in definition.form.sections:
        item = definition.item(section.item)
        content = sections.get(item.id, SectionContent())
        if item.structured:
            values = content.values or {}
            context[item.variable] = {f.id: values.get(f.id) or "—" for f in item.fields}
            continue
        if content.docx is not None:
            context[item.variable] = template.new_subdoc(io.BytesIO(_without_heading(
                content.docx)))
            continue
        placeholder = template.new_subdoc()
        see = SEE_FILES if "; " in content.attached else SEE_FILE
        placeholder.add_paragraph(see[words].format(name=content.attached)
                                  if content.attached else NOT_YET[words])
        context[item.variable] = placeholder
    template.render(context, autoescape=True)
    buffer = io.BytesIO()
    template.save(buffer)
    return normalise_zip(buffer.getvalue())


def _without_heading(docx: bytes) -> bytes:
    """The document without its own opening heading: the form's section title stands there."""
    document = Document(io.BytesIO(docx))
    body = document.element.body
    first = next((child for child in body.iterchildren() if child.tag.endswith("}p")), None)
    if first is None:
        return docx
    paragraph = next(p for p in document.paragraphs if p._p is first)
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if not style.startswith(("Heading", "Title")):
        return docx
    body.remove(first)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def structured_values(data: bytes) -> dict[str, str]:
    """A structured item's values, as its material stores them (JSON); none when the material
    is something else (a file recorded for it by hand)."""
    try:
        values = json.loads(data)
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}
