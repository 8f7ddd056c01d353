"""Machine translation behind one adapter: providers, and the dispatcher that calls them."""

from __future__ import annotations

from typing import Any

from contestflow.translation.errors import TranslationError
from contestflow.translation.mt.base import MTProvider, ProviderError, TermNote
from contestflow.translation.mt.dispatch import AnswerCache, Dispatcher, MTPolicy, MTReport
from contestflow.translation.mt.providers import PROVIDERS

# "none" is no provider at all: the glossary and the memory only.
PROVIDER_NAMES = (*PROVIDERS, "none")


def make_provider(name: str, *, url: str | None = None, api_key: str | None = None,
                  concurrency: int | None = None, **options: Any) -> MTProvider | None:
    """The provider called ``name`` (``None`` for "none"); unknown names are refused."""
    if name == "none":
        return None
    cls = PROVIDERS.get(name)
    if cls is None:
        raise TranslationError(
            f"unknown MT provider {name!r}; choose one of {', '.join(PROVIDER_NAMES)}")
    if name in {"deepl", "yandex", "microsoft"} and not api_key:
        raise TranslationError(f"the {cls.label} provider needs an API key (--api-key)")
    if name == "llm" and not options.get("model"):
        raise TranslationError("the LLM provider needs a model name (--model or "
                               "CONTESTFLOW_MT_MODEL)")
    return cls(url=url, api_key=api_key, concurrency=concurrency, **options)


__all__ = ["PROVIDER_NAMES", "AnswerCache", "Dispatcher", "MTPolicy", "MTProvider", "MTReport",
           "ProviderError", "TermNote", "make_provider"]
