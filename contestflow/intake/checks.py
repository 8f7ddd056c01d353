"""Every check an uploaded file passes before it is accepted, in one place.

``inspect_file`` decides from the bytes alone: the name and the client's Content-Type are never
trusted. The cheap checks come first (size, the first bytes), the Office package checks only
when the item accepts Office files, and the file is never executed, extracted or rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contestflow.intake.errors import UploadRefused
from contestflow.intake.media import inspect_image, inspect_mp3, inspect_mp4, inspect_pdf
from contestflow.intake.officezip import inspect_office
from contestflow.intake.sniff import (
    EXTENSIONS,
    FORMAT_NAMES,
    LABELS,
    MEDIA_TYPES,
    OFFICE_FORMATS,
    detect,
    normalise_format,
    read_head,
)
from schemas import ContestItem

MiB = 1024 * 1024


@dataclass(frozen=True)
class UploadPolicy:
    """What one contest item accepts: its formats, its size cap, and its name for messages."""

    formats: tuple[str, ...]
    max_bytes: int
    title_ru: str = ""
    title_en: str = ""

    @classmethod
    def for_item(cls, item: ContestItem) -> UploadPolicy:
        return cls(tuple(normalise_format(f) for f in item.formats),
                   item.max_size_mb * MiB, item.title.ru, item.title.en)

    @property
    def titles(self) -> dict[str, str]:
        return {"item_ru": self.title_ru, "item_en": self.title_en}

    @property
    def max_mb(self) -> int:
        return self.max_bytes // MiB

    def formats_text(self) -> str:
        return ", ".join(FORMAT_NAMES.get(f, f.upper()) for f in self.formats)


@dataclass(frozen=True)
class Inspection:
    """What the file really is."""

    format: str
    media_type: str
    extension: str
    details: dict[str, Any] = field(default_factory=dict)


def inspect_file(path: Path, policy: UploadPolicy) -> Inspection:
    """Accept ``path`` for ``policy`` or raise ``UploadRefused`` saying why, in plain words."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise UploadRefused("empty")
    if size > policy.max_bytes:
        raise UploadRefused("too_large", limit_mb=policy.max_mb, **policy.titles)
    unchecked = [f for f in policy.formats if f not in MEDIA_TYPES]
    if unchecked:
        raise UploadRefused("unsupported_format", formats=", ".join(unchecked))
    kind = detect(read_head(path))
    if kind == "program":
        raise UploadRefused("program")
    if kind == "ole":
        raise UploadRefused("legacy_office")
    if kind == "zip":
        kind = _office_kind(path, wanted=bool(OFFICE_FORMATS.intersection(policy.formats)))
    if kind not in policy.formats:
        what_ru, what_en = LABELS.get(kind, LABELS["unknown"])
        raise UploadRefused("wrong_type", what_ru=what_ru, what_en=what_en,
                            formats=policy.formats_text(), **policy.titles)
    details = _deep_check(path, kind)
    return Inspection(kind, MEDIA_TYPES[kind], EXTENSIONS.get(kind, kind), details)


def _office_kind(path: Path, wanted: bool) -> str:
    """What a ZIP really is. When the item takes no Office files, a problem inside only means
    the answer is "a ZIP archive": the refusal names the type, not the package's defects."""
    try:
        return inspect_office(path)
    except UploadRefused:
        if wanted:
            raise
        return "zip"


def _deep_check(path: Path, kind: str) -> dict[str, Any]:
    """Is the file whole and within limits? (Office files were checked by ``inspect_office``.)"""
    if kind == "pdf":
        inspect_pdf(path)
    elif kind in ("jpeg", "png"):
        width, height = inspect_image(path, kind)
        return {"width": width, "height": height}
    elif kind == "mp4":
        inspect_mp4(path)
    elif kind == "mp3":
        inspect_mp3(path)
    return {}
