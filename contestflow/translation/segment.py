"""Sentence segmentation: razdel for Russian, pysbd for English.

Both are wrapped by one function returning character spans, so the caller can cut a paragraph
that also holds inline tags. A guard re-joins splits after abbreviations and initials that the
libraries occasionally cut ("г.", "ул.", "т. е.", "И. И."): a sentence too long is harmless, a
sentence cut inside a name is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

Span = tuple[int, int]

RU_ABBREVIATIONS = {
    "г", "гг", "ул", "пр", "просп", "пер", "пл", "д", "корп", "стр", "кв", "обл", "р-н", "им",
    "т", "е", "п", "н", "др", "пр-т", "рис", "см", "тыс", "млн", "млрд", "руб", "коп",
    "ок", "напр", "т.е", "т.д", "т.п", "т.к", "т.н", "ст", "гл", "разд", "прим", "тел", "каб",
    "пос", "с", "х", "ст-ца", "мкр", "проф", "акад", "доц", "канд", "вв", "в", "н.э", "англ",
}
EN_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "no", "vs", "etc", "e.g", "i.e", "approx", "dept",
    "inc", "ltd", "co", "jr", "sr", "fig", "vol", "pp", "p", "a.m", "p.m", "u.s", "u.k",
}
_LAST_WORD = re.compile(r"([\w.\-]+)\.\s*$")
_INITIAL = re.compile(r"(?:^|[\s(])[A-ZА-ЯЁ]\.\s*$")


@lru_cache(maxsize=1)
def _pysbd_segmenter():  # type: ignore[no-untyped-def]
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _raw_sentences(text: str, lang: str) -> list[str]:
    if lang.startswith("en"):
        return [s for s in _pysbd_segmenter().segment(text) if s.strip()]
    from razdel import sentenize

    return [s.text for s in sentenize(text)]


def _locate(text: str, sentences: list[str]) -> list[Span]:
    spans: list[Span] = []
    cursor = 0
    for sentence in sentences:
        piece = sentence.strip()
        start = text.find(piece, cursor)
        if start < 0:  # the library changed the text: give up splitting this paragraph
            return [(0, len(text))]
        spans.append((start, start + len(piece)))
        cursor = start + len(piece)
    return spans


def _ends_with_abbreviation(sentence: str, lang: str) -> bool:
    if _INITIAL.search(sentence):
        return True
    match = _LAST_WORD.search(sentence)
    if not match:
        return False
    word = match.group(1).lower()
    known = EN_ABBREVIATIONS if lang.startswith("en") else RU_ABBREVIATIONS
    return word in known or (word.rsplit(".", 1)[-1] in known and "." in word)


def _starts_lowercase(sentence: str) -> bool:
    for char in sentence:
        if char.isalpha():
            return char.islower()
        if char.isdigit():
            return False
    return False


def sentence_spans(text: str, lang: str) -> list[Span]:
    """Character spans of the sentences in ``text`` (whitespace between them excluded)."""
    if not text.strip():
        return []
    spans = _locate(text, _raw_sentences(text, lang))
    joined: list[Span] = []
    for start, end in spans:
        if joined:
            previous = text[joined[-1][0] : joined[-1][1]]
            following = text[start:end]
            if _starts_lowercase(following) or (
                _ends_with_abbreviation(previous, lang) and not previous.endswith("..")
                and _is_short_abbreviation_context(previous)
            ):
                joined[-1] = (joined[-1][0], end)
                continue
        joined.append((start, end))
    return joined


def _is_short_abbreviation_context(previous: str) -> bool:
    """Join after an abbreviation unless the abbreviation closes a year or number phrase.

    "в 2019 г. Он ..." ends a sentence; "г. Москва" does not. razdel already gets the
    former right; we only undo its cuts inside names and initials.
    """
    return not re.search(r"\d\s*(?:г|гг|тыс|млн|млрд|руб)\.\s*$", previous)
