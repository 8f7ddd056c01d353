"""Translation of Word documents between Russian and English (see README.md here).

The public API, imported lazily so that ``import contestflow.translation.qa`` stays cheap:

* :func:`translate_document` (engine), :class:`TranslateOptions`, :class:`TranslationOutcome`,
  :class:`TranslationProgress` (what ``TranslateOptions.progress`` hears)
* :func:`apply_review`, :func:`write_review`, :func:`export_xliff` (review)
* :func:`make_provider`, :class:`MTPolicy` (mt)
* :func:`seed_glossary`, :func:`import_glossary`, :func:`import_memory`, :func:`export_memory`
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "translate_document": "contestflow.translation.engine",
    "TranslationOutcome": "contestflow.translation.engine",
    "TranslateOptions": "contestflow.translation.records",
    "SegmentRecord": "contestflow.translation.records",
    "TranslationProgress": "contestflow.translation.records",
    "apply_review": "contestflow.translation.review",
    "write_review": "contestflow.translation.review",
    "export_xliff": "contestflow.translation.review",
    "rebuild_document": "contestflow.translation.review",
    "ReviewOutcome": "contestflow.translation.review",
    "make_provider": "contestflow.translation.mt",
    "MTPolicy": "contestflow.translation.mt",
    "seed_glossary": "contestflow.translation.glossary",
    "import_glossary": "contestflow.translation.library",
    "import_memory": "contestflow.translation.library",
    "export_memory": "contestflow.translation.library",
    "TranslationError": "contestflow.translation.errors",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)


__all__ = sorted(_EXPORTS)
