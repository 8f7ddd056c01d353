"""A Word document as segments to translate, and the way back to a Word document.

``DocxDocument.load(data, lang)`` reads every story (body with tables and nested tables,
headers, footers, footnotes, endnotes, text boxes, content controls) and cuts each paragraph
into sentence segments with inline tags. ``render(targets, target_lang)`` fills the skeleton
with target tokens and returns the new file, which is re-opened before it is handed back.
"""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass, field
from functools import cached_property

from lxml import etree

from contestflow.i18n import N_
from contestflow.translation.docx.codes import Code
from contestflow.translation.docx.describe import describe
from contestflow.translation.docx.extract import extract_paragraph
from contestflow.translation.docx.package import MC, DocxPackage, verify_docx, w
from contestflow.translation.docx.properties import CORE, CoreProperties, declare_language
from contestflow.translation.docx.regions import split_pairs_at_sentences, split_regions
from contestflow.translation.docx.render import render_paragraph
from contestflow.translation.errors import DocumentError
from contestflow.translation.inline import (
    InlineCode,
    Tag,
    Token,
    plain,
    remap,
    renumber,
    to_display,
)
from contestflow.translation.morph import CYRILLIC_RE
from contestflow.translation.segment import sentence_spans

LOCALES = {"en": "en-US", "ru": "ru-RU"}
# A 300-page report has some 10,000 paragraphs. Far beyond that, a file is not a document a
# person wrote (200,000 empty paragraphs in 1.2 MB took a minute and 1.5 GB): refused at once.
MAX_PARAGRAPHS = 50_000
MAX_SEGMENTS = 100_000


ADDRESS_RE = re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def has_letters(text: str) -> bool:
    """Whether there is anything to translate: letters outside web and e-mail addresses."""
    return any(char.isalpha() for char in ADDRESS_RE.sub("", text))


def in_language(text: str, lang: str) -> bool:
    """Whether a short text (a title, keywords) is written in ``lang``: Cyrillic for Russian,
    other letters and no Cyrillic otherwise."""
    if not has_letters(text):
        return False
    cyrillic = bool(CYRILLIC_RE.search(text))
    return cyrillic if lang in ("ru", "uk", "be") else not cyrillic


@dataclass
class SourceSegment:
    """One sentence to translate. Tags are numbered 1..n inside the segment."""

    id: str
    tokens: list[Token]
    kinds: dict[int, str]
    labels: dict[int, str]
    order_sensitive: set[int]
    mirror: bool = False
    sources: dict[int, Code] = field(default_factory=dict, repr=False)  # each tag's code
    links: dict[str, str] = field(default_factory=dict, repr=False)  # its story's addresses

    @cached_property
    def codes(self) -> dict[int, InlineCode]:
        """What each tag stands for, for exchange formats that say so (worked out when first
        asked: a quarter of a long document's loading time otherwise)."""
        return {tag: describe(code, self.links) for tag, code in self.sources.items()}

    @property
    def display(self) -> str:
        return to_display(self.tokens)

    @property
    def text(self) -> str:
        return plain(self.tokens)

    @property
    def translatable(self) -> bool:
        return has_letters(self.text)

    @property
    def in_text(self) -> bool:
        """Whether it is the document's text a reader sees (not a property or a comment),
        which is what word limits and language checks count."""
        return not self.id.startswith(("properties:", "comments:"))


@dataclass
class _Paragraph:
    element: etree._Element
    codes: dict[int, Code]
    base_rpr: etree._Element | None
    gaps: list[list[Token]]
    segments: list[SourceSegment]
    id_maps: list[dict[int, int]]


def _splittable(code: Code) -> bool:
    """Formatting and hyperlinks may become two at a sentence boundary; other containers
    (a content control, a tracked insertion, a field) are one thing and are never cut."""
    return code.kind == "format" or (code.kind == "container" and code.label == "link")


def _clone(codes: dict[int, Code], code_id: int) -> int:
    """A second code like ``code_id`` (the link keeps its address): returns its id."""
    new_id = max(codes) + 1
    code = codes[code_id]
    codes[new_id] = Code(code.kind, code.label, rpr=copy.deepcopy(code.rpr),
                         element=copy.deepcopy(code.element))
    return new_id


def _in_fallback(element: etree._Element) -> bool:
    return any(a.tag == f"{{{MC}}}Fallback" for a in element.iterancestors())


def _segment(tokens: list[Token], codes: dict[int, Code], seg_id: str,
             mirror: bool, links: dict[str, str]) -> tuple[SourceSegment, dict[int, int]]:
    local, mapping = renumber(tokens)
    kinds = {new: ("ph" if codes[old].kind == "ph" else "pair") for new, old in mapping.items()}
    labels = {new: codes[old].label for new, old in mapping.items()}
    ordered = {new for new, old in mapping.items() if codes[old].order_sensitive}
    sources = {new: codes[old] for new, old in mapping.items()}
    return SourceSegment(seg_id, local, kinds, labels, ordered, mirror, sources, links), mapping


