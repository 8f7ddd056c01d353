"""The package prepared for an organiser's online form: each field's text, in the form's order.

Where an edition takes entries through a web form, nobody attaches our .docx: the coordinator
copies each section's text into its field and uploads the files the form asks for. These are
the same texts the package holds (translated where the contest asks), read from its materials.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from sqlalchemy.orm import Session

from contestflow.assembly.context import PackageContext, PackedItem, gather
from contestflow.assembly.form import structured_values
from contestflow.db.models import Submission
from contestflow.store import FileStore


@dataclass(frozen=True)
class OnlineFormField:
    number: str  # the form's own numbering, or the item's place in the package
    title: str  # in the language the contest is submitted in
    title_ru: str
    text: str  # what to copy into the field; empty when nothing has arrived
    files: list[str]  # what to upload into the field instead, by their package names


def online_form_fields(session: Session, store: FileStore,
                       submission: Submission) -> list[OnlineFormField]:
    """The form's sections in order (or, without a form, the items), each with its text."""
    context = gather(session, store, submission)
    definition = context.definition
    by_item: dict[str, list[PackedItem]] = {}
    for packed in context.items:
        by_item.setdefault(packed.item.id, []).append(packed)
    english = context.language != "ru"
    if definition.form is not None:
        order = [(s.number, s.item, s.title) for s in definition.form.sections]
        placed = {s.item for s in definition.form.sections}
        order += [(str(n), i.id, i.title) for n, i in enumerate(definition.items, start=1)
                  if i.id not in placed]
    else:
        order = [(str(n), i.id, i.title) for n, i in enumerate(definition.items, start=1)]
    fields = []
    for number, item_id, title in order:
        packed = by_item.get(item_id)
        if packed is None:
            continue  # asked for in a later phase
        text, files = _content(context, packed)
        fields.append(OnlineFormField(number, title.en if english else title.ru, title.ru,
                                      text, files))
    return fields


def _content(context: PackageContext, packed: list[PackedItem]) -> tuple[str, list[str]]:
    texts: list[str] = []
    files: list[str] = []
    for one in packed:
        if one.data is None:
            continue
        if one.item.structured:
            values = structured_values(one.data)
            english = context.language != "ru"
            texts.append("\n".join(
                f"{(f.title.en if english else f.title.ru)}: {values[f.id]}"
                for f in one.item.fields if values.get(f.id)))
        elif one.name.endswith(".docx") and not one.item.several_files:
            texts.append(_docx_text(one.data))
        else:
            files.append(one.name)
    return "\n\n".join(t for t in texts if t), files


def _docx_text(data: bytes) -> str:
    """The document's paragraphs and table cells as plain text, a blank line between them."""
    try:
        document = Document(io.BytesIO(data))
    except Exception:  # not a Word file after all: it is uploaded, not copied
        return ""
    parts = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                parts.append(" | ".join(cells))
    return "\n\n".join(parts)
