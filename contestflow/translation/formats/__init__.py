"""Exchange formats; ``store_class`` maps a file name to its class (imported lazily)."""

from __future__ import annotations

from importlib import import_module
from pathlib import PurePath

from contestflow.translation.errors import FormatError
from contestflow.translation.formats.base import ExchangeUnit, TranslationStore

_CLASSES = {
    "csv": ("contestflow.translation.formats.glossaries", "CsvGlossary"),
    "tbx": ("contestflow.translation.formats.glossaries", "TbxGlossary"),
    "tmx": ("contestflow.translation.formats.exchange", "TmxStore"),
    "xlf": ("contestflow.translation.formats.exchange", "XliffStore"),
    "xliff": ("contestflow.translation.formats.exchange", "XliffStore"),
    "docx": ("contestflow.translation.formats.reviewdocx", "ReviewDocx"),
}


def store_class(filename: str) -> type[TranslationStore]:
    extension = PurePath(filename).suffix.lower().lstrip(".")
    if extension not in _CLASSES:
        known = ", ".join(f".{e}" for e in _CLASSES)
        raise FormatError(f"{filename}: unknown file type (known: {known})")
    module, name = _CLASSES[extension]
    return getattr(import_module(module), name)  # type: ignore[no-any-return]


__all__ = ["ExchangeUnit", "TranslationStore", "store_class"]
