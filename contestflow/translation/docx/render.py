"""Write a paragraph's tokens back as runs: the merge step of extract → translate → merge."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from lxml import etree

from contestflow.translation.docx.codes import Code
from contestflow.translation.docx.package import XML_NS, w
from contestflow.translation.errors import DocumentError
from contestflow.translation.inline import Tag, Token


@dataclass
class _Frame:
    holder: etree._Element
    base_rpr: etree._Element | None
    code_id: int | None = None
    formats: list[tuple[int, etree._Element | None]] = field(default_factory=list)

    @property
    def rpr(self) -> etree._Element | None:
        return self.formats[-1][1] if self.formats else self.base_rpr


def _with_language(rpr: etree._Element | None, locale: str | None) -> etree._Element | None:
    if rpr is None:
        return None
    clone = copy.deepcopy(rpr)
    if locale:
        lang = clone.find(w("lang"))
        if lang is not None and lang.get(w("val")):
            lang.set(w("val"), locale)
    return clone


def _text_run(holder: etree._Element, text: str, rpr: etree._Element | None,
              locale: str | None) -> None:
    run = etree.SubElement(holder, w("r"))
    properties = _with_language(rpr, locale)
    if properties is not None:
        run.append(properties)
    node = etree.SubElement(run, w("t"))
    node.text = text
    if text != text.strip() or "  " in text:
        node.set(f"{{{XML_NS}}}space", "preserve")


def _placeholder(holder: etree._Element, code: Code) -> None:
    for piece in code.pieces:
        if not piece.in_run:
            holder.extend(piece.elements)
            continue
        run = etree.SubElement(holder, w("r"))
        if piece.rpr is not None:
            run.append(copy.deepcopy(piece.rpr))
        for element in piece.elements:
            if element.tag == w("t") and element.text and element.text != element.text.strip():
                element.set(f"{{{XML_NS}}}space", "preserve")
            run.append(element)


def render_paragraph(paragraph: etree._Element, tokens: list[Token], codes: dict[int, Code],
                     base_rpr: etree._Element | None, locale: str | None = None) -> None:
    """Replace the content of ``paragraph`` with ``tokens``; every code must be used once."""
    used: set[int] = set()
    for child in list(paragraph):
        if child.tag != w("pPr"):
            paragraph.remove(child)
        elif locale:  # the paragraph mark's own proofing language
            for lang in child.iter(w("lang")):
                if lang.get(w("val")):
                    lang.set(w("val"), locale)
    stack = [_Frame(paragraph, base_rpr)]
    for token in tokens:
        frame = stack[-1]
        if isinstance(token, str):
            if token:
                _text_run(frame.holder, token, frame.rpr, locale)
            continue
        code = codes.get(token.id)
        if code is None:
            raise DocumentError(f"internal: unknown code {token.id} while writing a paragraph")
        if token.kind != "close":
            if token.id in used:
                raise DocumentError(f"internal: code {token.id} used twice in a paragraph")
            used.add(token.id)
        _apply(stack, token, code)
    if len(stack) != 1 or stack[0].formats:
        raise DocumentError("internal: unbalanced codes while writing a paragraph")
    missing = set(codes) - used
    if missing:
        raise DocumentError(f"internal: codes {sorted(missing)} were lost while writing")


def _apply(stack: list[_Frame], token: Tag, code: Code) -> None:
    frame = stack[-1]
    if token.kind == "ph":
        _placeholder(frame.holder, code)
    elif code.kind == "format" and token.kind == "open":
        frame.formats.append((token.id, code.rpr))
    elif code.kind == "format":
        if not frame.formats or frame.formats[-1][0] != token.id:
            raise DocumentError("internal: formatting codes overlap while writing")
        frame.formats.pop()
    elif token.kind == "open":
        assert code.element is not None
        code.clear_content()
        frame.holder.append(code.element)
        stack.append(_Frame(code.holder, code.rpr, code_id=token.id))
    else:
        if frame.code_id != token.id or frame.formats:
            raise DocumentError("internal: container codes overlap while writing")
        stack.pop()
