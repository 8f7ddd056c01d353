"""What every machine-translation provider is, and how its failures are told apart.

A provider translates a batch of texts (wire form, tags included) in one HTTP request and
raises one of the errors below; it never retries, never waits and never returns ``None``.
Retrying, backing off, the circuit breaker, fallback and concurrency are the dispatcher's job
(:mod:`contestflow.translation.mt.dispatch`), so each provider stays a thin adapter.
"""

from __future__ import annotations

import ipaddress
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlsplit


class ProviderError(Exception):
    """One request failed. Deliberately not an OSError nor a requests exception, so that
    deep-translator's own ``except`` clauses never swallow it."""

    retryable: ClassVar[bool] = True
    fatal: ClassVar[bool] = False

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Unreachable(ProviderError):
    """The connection failed or timed out."""


class RateLimited(ProviderError):
    """HTTP 429: too many requests (``retry_after`` from the Retry-After header)."""


class ServerFailed(ProviderError):
    """HTTP 5xx."""


class BadResponse(ProviderError):
    """The answer was not a translation (garbage, empty, wrong shape)."""


class Rejected(ProviderError):
    """HTTP 4xx other than 429: this request will not succeed if repeated."""

    retryable = False


class AuthFailed(Rejected):
    """HTTP 401/403: the key is wrong; no further request can succeed."""

    fatal = True


class CircuitOpen(ProviderError):
    """The circuit breaker is open: the provider failed repeatedly, requests are not sent."""

    retryable = False


@dataclass(frozen=True)
class TermNote:
    """A glossary term in a text sent to MT, told to the providers that can read it (an LLM's
    prompt). ``tag`` is the placeholder standing for it, when it travels as one."""

    source: str
    target: str
    tag: int | None = None


def is_private_url(url: str | None) -> bool:
    """Whether ``url`` names this machine or a private network (a self-hosted service)."""
    if not url:
        return False
    host = (urlsplit(url).hostname or "").strip("[]")
    if host in {"localhost", ""} or host.endswith(".local"):
        return bool(host)
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback


class MTProvider(ABC):
    """A machine-translation service. Subclasses state their facts as class attributes."""

    name: ClassVar[str]
    label: ClassVar[str]
    max_chars: ClassVar[int] = 4_500
    batch_size: ClassVar[int] = 1
    default_concurrency: ClassVar[int] = 4
    default_url: ClassVar[str] = ""

    def __init__(self, *, url: str | None = None, api_key: str | None = None,
                 concurrency: int | None = None, public: bool | None = None) -> None:
        self.url = (url or self.default_url).rstrip("/")
        self.api_key = api_key
        self.concurrency = max(1, concurrency or self.default_concurrency)
        self.public = (not is_private_url(url)) if public is None else public

    def describe(self) -> str:
        return f"{self.label} at {self.url}" if self.url else self.label

    @abstractmethod
    def translate_batch(self, texts: list[str], source: str, target: str,
                        timeout: tuple[float, float]) -> list[str]:
        """Translations of ``texts`` in order; at most ``batch_size`` texts, each at most
        ``max_chars`` long. Raises :class:`ProviderError` subclasses only."""

    def translate_with_terms(self, texts: list[str], source: str, target: str,
                             timeout: tuple[float, float],
                             terms: Sequence[Sequence[TermNote]]) -> list[str]:
        """``translate_batch`` told the glossary terms of each text (``terms`` is aligned
        with ``texts``). Only a provider that can use them (an LLM's prompt) overrides this;
        the placeholders protect the terms whatever the provider does with the notes."""
        return self.translate_batch(texts, source, target, timeout)
