"""Facts about a packed file that the contest's rules weigh: its text in every story, its
language, its hyperlinks, its own properties, an image's type and size."""

from __future__ import annotations

import io
import re
import zipfile

from lxml import etree
from PIL import Image, UnidentifiedImageError

from contestflow.translation.docx.document import DocxDocument
from contestflow.translation.errors import DocumentError
from contestflow.translation.morph import CYRILLIC_RE

_WORD = re.compile(r"\w+(?:[-'’]\w+)*", re.UNICODE)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DC = "http://purl.org/dc/elements/1.1/"
MIN_LETTERS = 40  # fewer letters than this say nothing reliable about the language
PIL_FORMATS = {"JPEG": "jpeg", "PNG": "png", "TIFF": "tiff", "GIF": "gif", "WEBP": "webp"}


def document_text(data: bytes, name: str) -> str | None:
    """The text of every story of a Word file (body, tables, headers, footnotes, text boxes…),
    or None when the file is not a Word document."""
    if not name.lower().endswith(".docx"):
        return None
    try:
        document = DocxDocument.load(data, "ru")
    except (DocumentError, zipfile.BadZipFile, KeyError, ValueError):
        return None
    return "\n".join(segment.text for segment in document.segments if segment.in_text)


def is_word_document(data: bytes, name: str) -> bool:
    """A .docx that opens: a zip holding a main document part (a damaged one is not)."""
    if not name.lower().endswith(".docx") or not zipfile.is_zipfile(io.BytesIO(data)):
        return False
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "word/document.xml" in archive.namelist()


def count(text: str, unit: str) -> int:
    """Words as organisers count them (hyphenated words are one), or characters with spaces."""
    if unit == "words":
        return len(_WORD.findall(text))
    return len(text.strip())


def language_share(text: str) -> float | None:
    """The share of Cyrillic among the letters, or None when there are too few to tell."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < MIN_LETTERS:
        return None
    return sum(1 for c in letters if CYRILLIC_RE.match(c)) / len(letters)


def _parts(data: bytes, prefix: str = "word/") -> dict[str, bytes]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return {name: archive.read(name) for name in archive.namelist()
                    if name.startswith(prefix) and name.endswith(".xml")}
    except zipfile.BadZipFile:
        return {}


def _xml(content: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        return None


def empty_hyperlinks(data: bytes) -> int:
    """Hyperlinks in any story that carry no text: a reader sees nothing to click."""
    empty = 0
    for content in _parts(data).values():
        root = _xml(content)
        if root is None:
            continue
        for link in root.iter(f"{{{W}}}hyperlink"):
            if not "".join(t.text or "" for t in link.iter(f"{{{W}}}t")).strip():
                empty += 1
    return empty


def metadata_languages(data: bytes) -> list[str]:
    """The languages a Word file declares of itself: ``dc:language`` and the styles' proofing
    language (``w:lang w:val``)."""
    found: list[str] = []
    core = _parts(data, "docProps/").get("docProps/core.xml")
    if core and (root := _xml(core)) is not None:
        found += [e.text.strip() for e in root.iter(f"{{{DC}}}language") if e.text]
    styles = _parts(data).get("word/styles.xml")
    if styles and (root := _xml(styles)) is not None:
        found += [v for e in root.iter(f"{{{W}}}lang") if (v := e.get(f"{{{W}}}val"))]
    return found


def image_facts(data: bytes) -> tuple[str, int, int] | None:
    """An image's type (as the contest names formats: jpeg, png…) and its pixel size."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = PIL_FORMATS.get(image.format or "")
            return (kind, image.width, image.height) if kind else None
    except (UnidentifiedImageError, OSError):
        return None
