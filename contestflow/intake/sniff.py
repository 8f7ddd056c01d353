"""What a file really is, from its first bytes: never from its name or the client's claim."""

from __future__ import annotations

from pathlib import Path

HEAD_SIZE = 4096

# What each detected kind is called when a refusal names it: (Russian, English).
LABELS: dict[str, tuple[str, str]] = {
    "pdf": ("документ PDF", "a PDF document"),
    "docx": ("документ Word (.docx)", "a Word document (.docx)"),
    "xlsx": ("таблица Excel (.xlsx)", "an Excel workbook (.xlsx)"),
    "pptx": ("презентация PowerPoint (.pptx)", "a PowerPoint presentation (.pptx)"),
    "zip": ("ZIP-архив", "a ZIP archive"),
    "jpeg": ("изображение JPEG", "a JPEG image"),
    "png": ("изображение PNG", "a PNG image"),
    "gif": ("изображение GIF", "a GIF image"),
    "tiff": ("изображение TIFF", "a TIFF image"),
    "webp": ("изображение WebP", "a WebP image"),
    "mp3": ("звукозапись MP3", "an MP3 recording"),
    "mp4": ("видеозапись MP4", "an MP4 video"),
    "html": ("веб-страница (HTML)", "a web page (HTML)"),
    "xml": ("файл XML", "an XML file"),
    "rtf": ("документ RTF", "an RTF document"),
    "text": ("обычный текстовый файл", "a plain text file"),
    "archive": ("архив", "an archive"),
    "unknown": ("файл неизвестного типа", "a file of an unknown type"),
}

# How each accepted format is named to people.
FORMAT_NAMES = {
    "docx": "Word (.docx)",
    "xlsx": "Excel (.xlsx)",
    "pptx": "PowerPoint (.pptx)",
    "pdf": "PDF",
    "jpeg": "JPEG (.jpg)",
    "png": "PNG",
    "mp3": "MP3",
    "mp4": "MP4",
}
FORMAT_ALIASES = {"jpg": "jpeg", "mpeg4": "mp4"}
MEDIA_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "mp3": "audio/mpeg",
    "mp4": "video/mp4",
}
EXTENSIONS = {"jpeg": "jpg"}
OFFICE_FORMATS = frozenset({"docx", "xlsx", "pptx"})

_PROGRAM_MAGIC = (
    b"MZ",  # Windows executables and DLLs
    b"\x7fELF",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
    b"\xce\xfa\xed\xfe",
    b"\xfe\xed\xfa\xcf",
    b"#!",
)
_ARCHIVE_MAGIC = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<iframe",
                 b"<svg", b"<meta", b"<a ", b"<div", b"<title")


def read_head(path: Path, size: int = HEAD_SIZE) -> bytes:
    with Path(path).open("rb") as handle:
        return handle.read(size)


def normalise_format(name: str) -> str:
    name = name.lower().lstrip(".")
    return FORMAT_ALIASES.get(name, name)


def detect(head: bytes) -> str:
    """The kind of file ``head`` starts; ``zip`` is refined by the Office checks."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp":
        return "mp4"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE6 == 0xE2):
        return "mp3"  # an ID3 tag, or an MPEG-1/2 layer III frame header
    if head.startswith(_OLE_MAGIC):
        return "ole"
    if head.startswith(_PROGRAM_MAGIC):
        return "program"
    if head.startswith(_ARCHIVE_MAGIC):
        return "archive"
    return _detect_text(head)


def _detect_text(head: bytes) -> str:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    if text.startswith(b"{\\rtf"):
        return "rtf"
    if any(marker in text for marker in _HTML_MARKERS):
        return "html"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return "xml"
    if b"\x00" in head:
        return "unknown"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < len(head) - 4:  # a multi-byte character cut at the end is still text
            return "unknown"
    return "text"
