"""What the inline tags of a paragraph stand for, and how runs are compared.

A code is one of three kinds:

* ``format``: a span of runs whose formatting differs from the paragraph's usual formatting
  (bold, italic, underline, a character style...). It keeps the span's run properties.
* ``container``: an element that wraps runs: a hyperlink (its address stays in the element and
  never goes to MT), an inline content control, a simple field, a tracked insertion.
* ``ph``: one or more elements that are not text: a tab, a break, a picture or text box, a
  footnote reference, field codes, a bookmark, a formula, or literal text that looks like a tag.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from contestflow.translation.docx.package import MC, W, w

CodeKind = Literal["format", "container", "ph"]

IGNORED_RPR = {w("lang"), w("noProof"), w("specVanish"), w("webHidden")}
DROPPED_RUN_ITEMS = {w("lastRenderedPageBreak"), w("softHyphen"), w("proofErr")}
DROPPED_PARAGRAPH_ITEMS = {w("proofErr")}
CONTAINERS = {
    w("hyperlink"): "link",
    w("smartTag"): "tag",
    w("customXml"): "tag",
    w("ins"): "insertion",
    w("moveTo"): "insertion",
    w("dir"): "direction",
    w("bdo"): "direction",
    w("fldSimple"): "field",
    w("sdt"): "content control",
}
CONTAINER_PROPERTIES = {w("smartTagPr"), w("customXmlPr"), w("fldData"), w("sdtPr"),
                        w("sdtEndPr")}
RUN_ITEM_LABELS = {
    w("tab"): "tab", w("ptab"): "tab", w("br"): "line break", w("cr"): "line break",
    w("drawing"): "picture", w("pict"): "picture", w("object"): "object",
    f"{{{MC}}}AlternateContent": "picture", w("fldChar"): "field", w("instrText"): "field",
    w("delInstrText"): "field", w("footnoteReference"): "footnote",
    w("endnoteReference"): "endnote", w("sym"): "symbol", w("noBreakHyphen"): "hyphen",
    w("footnoteRef"): "footnote number", w("endnoteRef"): "endnote number",
}
ORDER_SENSITIVE = {w("fldChar"), w("instrText"), w("delInstrText")}


def rpr_key(rpr: etree._Element | None) -> str:
    """A comparison key for run properties that ignores proofing language and revision ids."""
    if rpr is None:
        return ""
    clone = copy.deepcopy(rpr)
    for child in list(clone):
        if child.tag in IGNORED_RPR:
            clone.remove(child)
    for name in list(clone.attrib):
        if "rsid" in name:
            del clone.attrib[name]
    if len(clone) == 0 and not clone.attrib:
        return ""
    return etree.tostring(clone, method="c14n").decode()


def run_item_label(element: etree._Element) -> str:
    if element.tag == w("br") and element.get(w("type")) == "page":
        return "page break"
    if element.tag == w("br") and element.get(w("type")) == "column":
        return "column break"
    if element.tag in (w("drawing"), w("pict"), f"{{{MC}}}AlternateContent") and any(
        True for _ in element.iter(w("txbxContent"))
    ):
        return "text box"
    return RUN_ITEM_LABELS.get(element.tag, "element")


@dataclass
class Piece:
    """Elements of a placeholder; ``in_run`` ones are wrapped in a run with ``rpr``."""

    elements: list[etree._Element]
    rpr: etree._Element | None = None
    in_run: bool = True


@dataclass
class Code:
    kind: CodeKind
    label: str
    rpr: etree._Element | None = None
    element: etree._Element | None = None
    pieces: list[Piece] = field(default_factory=list)
    order_sensitive: bool = False

    @property
    def holder(self) -> etree._Element:
        """Where a container's content goes (``w:sdtContent`` for a content control)."""
        assert self.element is not None
        if self.element.tag == w("sdt"):
            content = self.element.find(w("sdtContent"))
            if content is None:
                content = etree.SubElement(self.element, w("sdtContent"))
            return content
        return self.element

    def clear_content(self) -> None:
        holder = self.holder
        for child in list(holder):
            if holder is self.element and child.tag in CONTAINER_PROPERTIES:
                continue
            holder.remove(child)


def container_content(element: etree._Element) -> list[etree._Element]:
    if element.tag == w("sdt"):
        content = element.find(w("sdtContent"))
        return list(content) if content is not None else []
    return [child for child in element if child.tag not in CONTAINER_PROPERTIES]


def is_w(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith(f"{{{W}}}")
