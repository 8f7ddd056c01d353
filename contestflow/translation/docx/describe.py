"""What each inline code of a Word paragraph is, in words a translator's tool shows.

Translate Toolkit, Okapi and memoQ read XLIFF 2.0's ``type``, ``subType``, ``disp`` and
``equiv``: with them a translator tells a link from bold and a footnote from a tab instead of
seeing bare numbers. The original markup (the run properties, the hyperlink's start, the
placeholder's elements) goes along as ``originalData`` so that nothing is hidden.
"""

from __future__ import annotations

import re

from lxml import etree

from contestflow.translation.docx.codes import Code
from contestflow.translation.docx.package import R, w
from contestflow.translation.inline import InlineCode

FORMATS = {  # run property → (what it is called, XLIFF's own subType where there is one)
    w("b"): ("bold", "xlf:b"), w("i"): ("italic", "xlf:i"), w("u"): ("underline", "xlf:u"),
    w("strike"): ("strikethrough", ""), w("dstrike"): ("strikethrough", ""),
    w("caps"): ("capitals", ""), w("smallCaps"): ("small capitals", ""),
    w("highlight"): ("highlighted", ""), w("color"): ("coloured", ""),
    w("rFonts"): ("another font", ""), w("sz"): ("another size", ""),
    w("shd"): ("shaded", ""),
}
OFF = {"0", "false", "none"}
PLACEHOLDERS = {  # our label → (type, subType, equiv)
    "tab": ("fmt", "docx:tab", "\t"), "line break": ("fmt", "xlf:lb", "\n"),
    "page break": ("fmt", "xlf:pb", "\n"), "column break": ("fmt", "docx:columnBreak", "\n"),
    "picture": ("image", "docx:picture", ""), "text box": ("other", "docx:textBox", ""),
    "object": ("other", "docx:object", ""), "footnote": ("other", "docx:footnote", ""),
    "endnote": ("other", "docx:endnote", ""), "field": ("other", "docx:field", ""),
    "symbol": ("other", "docx:symbol", ""), "hyphen": ("fmt", "docx:noBreakHyphen", "-"),
    "footnote number": ("other", "docx:footnoteNumber", ""),
    "endnote number": ("other", "docx:endnoteNumber", ""),
    "comment": ("other", "docx:comment", ""), "text": ("other", "docx:literal", ""),
}
CONTAINERS = {  # our label → (type, subType)
    "link": ("link", "docx:hyperlink"), "field": ("other", "docx:field"),
    "content control": ("ui", "docx:contentControl"), "insertion": ("other", "docx:insertion"),
    "tag": ("other", "docx:tag"), "direction": ("fmt", "docx:direction"),
}
_UNUSED_NS = re.compile(r'\sxmlns:(\w+)="[^"]*"')


def describe(code: Code, links: dict[str, str]) -> InlineCode:
    """``code`` for a translator's tool; ``links`` maps a story's relationship ids to the
    addresses of its hyperlinks."""
    if code.kind == "format":
        disp, sub_type = _format_words(code.rpr)
        return InlineCode("pair", "fmt", sub_type, disp, "", _markup(code.rpr), "")
    if code.kind == "container":
        assert code.element is not None
        kind, sub_type = CONTAINERS.get(code.label, ("other", "docx:container"))
        disp = code.label
        if code.element.get(w("instr")):  # a simple field says what it computes: "PAGE"
            disp = f"{code.label} {code.element.get(w('instr'), '').strip()}"
        if code.label == "link":
            anchor = code.element.get(w("anchor"))
            disp = links.get(code.element.get(f"{{{R}}}id", ""), "") or (
                f"#{anchor}" if anchor else "link")
        return InlineCode("pair", kind, sub_type, disp, "", _start_tag(code.element),
                          f"</{code.element.prefix}:{etree.QName(code.element).localname}>")
    first = code.label.split(" + ")[0]
    kind, sub_type, equiv = PLACEHOLDERS.get(first, ("other", "docx:element", ""))
    if " + " in code.label:
        equiv = ""  # several elements merged into one: no single equivalent
    original = "".join(_markup(element) for piece in code.pieces for element in piece.elements)
    return InlineCode("ph", kind, sub_type, code.label, equiv, original)


def _format_words(rpr: etree._Element | None) -> tuple[str, str]:
    if rpr is None:
        return "plain", ""
    found: list[tuple[str, str]] = []
    for child in rpr:
        value = child.get(w("val"))
        if child.tag in FORMATS and (value is None or value.lower() not in OFF):
            found.append(FORMATS[child.tag])
        elif child.tag == w("rStyle") and value:
            found.append((f"style {value}", ""))
        elif child.tag == w("vertAlign") and value in ("superscript", "subscript"):
            found.append((value, ""))
    words = list(dict.fromkeys(name for name, _ in found))
    sub_types = {sub for _, sub in found if sub}
    sub_type = sub_types.pop() if len(found) == 1 and sub_types else ""
    return (", ".join(words) or "formatting"), sub_type


def _markup(element: etree._Element | None) -> str:
    """The element as XML, with only the namespace declarations it uses."""
    if element is None:
        return ""
    text = etree.tostring(element, encoding="unicode", with_tail=False)
    used = set(re.findall(r"[<\s/](\w+):", _UNUSED_NS.sub("", text)))
    return _UNUSED_NS.sub(lambda match: match.group(0) if match.group(1) in used else "", text)


def _start_tag(element: etree._Element) -> str:
    shallow = etree.Element(element.tag, dict(element.attrib), nsmap=element.nsmap)
    text = _markup(shallow)
    return text[:-2] + ">" if text.endswith("/>") else text
