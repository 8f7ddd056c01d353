"""Word forms: what makes "Думой" and "Думы" the same word as "Дума".

Russian words are reduced to their possible lemmas with pymorphy3 (every parse counts, so an
ambiguous form still matches); ё is folded into е first. English words are lower-cased and a
plural or possessive ending is dropped. Results are cached: documents repeat their words.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
CYRILLIC_RE = re.compile(r"[а-яё]", re.IGNORECASE)


def fold(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е").lower()


@lru_cache(maxsize=1)
def _analyzer():  # type: ignore[no-untyped-def]
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def lemmas(word: str) -> frozenset[str]:
    """Every lemma a word form may have (the folded form itself included)."""
    folded = fold(word)
    if CYRILLIC_RE.search(folded):
        found = {parse.normal_form.replace("ё", "е") for parse in _analyzer().parse(folded)}
        return frozenset(found | {folded})
    return frozenset(_english_forms(folded))


def _english_forms(word: str) -> set[str]:
    forms = {word}
    for suffix, replacement in (("'s", ""), ("’s", ""), ("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            forms.add(word[: -len(suffix)] + replacement)
    return forms


def words(text: str) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` for each word of ``text``."""
    return [(m.group(0), m.start(), m.end()) for m in WORD_RE.finditer(text)]
