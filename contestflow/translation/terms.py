"""Glossary terms through machine translation: sent as placeholders, put back in the right form.

A term found in the source (in any form, any capitals, singular or plural) travels to MT as a
placeholder, like an inline code, so MT cannot mangle it; in the answer the placeholder becomes
the glossary's translation. Into English that is the term as written, in the plural when the
Russian source has it in the plural («городских дум» → "city dumas"). Into Russian the term
takes the case and number its place demands: the case comes from the word that governs it,
a Russian preposition or verb just before it in the translation, else the English
preposition before it in the source ("of" → genitive, "by" → instrumental...); the number
from the source (the plural "Dumas" gives a plural term).
"""

from __future__ import annotations

from dataclasses import dataclass

from contestflow.translation.glossary import INFLECTED_LANGUAGES, Glossary, Term
from contestflow.translation.inline import Tag, Token, merge_text, plain
from contestflow.translation.morph import (
    english_plural,
    fold,
    inflect_phrase,
    part_of_speech,
    russian_plural,
    words,
)

RUSSIAN_PREPOSITIONS = {
    **dict.fromkeys(("в", "во", "на", "о", "об", "обо", "при"), "loct"),
    **dict.fromkeys(("к", "ко", "по", "благодаря", "согласно"), "datv"),
    **dict.fromkeys(("с", "со", "за", "под", "над", "перед", "между", "между"), "ablt"),
    **dict.fromkeys(("через", "про", "сквозь"), "accs"),
    **dict.fromkeys(("от", "из", "до", "для", "без", "у", "около", "после", "среди",
                     "вокруг", "кроме", "против", "возле", "из-за", "ради", "со стороны"),
                    "gent"),
}
ENGLISH_PREPOSITIONS = {
    **dict.fromkeys(("of", "from", "for", "without", "after", "since", "among", "near",
                     "against", "until", "except", "'s"), "gent"),
    **dict.fromkeys(("to", "towards", "thanks"), "datv"),
    **dict.fromkeys(("by", "with", "between", "under", "over", "behind", "before"), "ablt"),
    **dict.fromkeys(("in", "at", "on", "about", "during"), "loct"),
    **dict.fromkeys(("through", "into", "onto", "via"), "accs"),
}
ARTICLES = {"the", "a", "an"}


@dataclass(frozen=True)
class TermSlot:
    """One term occurrence sent as a placeholder: the term, and what its source place says."""

    term: Term
    plural: bool = False
    source_case: str | None = None
    capital: bool = False


def _plural(found: str, term: Term, source_lang: str) -> bool:
    """Whether the source has the term in the plural ("Dumas", «городских дум»)."""
    if source_lang == "ru":
        return russian_plural(found, term.source)
    if source_lang != "en":
        return False
    written = [fold(w) for w, _, _ in words(found)]
    wanted = [fold(w) for w, _, _ in words(term.source)]
    head = wanted.index("of") - 1 if "of" in wanted else len(wanted) - 1
    return (0 <= head < len(written) and written[head] != wanted[head]
            and written[head].endswith("s"))


def _source_case(before: str, source_lang: str) -> str | None:
    if source_lang != "en":
        return None
    previous = [fold(w) for w, _, _ in words(before)]
    while previous and previous[-1] in ARTICLES:
        previous.pop()
    return ENGLISH_PREPOSITIONS.get(previous[-1]) if previous else None


def protect_terms(tokens: list[Token], glossary: Glossary | None, first_id: int
                  ) -> tuple[list[Token], dict[int, TermSlot]]:
    """Tokens with glossary terms replaced by placeholders numbered from ``first_id``."""
    if glossary is None or not len(glossary):
        return tokens, {}
    next_id = first_id
    slots: dict[int, TermSlot] = {}
    out: list[Token] = []
    for index, token in enumerate(tokens):
        if not isinstance(token, str):
            out.append(token)
            continue
        position = 0
        for match in glossary.find(token):
            before = plain(out) + token[position : match.start]
            found = token[match.start : match.end]
            slots[next_id] = TermSlot(
                match.term, _plural(found, match.term, glossary.source_lang),
                _source_case(before, glossary.source_lang),
                capital=index == 0 and not before.strip())
            out.extend([token[position : match.start], Tag("ph", next_id)])
            next_id += 1
            position = match.end
        out.append(token[position:])
    return merge_text(out), slots


def governed_case(before: str, slot: TermSlot) -> str:
    """The case a term takes after ``before`` (the translation up to the term)."""
    previous = [w for w, _, _ in words(before)]
    if previous:
        word = fold(previous[-1])
        if word in RUSSIAN_PREPOSITIONS:
            return RUSSIAN_PREPOSITIONS[word]
    if slot.source_case is not None:
        return slot.source_case
    if previous and part_of_speech(previous[-1]) in ("VERB", "INFN"):
        return "accs"
    return "nomn"


def written_term(slot: TermSlot, before: str, target_lang: str) -> str:
    """The glossary's translation as it stands after ``before`` in the target."""
    text = slot.term.target
    if target_lang in INFLECTED_LANGUAGES:
        text = inflect_phrase(text, governed_case(before, slot), slot.plural)
    elif target_lang == "en" and slot.plural:
        text = english_plural(text)
    starts_sentence = not before.strip() or before.rstrip()[-1:] in ".!?"
    if (slot.capital or starts_sentence) and text[:1].islower():
        text = text[:1].upper() + text[1:]
    return text


def whole_term(term: Term, found: str, source_lang: str, target_lang: str) -> str:
    """The glossary's translation of a segment that is nothing but the term: as written, or
    in the plural when ``found`` (the segment) has the term in the plural."""
    if not _plural(found, term, source_lang):
        return term.target
    if target_lang in INFLECTED_LANGUAGES:
        return inflect_phrase(term.target, "nomn", True)
    return english_plural(term.target) if target_lang == "en" else term.target


def terms_intact(tokens: list[Token], slots: dict[int, TermSlot]) -> bool:
    """Whether every term's placeholder came back exactly once, as a placeholder."""
    seen = [t for t in tokens if isinstance(t, Tag) and t.id in slots]
    return sorted(t.id for t in seen) == sorted(slots) and all(t.kind == "ph" for t in seen)


def place_terms(tokens: list[Token], slots: dict[int, TermSlot], target_lang: str
                ) -> list[Token]:
    """The answer's term placeholders replaced by the terms in their fitting form."""
    out: list[Token] = []
    for token in tokens:
        if isinstance(token, Tag) and token.id in slots:
            if token.kind == "ph":
                out.append(written_term(slots[token.id], plain(out), target_lang))
        else:
            out.append(token)
    return merge_text(out)
