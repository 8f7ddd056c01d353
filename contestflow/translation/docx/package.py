"""The .docx container: a zip of XML parts. Read with limits, parse without DTDs, write back.

Only the parts that hold text people read ("stories") are parsed: the main document, headers,
footers, footnotes, endnotes and comments. Every other part is copied byte for byte (the
properties and the declared language, see properties.py, are set on the bytes).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field

from lxml import etree

from contestflow.translation.errors import DocumentError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_NS = "http://www.w3.org/XML/1998/namespace"
NS = {"w": W, "r": R, "mc": MC}

MAX_PARTS = 2_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 200
STORY_TYPES = ("header", "footer", "footnotes", "endnotes", "comments")


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
    remove_blank_text=False,
)


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse one part; refuse DTDs (no entity tricks) and malformed XML."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise DocumentError(f"{name} is not well-formed XML: {error}") from None
    if root.getroottree().docinfo.doctype:
        raise DocumentError(f"{name} declares a DTD, which Word files never do")
    return root


def check_zip(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise DocumentError(f"the file has {len(infos)} parts; at most {MAX_PARTS} are accepted")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED:
        raise DocumentError("the file unpacks to more than 200 MB")
    for info in infos:
        ratio = info.file_size / info.compress_size if info.compress_size else 0
        if ratio > MAX_RATIO and info.file_size > 10 * 1024 * 1024:
            raise DocumentError(f"part {info.filename} is suspiciously compressed")


@dataclass
class Story:
    """One part that holds text: its name, kind and parsed XML."""

    name: str
    kind: str
    root: etree._Element


@dataclass
class DocxPackage:
    parts: dict[str, bytes]
    infos: list[zipfile.ZipInfo]
    stories: list[Story] = field(default_factory=list)

    @classmethod
    def load(cls, data: bytes) -> DocxPackage:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError):
            raise DocumentError("not a .docx file (it is not a zip archive)") from None
        with archive:
            check_zip(archive)
            infos = archive.infolist()
            try:
                parts = {info.filename: archive.read(info) for info in infos}
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                raise DocumentError(f"the .docx archive is damaged: {error}") from None
        package = cls(parts=parts, infos=infos)
        package.stories = package._find_stories()
        return package

    def _relationships(self, part: str) -> list[tuple[str, str]]:
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_name not in self.parts:
            return []
        root = parse_xml(self.parts[rels_name], rels_name)
        found = []
        for rel in root.iter(f"{{{PKG_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            found.append((rel.get("Type", "").rsplit("/", 1)[-1], target.lstrip("/")))
        return found

    def hyperlinks(self, part: str) -> dict[str, str]:
        """The external hyperlink addresses of ``part`` by relationship id."""
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", f"{name}.rels")
        if rels_name not in self.parts:
            return {}
        root = parse_xml(self.parts[rels_name], rels_name)
        return {rel.get("Id", ""): rel.get("Target", "")
                for rel in root.iter(f"{{{PKG_REL}}}Relationship")
                if rel.get("TargetMode") == "External"
                and rel.get("Type", "").endswith("/hyperlink")}

    def _find_stories(self) -> list[Story]:
        main = next(
            (t for kind, t in self._relationships("") if kind == "officeDocument"), None
        )
        if main is None or main not in self.parts:
            raise DocumentError("not a Word document: the main document part is missing")
        stories = [Story(main, "body", parse_xml(self.parts[main], main))]
        counters: dict[str, int] = {}
        for kind, target in self._relationships(main):
            if kind in STORY_TYPES and target in self.parts:
                counters[kind] = counters.get(kind, 0) + 1
                label = kind if kind.endswith(("notes", "comments")) else \
                    f"{kind}{counters[kind]}"
                stories.append(Story(target, label, parse_xml(self.parts[target], target)))
        return stories

    def to_bytes(self) -> bytes:
        """The package with every story serialised again; other parts byte for byte."""
        updated = dict(self.parts)
        for story in self.stories:
            updated[story.name] = etree.tostring(
                story.root, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in self.infos:
                clone = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                clone.compress_type = zipfile.ZIP_DEFLATED
                clone.external_attr = info.external_attr
                archive.writestr(clone, updated[info.filename])
        return buffer.getvalue()


def verify_docx(data: bytes) -> None:
    """Re-open a written document: every part must still parse. Raises DocumentError."""
    package = DocxPackage.load(data)
    for name, content in package.parts.items():
        if name.endswith((".xml", ".rels")):
            parse_xml(content, name)
