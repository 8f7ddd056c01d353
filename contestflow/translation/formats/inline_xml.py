"""Our tags as the inline elements of TMX 1.4b and XLIFF 2.0, and back.

TMX: ``<bpt i="1">{1}</bpt>…<ept i="1">{/1}</ept>`` and ``<ph x="2">{2/}</ph>``; ``<it>`` is
read as a placeholder, ``<hi>`` as its text, ``<ut>`` and ``<sub>`` are skipped.
XLIFF 2.0: ``<pc id="1">…</pc>`` and ``<ph id="2"/>``, with ``type``, ``subType``, ``disp`` and
``equiv`` and a reference to the original markup in the unit's ``originalData`` when the tag's
code is known; ``<sc>``/``<ec>`` and ``<mrk>`` are read.
Foreign ids are renumbered 1..n in the order of the source, and the target follows the source.
"""

from __future__ import annotations

from lxml import etree

from contestflow.translation.formats.base import local
from contestflow.translation.inline import InlineCode, Tag, Token, merge_text, parse_display

RawTag = tuple[str, str]  # (kind, foreign id)


def write_tmx(parent: etree._Element, display: str) -> None:
    _write(parent, parse_display(display), tmx=True)


def write_xliff(parent: etree._Element, display: str, namespace: str,
                codes: dict[int, InlineCode] | None = None) -> None:
    tokens = parse_display(display)
    stack = [parent]
    for token in tokens:
        if isinstance(token, str):
            _text(stack[-1], token)
        elif token.kind == "open":
            element = etree.SubElement(stack[-1], f"{{{namespace}}}pc", id=str(token.id))
            _describe(element, token.id, (codes or {}).get(token.id))
            stack.append(element)
        elif token.kind == "close":
            if len(stack) > 1:
                stack.pop()
        else:
            element = etree.SubElement(stack[-1], f"{{{namespace}}}ph", id=str(token.id))
            _describe(element, token.id, (codes or {}).get(token.id))


def data_ids(tag_id: int) -> tuple[str, str]:
    """The ``originalData`` ids of a tag's markup: its start (or whole) and its end."""
    return f"d{tag_id}", f"d{tag_id}e"


def _describe(element: etree._Element, tag_id: int, code: InlineCode | None) -> None:
    if code is None:
        return
    start, end = data_ids(tag_id)
    paired = element.tag.endswith("}pc")
    values = {"type": code.type, "subType": code.sub_type,
              "dispStart" if paired else "disp": code.disp,
              "equivStart" if paired else "equiv": code.equiv,
              "dataRefStart" if paired else "dataRef": start if code.original_start else "",
              "dataRefEnd": end if paired and code.original_end else ""}
    for name, value in values.items():
        if value:
            element.set(name, value)


def _write(parent: etree._Element, tokens: list[Token], tmx: bool) -> None:
    for token in tokens:
        if isinstance(token, str):
            _text(parent, token)
            continue
        if token.kind == "open":
            element = etree.SubElement(parent, "bpt", i=str(token.id))
            element.text = f"{{{token.id}}}"
        elif token.kind == "close":
            element = etree.SubElement(parent, "ept", i=str(token.id))
            element.text = f"{{/{token.id}}}"
        else:
            element = etree.SubElement(parent, "ph", x=str(token.id))
            element.text = f"{{{token.id}/}}"


def _text(parent: etree._Element, text: str) -> None:
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def read_raw(element: etree._Element) -> list[str | RawTag]:
    """Text and foreign tags of an inline container (TMX ``seg`` or XLIFF source/target)."""
    out: list[str | RawTag] = []
    if element.text:
        out.append(element.text)
    for child in element:
        name = local(child)
        if name in ("bpt",):
            out.append(("open", child.get("i", "")))
        elif name == "ept":
            out.append(("close", child.get("i", "")))
        elif name in ("ph", "it", "x", "bx", "ex"):
            out.append(("ph", child.get("x") or child.get("id") or f"@{len(out)}"))
        elif name == "sc":
            out.append(("open", child.get("id", "")))
        elif name == "ec":
            out.append(("close", child.get("startRef") or child.get("id", "")))
        elif name == "pc":
            out.append(("open", child.get("id", "")))
            out.extend(read_raw(child))
            out.append(("close", child.get("id", "")))
        elif name in ("hi", "mrk", "g"):
            out.extend(read_raw(child))
        if child.tail:
            out.append(child.tail)
    return out


def to_tokens(raw: list[str | RawTag], numbering: dict[tuple[str, str], int]) -> list[Token]:
    """Foreign tags numbered by ``numbering`` (extended for ids first seen here)."""
    tokens: list[Token] = []
    for item in raw:
        if isinstance(item, str):
            tokens.append(item)
            continue
        kind, foreign = item
        family = "ph" if kind == "ph" else "pair"
        key = (family, foreign)
        if key not in numbering:
            numbering[key] = len(numbering) + 1
        tokens.append(Tag(kind, numbering[key]))  # type: ignore[arg-type]
    return merge_text(tokens)


def pair_tokens(source_raw: list[str | RawTag], target_raw: list[str | RawTag]
                ) -> tuple[list[Token], list[Token]]:
    numbering: dict[tuple[str, str], int] = {}
    source = to_tokens(source_raw, numbering)
    return source, to_tokens(target_raw, numbering)
