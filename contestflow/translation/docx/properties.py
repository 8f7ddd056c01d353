"""The document's own language: its properties (title, subject, keywords, description) and the
proofing language it declares, so a translated file says of itself what it is.

Word shows the core properties (``docProps/core.xml``) in File → Info and an organiser's file
list; it spell-checks text in the language of its run, else its style, else the document
defaults (``w:lang`` in ``styles.xml``). A translated file that kept ``ru-RU`` there is checked
as Russian, and keeps a Russian title. These parts are not stories: their texts are segments
of their own (``properties:1.1``…) and the language is set when the file is written.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from contestflow.translation.docx.package import DocxPackage, parse_xml, w

CORE = "docProps/core.xml"
DC = "http://purl.org/dc/elements/1.1/"
CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
TRANSLATED_FIELDS = (f"{{{DC}}}title", f"{{{DC}}}subject", f"{{{CP}}}keywords",
                     f"{{{DC}}}description")
# Parts whose w:lang (and settings' w:themeFontLang) declare the document's language.
LANGUAGE_PARTS = ("word/styles.xml", "word/settings.xml")


@dataclass
class CoreProperties:
    root: etree._Element

    @classmethod
    def load(cls, package: DocxPackage) -> CoreProperties | None:
        data = package.parts.get(CORE)
        return cls(parse_xml(data, CORE)) if data else None

    def texts(self) -> list[etree._Element]:
        """The elements of the properties a person reads, in a fixed order, with text."""
        found = []
        for tag in TRANSLATED_FIELDS:
            element = self.root.find(tag)
            if element is not None and (element.text or "").strip():
                found.append(element)
        return found

    def set_language(self, locale: str) -> None:
        element = self.root.find(f"{{{DC}}}language")
        if element is None:
            element = etree.SubElement(self.root, f"{{{DC}}}language")
        element.text = locale

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="UTF-8",
                              standalone=True)


def declare_language(package: DocxPackage, locale: str) -> None:
    """Set the proofing language of the styles, the document defaults and the theme fonts."""
    for name in LANGUAGE_PARTS:
        data = package.parts.get(name)
        if not data:
            continue
        root = parse_xml(data, name)
        for element in [*root.iter(w("lang")), *root.iter(w("themeFontLang"))]:
            if element.get(w("val")):
                element.set(w("val"), locale)
        package.parts[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                             standalone=True)
