"""The glossary: terms that must be translated one way, found in any grammatical form.

A term is matched word by word on lemmas, so "Городская Дума" also finds
"Городской Думы" and "Думой"; ё and е are one letter; case is ignored. The same
rows serve both directions: an ru→en entry is also an en→ru entry.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.db.models import GlossaryTerm
from contestflow.translation.morph import fold, lemmas, words

INFLECTED_LANGUAGES = {"ru", "uk", "be", "pl", "cs"}
SEED_FILE = "glossary-ru-en.csv"


@dataclass(frozen=True)
class Term:
    source: str
    target: str
    note: str = ""


@dataclass(frozen=True)
class TermMatch:
    term: Term
    start: int
    end: int


Pattern = tuple[frozenset[str], ...]


def compile_pattern(text: str) -> Pattern:
    return tuple(lemmas(word) for word, _, _ in words(text))


def find_pattern(pattern: Pattern, text: str) -> list[tuple[int, int]]:
    """Character spans where ``pattern`` occurs in ``text``, in any word form."""
    if not pattern:
        return []
    found_words = words(text)
    spans = []
    for index in range(len(found_words) - len(pattern) + 1):
        for offset, forms in enumerate(pattern):
            word = found_words[index + offset][0]
            if fold(word)[:2] not in {f[:2] for f in forms} or not lemmas(word) & forms:
                break
        else:
            spans.append((found_words[index][1], found_words[index + len(pattern) - 1][2]))
    return spans


class Glossary:
    def __init__(self, terms: list[Term], source_lang: str, target_lang: str) -> None:
        self.source_lang, self.target_lang = source_lang, target_lang
        self.terms = [t for t in terms if t.source.strip() and t.target.strip()]
        self._targets = {term: compile_pattern(term.target) for term in self.terms}
        self._by_prefix: dict[str, list[tuple[Term, Pattern, list[set[str]]]]] = {}
        for term in self.terms:
            pattern = compile_pattern(term.source)
            if not pattern:
                continue
            prefixes = [{form[:2] for form in forms} for forms in pattern]
            for prefix in prefixes[0]:
                self._by_prefix.setdefault(prefix, []).append((term, pattern, prefixes))
        self._cache: dict[str, list[TermMatch]] = {}

    def __len__(self) -> int:
        return len(self.terms)

    def find(self, text: str) -> list[TermMatch]:
        """Non-overlapping term occurrences, longest first, in text order."""
        cached = self._cache.get(text)
        if cached is None:
            cached = self._find(text)
            if len(self._cache) < 50_000:
                self._cache[text] = cached
        return list(cached)

    def _find(self, text: str) -> list[TermMatch]:
        if not self._by_prefix:
            return []
        found = words(text)
        heads = [fold(word)[:2] for word, _, _ in found]
        candidates = []
        for index, head in enumerate(heads):
            for term, pattern, prefixes in self._by_prefix.get(head, ()):
                end = index + len(pattern)
                if end <= len(found) and all(
                    heads[index + k] in prefixes[k] and lemmas(found[index + k][0]) & forms
                    for k, forms in enumerate(pattern)
                ):
                    candidates.append(TermMatch(term, found[index][1], found[end - 1][2]))
        chosen: list[TermMatch] = []
        for match in sorted(candidates, key=lambda m: (m.start - m.end, m.start)):
            if all(match.end <= c.start or match.start >= c.end for c in chosen):
                chosen.append(match)
        return sorted(chosen, key=lambda m: m.start)

    def whole(self, text: str) -> Term | None:
        """The term when ``text`` is nothing but one term (punctuation aside)."""
        stripped = text.strip().strip(".:;,!?\"'«»“”()")
        matches = self.find(stripped)
        if len(matches) == 1 and matches[0].start == 0 and matches[0].end == len(stripped):
            return matches[0].term
        return None

    def followed(self, term: Term, target_text: str) -> bool:
        return bool(find_pattern(self._targets[term], target_text))

    def target_spans(self, term: Term, target_text: str) -> list[tuple[int, int]]:
        """Where the term's translation stands in ``target_text``, in any word form."""
        return find_pattern(self._targets[term], target_text)


def load_glossary(session: Session, source_lang: str, target_lang: str) -> Glossary:
    """Terms for a direction: rows stored that way plus reversed rows of the other way."""
    terms: dict[str, Term] = {}
    rows = session.execute(select(GlossaryTerm).where(
        ((GlossaryTerm.source_lang == target_lang) & (GlossaryTerm.target_lang == source_lang))
        | ((GlossaryTerm.source_lang == source_lang) & (GlossaryTerm.target_lang == target_lang))
    )).scalars()
    for row in rows:
        if row.source_lang == source_lang:
            terms[fold(row.source_term)] = Term(row.source_term, row.target_term, row.note)
        else:
            terms.setdefault(fold(row.target_term), Term(row.target_term, row.source_term,
                                                         row.note))
    return Glossary(list(terms.values()), source_lang, target_lang)


def store_terms(session: Session, terms: list[Term], source_lang: str, target_lang: str,
                *, replace: bool = True) -> int:
    """Add or update terms; returns how many rows changed. Running it twice changes nothing."""
    existing = {
        row.source_term: row
        for row in session.execute(select(GlossaryTerm).where(
            GlossaryTerm.source_lang == source_lang, GlossaryTerm.target_lang == target_lang
        )).scalars()
    }
    changed = 0
    for term in terms:
        row = existing.get(term.source)
        if row is None:
            row = GlossaryTerm(source_lang=source_lang, target_lang=target_lang,
                               source_term=term.source, target_term=term.target, note=term.note)
            session.add(row)
            existing[term.source] = row
            changed += 1
        elif replace and (row.target_term, row.note) != (term.target, term.note):
            row.target_term, row.note = term.target, term.note
            changed += 1
    session.flush()
    return changed


def read_seed_terms() -> list[Term]:
    text = resources.files("contestflow.translation.data").joinpath(SEED_FILE).read_text(
        encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    return [Term(r["source"].strip(), r["target"].strip(), (r.get("note") or "").strip())
            for r in reader if r.get("source") and r.get("target")]


def seed_glossary(session: Session) -> int:
    """Put the department's seed glossary (ru→en) in the database; idempotent."""
    return store_terms(session, read_seed_terms(), "ru", "en", replace=False)
