"""Errors of the translation package. Every message is one line a person can act on."""

from __future__ import annotations

from contestflow.errors import Refusal


class TranslationError(Refusal, Exception):
    """Base of every error this package raises on purpose."""


class DocumentError(TranslationError):
    """The document cannot be read, or the result would not be a valid document."""


class ReviewError(TranslationError):
    """A reviewed file cannot be applied (changed source, unknown rows, broken markers)."""


class FormatError(TranslationError):
    """An exchange file (TMX, XLIFF, TBX, CSV) is malformed."""


class MTError(TranslationError):
    """Machine translation failed for good (after retries, fallback and circuit breaker)."""


class PersonalDataBlocked(TranslationError):
    """A material holding personal data may not go to a public MT service."""
