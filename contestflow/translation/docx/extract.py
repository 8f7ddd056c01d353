"""Turn one ``w:p`` into tokens (text and tags) plus the codes the tags stand for.

Runs that differ only in revision ids or proofing marks are one text; a whitespace-only run
takes the formatting of its neighbour; the formatting with the most characters becomes the
paragraph's (or container's) base and costs no tag. Nothing is copied: codes hold the original
elements, so merging moves them back and a text box inside a picture keeps its own paragraphs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from contestflow.translation.docx.codes import (
    CONTAINERS,
    DROPPED_PARAGRAPH_ITEMS,
    DROPPED_RUN_ITEMS,
    ORDER_SENSITIVE,
    Code,
    Piece,
    container_content,
    rpr_key,
    run_item_label,
)
from contestflow.translation.docx.package import w
from contestflow.translation.inline import LOOKS_LIKE_TAG_RE, Tag, Token


@dataclass
class _Text:
    text: str
    rpr: etree._Element | None
    key: str


@dataclass
class _Item:
    """A non-text thing in a container: a placeholder piece or a nested container."""

    piece: Piece | None = None
    container: etree._Element | None = None
    label: str = ""
    order_sensitive: bool = False


@dataclass
class ParagraphTokens:
    tokens: list[Token]
    codes: dict[int, Code]
    base_rpr: etree._Element | None


@dataclass
class _Builder:
    codes: dict[int, Code] = field(default_factory=dict)

    def new_code(self, code: Code) -> int:
        code_id = len(self.codes) + 1
        self.codes[code_id] = code
        return code_id


def _split_literal(text: str, rpr: etree._Element | None, key: str) -> list[_Text | _Item]:
    """Text that looks like a tag ("{1}", "<2/>") becomes a placeholder, never a tag."""
    out: list[_Text | _Item] = []
    position = 0
    for match in LOOKS_LIKE_TAG_RE.finditer(text):
        if match.start() > position:
            out.append(_Text(text[position : match.start()], rpr, key))
        literal = etree.Element(w("t"))
        literal.text = match.group(0)
        out.append(_Item(piece=Piece([literal], rpr), label="text"))
        position = match.end()
    if position < len(text):
        out.append(_Text(text[position:], rpr, key))
    return out


def _run_items(run: etree._Element) -> list[_Text | _Item]:
    rpr = run.find(w("rPr"))
    key = rpr_key(rpr)
    items: list[_Text | _Item] = []
    for child in run:
        if child.tag == w("rPr") or child.tag in DROPPED_RUN_ITEMS:
            continue
        if child.tag == w("t"):
            text = child.text or ""
            if LOOKS_LIKE_TAG_RE.search(text):
                items.extend(_split_literal(text, rpr, key))
            elif text:
                items.append(_Text(text, rpr, key))
            continue
        items.append(_Item(piece=Piece([child], rpr), label=run_item_label(child),
                           order_sensitive=child.tag in ORDER_SENSITIVE))
    return items


def _flatten(children: list[etree._Element]) -> list[_Text | _Item]:
    items: list[_Text | _Item] = []
    for child in children:
        if not isinstance(child.tag, str):
            items.append(_Item(piece=Piece([child], in_run=False), label="comment"))
        elif child.tag == w("r"):
            items.extend(_run_items(child))
        elif child.tag in CONTAINERS:
            items.append(_Item(container=child, label=CONTAINERS[child.tag]))
        elif child.tag in DROPPED_PARAGRAPH_ITEMS or child.tag == w("pPr"):
            continue
        else:
            label = etree.QName(child).localname
            items.append(_Item(piece=Piece([child], in_run=False), label=label))
    return items


def _base_key(items: list[_Text | _Item]) -> tuple[str, etree._Element | None]:
    weights: Counter[str] = Counter()
    first: dict[str, etree._Element | None] = {}
    for item in items:
        if isinstance(item, _Text) and item.text.strip():
            weights[item.key] += len(item.text)
            first.setdefault(item.key, item.rpr)
    if not weights:
        texts = [i for i in items if isinstance(i, _Text)]
        return (texts[0].key, texts[0].rpr) if texts else ("", None)
    key = weights.most_common(1)[0][0]
    return key, first[key]


def _adopt_whitespace(items: list[_Text | _Item]) -> None:
    texts = [item for item in items if isinstance(item, _Text)]
    for index, item in enumerate(texts):
        if item.text.strip():
            continue
        neighbour = next((t for t in reversed(texts[:index]) if t.text.strip()), None)
        neighbour = neighbour or next((t for t in texts[index + 1 :] if t.text.strip()), None)
        if neighbour is not None:
            item.key, item.rpr = neighbour.key, neighbour.rpr


class _Emitter:
    def __init__(self, builder: _Builder) -> None:
        self.builder = builder
        self.tokens: list[Token] = []

    def container(self, children: list[etree._Element]) -> etree._Element | None:
        items = _flatten(children)
        _adopt_whitespace(items)
        base_key, base_rpr = _base_key(items)
        span: tuple[str, int] | None = None
        pending: list[_Item] = []
        for item in items:
            if isinstance(item, _Item):
                pending.append(item)
                continue
            wanted = None if item.key == base_key else item.key
            if span is not None and span[0] != wanted:
                self.tokens.append(Tag("close", span[1]))
                span = None
            self._flush(pending)
            if wanted is not None and span is None:
                code_id = self.builder.new_code(Code("format", "formatting", rpr=item.rpr))
                self.tokens.append(Tag("open", code_id))
                span = (wanted, code_id)
            self.tokens.append(item.text)
        if span is not None:
            self.tokens.append(Tag("close", span[1]))
        self._flush(pending)
        return base_rpr

    def _flush(self, pending: list[_Item]) -> None:
        for item in pending:
            if item.container is not None:
                self._nested(item)
            else:
                assert item.piece is not None
                code = Code("ph", item.label, pieces=[item.piece],
                            order_sensitive=item.order_sensitive)
                self.tokens.append(Tag("ph", self.builder.new_code(code)))
        pending.clear()

    def _nested(self, item: _Item) -> None:
        element = item.container
        assert element is not None
        code = Code("container", item.label, element=element)
        code_id = self.builder.new_code(code)
        self.tokens.append(Tag("open", code_id))
        code.rpr = self.container(container_content(element))
        self.tokens.append(Tag("close", code_id))


def _merge_placeholders(tokens: list[Token], codes: dict[int, Code]) -> list[Token]:
    """Neighbouring placeholders become one (a field's begin, code and separator, say)."""
    merged: list[Token] = []
    for token in tokens:
        previous = merged[-1] if merged else None
        if (isinstance(token, Tag) and token.kind == "ph" and isinstance(previous, Tag)
                and previous.kind == "ph"):
            keep, gone = codes[previous.id], codes.pop(token.id)
            keep.pieces.extend(gone.pieces)
            keep.order_sensitive = keep.order_sensitive or gone.order_sensitive
            if gone.label != keep.label:
                keep.label = f"{keep.label} + {gone.label}"
            continue
        merged.append(token)
    return merged


def extract_paragraph(paragraph: etree._Element) -> ParagraphTokens:
    builder = _Builder()
    emitter = _Emitter(builder)
    base_rpr = emitter.container([child for child in paragraph if child.tag != w("pPr")])
    tokens = _merge_placeholders(emitter.tokens, builder.codes)
    merged: list[Token] = []
    for token in tokens:
        if isinstance(token, str) and merged and isinstance(merged[-1], str):
            merged[-1] += token
        else:
            merged.append(token)
    return ParagraphTokens(merged, builder.codes, base_rpr)
