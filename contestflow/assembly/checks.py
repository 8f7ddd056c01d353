"""Checks a package must pass before it is approved; each finding is a sentence for reviewers."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from docx import Document as open_docx

from schemas.contest import Limit

_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)


@dataclass(frozen=True)
class Finding:
    item_id: str
    severity: str  # "blocking" stops approval; "warning" is shown only
    message: str


def docx_text(data: bytes) -> str:
    """The visible text of a .docx body and tables, paragraph by paragraph."""
    document = open_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def count(text: str, unit: str) -> int:
    """Words as organisers count them (hyphenated words are one), or characters with spaces."""
    if unit == "words":
        return len(_WORD.findall(text))
    return len(text.strip())


def check_limit(item_id: str, data: bytes, limit: Limit, language: str) -> Finding | None:
    try:
        text = docx_text(data)
    except (zipfile.BadZipFile, KeyError, ValueError):
        return None  # not a Word file: nothing to count
    used = count(text, limit.unit)
    if used > limit.max:
        return Finding(
            item_id,
            "blocking",
            f"{used} {limit.unit} in {language.upper()}, over the limit of {limit.max}",
        )
    return None
