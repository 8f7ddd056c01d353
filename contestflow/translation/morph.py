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


@lru_cache(maxsize=20_000)
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


AGREEING = ("NOUN", "ADJF", "PRTF")
ENGLISH_IRREGULAR_PLURALS = {"man": "men", "woman": "women", "child": "children",
                             "person": "people", "chairman": "chairmen",
                             "chairwoman": "chairwomen"}


def russian_plural(found: str, term: str) -> bool:
    """Whether a Russian term (``term``, in the dictionary form) stands in the plural in a
    text (as ``found``) for certain: every word up to its head noun can only be plural there
    («городских дум», «Думам»). A form that may be either («думы»: of the duma, or dumas)
    counts as singular."""
    head = _head_noun(term)
    written = words(found)
    possible: frozenset[str] | None = None
    for word, _, _ in written[: head + 1] if head is not None else written:
        numbers = _numbers(word)
        if numbers:
            possible = numbers if possible is None else possible & numbers
    return possible == {"plur"}


@lru_cache(maxsize=20_000)
def _head_noun(term: str) -> int | None:
    """The position of a dictionary-form term's head noun among its words."""
    return next((k for k, (word, _, _) in enumerate(words(term))
                 if (parse := _nominative(word)) is not None and parse.tag.POS == "NOUN"),
                None)


@lru_cache(maxsize=200_000)
def _numbers(word: str) -> frozenset[str]:
    """The numbers a Russian noun, adjective or participle form may be in (none for others)."""
    if not CYRILLIC_RE.search(word):
        return frozenset()
    return frozenset(p.tag.number for p in _analyzer().parse(fold(word))
                     if p.tag.POS in AGREEING and p.tag.number)


def english_plural(phrase: str) -> str:
    """An English term (written in the singular) in the plural: its head noun, the last word
    before "of" or else the last word, takes the plural ("city duma" → "city dumas",
    "chairman of the board" → "chairmen of the board")."""
    found = words(phrase)
    folded = [fold(word) for word, _, _ in found]
    head = next((k for k in range(1, len(folded)) if folded[k] == "of"), len(found)) - 1
    if head < 0:
        return phrase
    word, start, end = found[head]
    return phrase[:start] + _english_plural_word(word) + phrase[end:]


def _english_plural_word(word: str) -> str:
    lower = word.lower()
    if word.isupper() and len(word) > 1:
        return word + "s"  # an abbreviation: NGOs
    if lower in ENGLISH_IRREGULAR_PLURALS:
        plural = ENGLISH_IRREGULAR_PLURALS[lower]
    elif lower.endswith(("s", "x", "z", "ch", "sh")):
        plural = lower + "es"
    elif lower.endswith("y") and lower[-2:-1] not in ("a", "e", "i", "o", "u", ""):
        plural = lower[:-1] + "ies"
    else:
        plural = lower + "s"
    return _shaped(word, plural)


def part_of_speech(word: str) -> str | None:
    """pymorphy3's most likely part of speech of a Russian word (``None`` for others)."""
    if not CYRILLIC_RE.search(word):
        return None
    return _analyzer().parse(fold(word))[0].tag.POS