@dataclass
class DocxDocument:
    package: DocxPackage
    source_lang: str
    paragraphs: list[_Paragraph] = field(default_factory=list)
    core: CoreProperties | None = None
    properties: list[tuple[etree._Element, SourceSegment]] = field(default_factory=list)
    # Of the loading time, the part spent cutting paragraphs into sentences (make bench).
    segmenting_seconds: float = 0.0
    # A paragraph's sentences by its text, for this document only: a long report repeats
    # its headings, captions and stock sentences, and the splitters are costly.
    _spans: dict[tuple[str, str], list[tuple[int, int]]] = field(default_factory=dict,
                                                                 repr=False)

    @classmethod
    def load(cls, data: bytes, source_lang: str) -> DocxDocument:
        document = cls(DocxPackage.load(data), source_lang)
        found = sum(1 for story in document.package.stories for _ in story.root.iter(w("p")))
        if found > MAX_PARAGRAPHS:
            raise DocumentError(N_("the document has %(count)s paragraphs, more than the "
                                   "%(limit)s a document may have: split it into parts"),
                                count=f"{found:,}", limit=f"{MAX_PARAGRAPHS:,}")
        segments = 0
        for story in document.package.stories:
            links = document.package.hyperlinks(story.name)
            for number, element in enumerate(list(story.root.iter(w("p"))), start=1):
                paragraph = document._paragraph(element, story.kind, number, links)
                segments += len(paragraph.segments)
                if segments > MAX_SEGMENTS:
                    raise DocumentError(N_("the document has more than %(limit)s sentences to "
                                           "translate: split it into parts"),
                                        limit=f"{MAX_SEGMENTS:,}")
                document.paragraphs.append(paragraph)
        # The title, subject, keywords and description: one segment each, after the text
        # (so the positions of the text's segments do not depend on them).
        document.core = CoreProperties.load(document.package)
        for number, element in enumerate(document.core.texts() if document.core else [],
                                         start=1):
            text = " ".join((element.text or "").split())
            if not in_language(text, source_lang):
                continue  # "generated by python-docx" in a Russian file: nothing to translate
            document.properties.append((element, SourceSegment(
                f"properties:{number}.1", [text], {}, {}, set())))
        return document

    def _paragraph(self, element: etree._Element, story: str, number: int,
                   links: dict[str, str]) -> _Paragraph:
        extracted = extract_paragraph(element)
        codes = extracted.codes
        started = time.perf_counter()
        text = plain(extracted.tokens)
        spans = self._sentences(text, self.source_lang)
        tokens = extracted.tokens
        if len(spans) > 1:
            tokens = split_pairs_at_sentences(
                tokens, spans, lambda i: _splittable(codes[i]),
                lambda i: _clone(codes, i))
        # Splitting pairs adds tags, never text: the spans found above still hold.
        regions = split_regions(tokens, self.source_lang, self._sentences)
        self.segmenting_seconds += time.perf_counter() - started
        mirror = _in_fallback(element)
        segments, maps = [], []
        for index, tokens in enumerate(regions.segments, start=1):
            seg_id = f"{story}:{number}.{index}" + ("~" if mirror else "")
            segment, mapping = _segment(tokens, extracted.codes, seg_id, mirror, links)
            segments.append(segment)
            maps.append(mapping)
        return _Paragraph(element, extracted.codes, extracted.base_rpr, regions.gaps, segments,
                          maps)

    def _sentences(self, text: str, lang: str) -> list[tuple[int, int]]:
        if not text.strip():
            return []
        found = self._spans.get((text, lang))
        if found is None:
            found = self._spans[(text, lang)] = sentence_spans(text, lang)
        return list(found)

    @property
    def segments(self) -> list[SourceSegment]:
        return [*(segment for paragraph in self.paragraphs for segment in paragraph.segments),
                *(segment for _, segment in self.properties)]

    def render(self, targets: dict[str, list[Token]], target_lang: str) -> bytes:
        """The translated file: each segment's target tokens (source where none is given).

        Once anything is translated, the file declares the target language of itself: its
        core properties' ``dc:language`` and its styles' proofing language."""
        locale = LOCALES.get(target_lang, target_lang)
        anything = False
        for paragraph in self.paragraphs:
            tokens: list[Token] = list(paragraph.gaps[0])
            translated = False
            for segment, mapping, gap in zip(paragraph.segments, paragraph.id_maps,
                                             paragraph.gaps[1:], strict=True):
                chosen = targets.get(segment.id)
                translated = translated or chosen is not None
                tokens.extend(remap(chosen if chosen is not None else segment.tokens, mapping))
                tokens.extend(gap)
            if not paragraph.segments:
                continue
            anything = anything or translated
            render_paragraph(paragraph.element, tokens, paragraph.codes, paragraph.base_rpr,
                             locale if translated else None)
        for element, segment in self.properties:
            chosen = targets.get(segment.id)
            if chosen is not None:
                element.text = plain(chosen).strip() or element.text
        if anything:
            declare_language(self.package, locale)
            if self.core is not None:
                self.core.set_language(locale)
        if self.core is not None:
            self.package.parts[CORE] = self.core.to_bytes()
        output = self.package.to_bytes()
        verify_docx(output)
        return output


def segment_tags(segment: SourceSegment) -> list[Tag]:
    return [token for token in segment.tokens if isinstance(token, Tag)]
