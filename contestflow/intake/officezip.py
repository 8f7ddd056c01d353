"""Office files (docx, xlsx, pptx) are ZIP packages: their directory is checked before any part
is opened, then every part is read once, as a stream, under limits.

Order matters. The central directory is only metadata (names and declared sizes), so reading it
costs nothing whatever the archive claims; only when it passes (entry count, total unpacked
size, compression ratio, overlapping entries, names without ``..``, absolute paths or
duplicates) is a single byte decompressed. Decompression then stops at each entry's declared
size (Python's zipfile never inflates past it, and a CRC mismatch refuses the file), so a part
that lies about its size cannot grow. XML parts are scanned by expat with DTDs refused at the
first ``<!DOCTYPE`` (XXE and billion laughs need one), never built into a tree.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from contestflow.intake.errors import UploadRefused

MiB = 1024 * 1024
CHUNK = 256 * 1024
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "/officeDocument"
MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
# Content types and part names that mean VBA macros or ActiveX controls (docm, xlsm, pptm...).
MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata", "activex", "ms-office.vba")
# The only relationship allowed to point outside the package: an ordinary hyperlink.
EXTERNAL_ALLOWED = {"hyperlink"}
EXTERNAL_SCHEMES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 2000
    max_total_unpacked: int = 512 * MiB
    max_entry_unpacked: int = 256 * MiB
    max_ratio: int = 100
    ratio_applies_above: int = MiB  # tiny XML parts legitimately compress 100:1 and more


DEFAULT_LIMITS = ZipLimits()


def inspect_office(path: Path, limits: ZipLimits = DEFAULT_LIMITS) -> str:
    """``docx``, ``xlsx`` or ``pptx`` for a safe Office file, ``zip`` for any other ZIP archive.

    Raises ``UploadRefused`` for a damaged archive, one past the limits, macros or ActiveX, a
    DTD in any XML part, or a relationship that escapes the package or loads external content.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            check_directory(infos, Path(path).stat().st_size, limits)
            content_types = _read_content_types(archive)
            if content_types is None:
                return "zip"
            _refuse_macros(infos, content_types)
            office_format = _main_format(archive, content_types)
            if office_format is None:
                return "zip"
            _scan_parts(archive, infos, content_types)
            return office_format
    except UploadRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, NotImplementedError,
            ValueError, zlib.error, expat.ExpatError) as error:
        raise UploadRefused("damaged") from error


