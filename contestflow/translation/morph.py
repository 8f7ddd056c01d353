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


def _shaped(like: str, word: str) -> str:
    """``word`` written with the capitals of ``like`` (ГОРОД, Город, город)."""
    if like.isupper() and len(like) > 1:
        return word.upper()
    if like[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _nominative(word: str):  # type: ignore[no-untyped-def]
    """The parse of a dictionary-form word: a nominative noun or adjective if it can be one."""
    parses = _analyzer().parse(fold(word))
    for parse in parses:
        if parse.tag.case == "nomn" and parse.tag.POS in ("NOUN", "ADJF", "PRTF"):
            return parse
    return None


@lru_cache(maxsize=20_000)
def inflect_phrase(phrase: str, case: str, plural: bool = False) -> str:
    """A Russian term (written in the nominative) in ``case`` and number.

    The words up to and including the head noun change (the adjectives before it agree with
    it), and so does a group joined to it by «и»/«или»; the words after the head keep their
    form ("председатель Ставропольской городской Думы" → "председателя Ставропольской
    городской Думы"). A word pymorphy3 does not know keeps its form, as does an abbreviation.
    """
    if case == "nomn" and not plural:
        return phrase
    found = words(phrase)
    parses = [_nominative(word) for word, _, _ in found]
    changing: list[int] = []
    index = 0
    while index < len(found):
        head = next((k for k in range(index, len(found))
                     if parses[k] is not None and parses[k].tag.POS == "NOUN"), None)
        if head is None:
            break
        changing.append(head)
        following = head + 1
        if following < len(found) and fold(found[following][0]) in ("и", "или"):
            index = following + 1
            continue
        break
    if not changing:
        return phrase
    replaced: dict[int, str] = {}
    start = 0
    for head in changing:
        noun = parses[head]
        number = "plur" if plural or noun.tag.number == "plur" else "sing"
        for k in range(start, head + 1):
            changed = _agree(found[k][0], parses[k], noun, case, number)
            if changed is not None:
                replaced[k] = changed
        start = head + 2
    out, cursor = [], 0
    for k, (word, begin, end) in enumerate(found):
        out.append(phrase[cursor:begin])
        out.append(replaced.get(k, word))
        cursor = end
    out.append(phrase[cursor:])
    return "".join(out)


def _agree(word: str, parse, noun, case: str, number: str) -> str | None:  # type: ignore[no-untyped-def]
    """``word`` in the case and number of its head ``noun`` (``None``: leave it)."""
    if parse is None or (word.isupper() and len(word) > 1):
        return None
    wanted = {case, number}
    if parse.tag.POS != "NOUN" and number == "sing" and noun.tag.gender:
        wanted.add(noun.tag.gender)
    tries = [wanted]
    if case == "accs" and parse.tag.POS != "NOUN" and noun.tag.animacy:
        tries.insert(0, wanted | {noun.tag.animacy})
    for grammemes in tries:
        changed = parse.inflect(grammemes)
        if changed is not None:
            return _shaped(word, changed.word)
    return None


def part_of_speech(word: str) -> str | None:
    """pymorphy3's most likely part of speech of a Russian word (``None`` for others)."""
    if not CYRILLIC_RE.search(word):
        return None
    return _analyzer().parse(fold(word))[0].tag.POS
