"""The original file name, kept as metadata only: refused when it hides something, else cleaned.

The name never becomes a path (the store names files by their sha256), but it is shown to
people and used in packages, so a name that tries to disguise itself is refused outright:
control characters and NUL, bidirectional overrides (``«gpj.exe»`` shown as ``«exe.jpg»``),
and folder parts or ``..``. Cyrillic, spaces and punctuation survive intact.
"""

from __future__ import annotations

import re
import unicodedata

from contestflow.intake.errors import UploadRefused
from contestflow.materials import BIDI_MARKS, clean_filename

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_NAME_BYTES = 255  # the longest name ext4, NTFS and the others take


def check_filename(name: str) -> str:
    """The cleaned name to keep, or ``UploadRefused`` saying what is wrong with it."""
    if not name or not name.strip():
        raise UploadRefused("no_file")
    if len(name.encode("utf-8")) > MAX_NAME_BYTES:
        raise UploadRefused("name_too_long")
    if "\r" in name or "\n" in name:
        raise UploadRefused("name_line_break")
    if _CONTROL.search(name) or BIDI_MARKS.search(name):
        raise UploadRefused("bad_name")
    # ".." is only dangerous next to a separator; "Пресс-служба информирует...docx" is fine.
    if "/" in name or "\\" in name or name.strip() in {".", ".."}:
        raise UploadRefused("name_path")
    return clean_filename(unicodedata.normalize("NFC", name))


def with_extension(name: str, extension: str) -> str:
    """``name`` with the extension of what the file really is (``отчёт.doc`` → ``отчёт.docx``)."""
    stem, dot, current = name.rpartition(".")
    if dot and current.lower() == extension:
        return name
    if dot and stem and len(current) <= 5 and current.isascii() and current.isalnum():
        return f"{stem}.{extension}"
    return f"{name}.{extension}"


def visible(name: str) -> str:
    """``name`` with hidden characters spelled out (``\\u202e``), for logs and the audit log."""
    return BIDI_MARKS.sub(_escape, _CONTROL.sub(_escape, name))


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"