def check_directory(infos: list[zipfile.ZipInfo], file_size: int, limits: ZipLimits) -> None:
    """Refuse a directory that is too big, too compressed, overlapping or badly named."""
    if not infos or len(infos) > limits.max_entries:
        raise UploadRefused("zip_bomb" if infos else "damaged")
    total = 0
    seen: set[str] = set()
    for info in infos:
        _check_name(info.filename, seen)
        if info.flag_bits & 0x1:
            raise UploadRefused("encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UploadRefused("damaged")
        total += info.file_size
        ratio_too_high = (info.file_size > limits.ratio_applies_above
                          and info.file_size > limits.max_ratio * max(info.compress_size, 1))
        if info.file_size > limits.max_entry_unpacked or ratio_too_high:
            raise UploadRefused("zip_bomb")
    if total > limits.max_total_unpacked:
        raise UploadRefused("zip_bomb")
    _check_layout(infos, file_size)


def _check_name(name: str, seen: set[str]) -> None:
    parts = name.split("/")
    if (not name or "\x00" in name or "\\" in name or name.startswith("/")
            or (len(name) > 1 and name[1] == ":") or ".." in parts):
        raise UploadRefused("zip_names")
    # Part names are case-insensitive in Office (ECMA-376 part 2, 9.1.1.1): "A" and "a" collide.
    key = name.casefold()
    if key in seen:
        raise UploadRefused("zip_names")
    seen.add(key)


def _check_layout(infos: list[zipfile.ZipInfo], file_size: int) -> None:
    """Entries must start at offset 0 and not overlap: overlapping entries are how a few
    kilobytes of ZIP can claim gigabytes (a "non-recursive" zip bomb)."""
    ordered = sorted(infos, key=lambda info: info.header_offset)
    if ordered[0].header_offset != 0:
        raise UploadRefused("damaged")
    for current, following in zip(ordered, [*ordered[1:], None], strict=True):
        end = current.header_offset + 30 + current.compress_size  # 30: fixed local header
        limit = following.header_offset if following is not None else file_size
        if end > limit:
            raise UploadRefused("zip_bomb" if following is not None else "damaged")


def _read_content_types(archive: zipfile.ZipFile) -> dict[str, str] | None:
    """Part name (lower case, no leading slash) or ``*.ext`` → content type."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return None
    types: dict[str, str] = {}

    def on_element(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        content_type = attributes.get("ContentType", "").lower()
        if local == "Default":
            types["*." + attributes.get("Extension", "").lower()] = content_type
        elif local == "Override":
            types[attributes.get("PartName", "").lstrip("/").casefold()] = content_type

    with archive.open(info) as stream:
        scan_xml(stream, on_element)
    return types


def content_type_of(part: str, content_types: dict[str, str]) -> str:
    explicit = content_types.get(part.casefold())
    if explicit is not None:
        return explicit
    extension = part.rsplit(".", 1)[-1].lower() if "." in part else ""
    return content_types.get("*." + extension, "")


def _refuse_macros(infos: Iterable[zipfile.ZipInfo], content_types: dict[str, str]) -> None:
    names = (info.filename.lower() for info in infos)
    if any(marker in value for value in (*content_types.values(), *names)
           for marker in MACRO_MARKERS):
        raise UploadRefused("macros")


def _main_format(archive: zipfile.ZipFile, content_types: dict[str, str]) -> str | None:
    targets = [target for kind, target, _ in _relationships(archive, "_rels/.rels")
               if kind.endswith(OFFICE_DOCUMENT)]
    for target in targets:
        found = MAIN_TYPES.get(content_type_of(target, content_types))
        if found:
            return found
    return None


def _relationships(archive: zipfile.ZipFile, rels_part: str) -> list[tuple[str, str, str]]:
    """(type, resolved target, target mode) of each relationship in ``rels_part``."""
    found: list[tuple[str, str, str]] = []
    source_dir = posixpath.dirname(posixpath.dirname(rels_part))  # "word/_rels/x" -> "word"

    def on_element(name: str, attributes: dict[str, str]) -> None:
        if name.rsplit(" ", 1)[-1] != "Relationship":
            return
        mode = attributes.get("TargetMode", "Internal")
        target = attributes.get("Target", "")
        if mode != "External":
            target = _resolve(source_dir, target)
        found.append((attributes.get("Type", ""), target, mode))

    try:
        info = archive.getinfo(rels_part)
    except KeyError:
        return found
    with archive.open(info) as stream:
        scan_xml(stream, on_element)
    return found


def _resolve(source_dir: str, target: str) -> str:
    """A relationship target as a part name; refused if it climbs out of the package."""
    if target.startswith("/"):
        joined = target.lstrip("/")
    else:
        joined = posixpath.join(source_dir, target) if source_dir else target
    if "\\" in target or "\x00" in target:
        raise UploadRefused("zip_names")
    normal = posixpath.normpath(joined)
    if normal == ".." or normal.startswith("../") or normal.startswith("/"):
        raise UploadRefused("zip_names")
    return normal


def _scan_parts(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo],
                content_types: dict[str, str]) -> None:
    """Read every part once: XML without DTDs, safe relationships, every CRC correct."""
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        if name.endswith(".rels"):
            for kind, target, mode in _relationships(archive, name):
                _check_relationship(kind, target, mode)
        elif _is_xml(name, content_types):
            with archive.open(info) as stream:
                scan_xml(stream)
        else:
            with archive.open(info) as stream:
                while stream.read(CHUNK):  # the CRC is checked when the end is reached
                    pass


def _is_xml(name: str, content_types: dict[str, str]) -> bool:
    kind = content_type_of(name, content_types)
    return name.lower().endswith(".xml") or kind.endswith("+xml") or kind.endswith("/xml")


def _check_relationship(kind: str, target: str, mode: str) -> None:
    if mode != "External":
        return
    short = kind.rsplit("/", 1)[-1]
    if short not in EXTERNAL_ALLOWED or not target.lower().startswith(EXTERNAL_SCHEMES):
        raise UploadRefused("external")


class _DtdFound(Exception):
    pass


def _refuse_dtd(*_args: object) -> None:
    raise _DtdFound


def scan_xml(stream: object, on_element: Callable[[str, dict[str, str]], None] | None = None,
             ) -> None:
    """Parse an XML stream chunk by chunk, refusing any DTD; nothing is kept in memory."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.UnparsedEntityDeclHandler = _refuse_dtd
    parser.ExternalEntityRefHandler = _refuse_dtd
    if on_element is not None:
        parser.StartElementHandler = on_element
    read = stream.read  # type: ignore[attr-defined]
    try:
        while chunk := read(CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _DtdFound:
        raise UploadRefused("dtd") from None
