"""The translation memory: approved segment pairs, looked up exactly, by numbers, or fuzzily.

Units live in ``translation_units`` keyed by the sha256 of the normalised source (display form,
so formatting tags count). A lookup run loads one language pair into a :class:`MemoryIndex`
(both directions: an ru→en unit also answers en→ru), then answers in order:

1. exact (100): the same normalised source;
2. formatting (99): the same words, different formatting tags (a memory stored as plain text
   meets a sentence with a bold word or a link); the caller places the tags;
3. numbers (99): the same text except numbers, the target's numbers replaced by the new ones;
4. fuzzy (score): the best ``rapidfuzz`` ratio at or above the threshold among candidates that
   share rare words or word pairs with the query (an inverted index, so 10,000 queries against
   100,000 units take seconds, not hours).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.db.models import TranslationUnit
from contestflow.translation.inline import strip_display
from contestflow.translation.morph import fold
from contestflow.translation.numbers import find_numbers, mask, write_number

WORD_RE = re.compile(r"[^\W_]+")
MatchKind = Literal["exact", "formatting", "numbers", "fuzzy"]
CANDIDATES = 12


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def source_key(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def band(score: int) -> str:
    """The match band a reviewer sees: 100%, 95–99%, 85–94%, 75–84%, below."""
    if score >= 100:
        return "100%"
    for low, high in ((95, 99), (85, 94), (75, 84)):
        if score >= low:
            return f"{low}–{high}%"
    return "<75%"


@dataclass(frozen=True)
class MemoryUnit:
    source: str
    target: str
    origin: str = "human"
    note: str = ""


@dataclass(frozen=True)
class MemoryMatch:
    unit: MemoryUnit
    score: int
    kind: MatchKind
    target: str


def _fuzzy_form(text: str) -> str:
    return fold(" ".join(strip_display(text).split()))


def _features(form: str) -> tuple[list[str], list[str]]:
    """Word stems (first five letters) and neighbouring stem pairs of a folded text."""
    stems = [word[:5] for word in WORD_RE.findall(form)]
    pairs = [f"{a} {b}" for a, b in pairwise(stems)]
    return list(dict.fromkeys(stems)), list(dict.fromkeys(pairs))


class MemoryIndex:
    """An in-memory index over the units of one language pair."""

    def __init__(self, units: Iterable[MemoryUnit], source_lang: str, target_lang: str,
                 *, budget: int = 4_000) -> None:
        self.source_lang, self.target_lang = source_lang, target_lang
        self.units: list[MemoryUnit] = []
        self._forms: list[str] = []
        self._exact: dict[str, int] = {}
        self._plain: dict[str, int] = {}
        self._masked: dict[str, list[int]] = {}
        self._postings: dict[str, array] = {}
        self._budget = budget
        for unit in units:
            self.add(unit)

    def __len__(self) -> int:
        return len(self.units)

    def add(self, unit: MemoryUnit) -> None:
        key = normalise(unit.source)
        if key in self._exact:
            self.units[self._exact[key]] = unit
            return
        index = len(self.units)
        self.units.append(unit)
        form = _fuzzy_form(unit.source)
        self._forms.append(form)
        self._exact[key] = index
        self._plain.setdefault(normalise(strip_display(key)), index)
        self._masked.setdefault(mask(key), []).append(index)
        stems, pairs = _features(form)
        for feature in stems + pairs:
            self._postings.setdefault(feature, array("i")).append(index)

    def lookup(self, source: str, threshold: int = 75) -> MemoryMatch | None:
        key = normalise(source)
        if key in self._exact:
            unit = self.units[self._exact[key]]
            return MemoryMatch(unit, 100, "exact", unit.target)
        plain_key = normalise(strip_display(key))
        if plain_key in self._plain:
            unit = self.units[self._plain[plain_key]]
            return MemoryMatch(unit, 99, "formatting", strip_display(unit.target))
        numbered = self._by_numbers(key)
        if numbered is not None:
            return numbered
        return self._fuzzy(key, threshold)

    def _by_numbers(self, key: str) -> MemoryMatch | None:
        masked = mask(key)
        if masked == key:
            return None
        for index in self._masked.get(masked, []):
            unit = self.units[index]
            target = fill_numbers(unit.source, unit.target, key, self.source_lang,
                                  self.target_lang)
            if target is not None:
                return MemoryMatch(unit, 99, "numbers", target)
        return None

    def _count(self, features: list[str]) -> Counter[int]:
        """How many of the query's rarest features each unit shares.

        Rarest first, within a budget of postings: a unit that matches at 75% or more shares
        most features, so it shares rare ones too; common features only cost time.
        """
        lists = sorted((p for f in features if (p := self._postings.get(f)) is not None),
                       key=len)
        counts: Counter[int] = Counter()
        spent = 0
        for postings in lists:
            if spent and spent + len(postings) > self._budget:
                break
            counts.update(postings[: self._budget])
            spent += len(postings)
        return counts

    def _fuzzy(self, key: str, threshold: int) -> MemoryMatch | None:
        form = _fuzzy_form(key)
        stems, pairs = _features(form)
        counts = self._count(pairs) if len(pairs) >= 2 else Counter()
        if not counts:
            counts = self._count(stems)
        if not counts:
            return None
        low, high = len(form) * 0.6, len(form) / 0.6
        best: tuple[float, int] | None = None
        for index, _ in counts.most_common(CANDIDATES * 4):
            candidate = self._forms[index]
            if not low <= len(candidate) <= high:
                continue
            score = fuzz.ratio(form, candidate, score_cutoff=threshold)
            if score and (best is None or score > best[0]):
                best = (score, index)
        if best is None:
            return None
        unit = self.units[best[1]]
        score = min(int(best[0]), 98)
        return MemoryMatch(unit, score, "fuzzy", unit.target)


def fill_numbers(old_source: str, old_target: str, new_source: str, source_lang: str,
                 target_lang: str) -> str | None:
    """The old target with the old source's numbers replaced by the new source's numbers."""
    old = find_numbers(old_source, source_lang)
    new = find_numbers(new_source, source_lang)
    if len(old) != len(new):
        return None
    targets = find_numbers(old_target, target_lang)
    replacements: dict[int, tuple[int, str]] = {}
    for before, after in zip(old, new, strict=True):
        if before.value == after.value:
            continue
        spot = next((t for t in targets if t.value == before.value and t.start not in
                     replacements), None)
        if spot is None:
            return None
        replacements[spot.start] = (spot.end, write_number(after.value, target_lang, spot.raw))
    text = old_target
    for start in sorted(replacements, reverse=True):
        end, written = replacements[start]
        text = text[:start] + written + text[end:]
    return text


def load_memory(session: Session, source_lang: str, target_lang: str) -> MemoryIndex:
    """Every unit usable for this direction (reversed units of the other direction too)."""
    rows = session.execute(select(
        TranslationUnit.source_lang, TranslationUnit.source_text, TranslationUnit.target_text,
        TranslationUnit.origin, TranslationUnit.note,
    ).where(
        ((TranslationUnit.source_lang == source_lang) & (TranslationUnit.target_lang ==
                                                         target_lang))
        | ((TranslationUnit.source_lang == target_lang) & (TranslationUnit.target_lang ==
                                                           source_lang))
    ).order_by(TranslationUnit.id))
    reverse, direct = [], []
    for lang, src, tgt, origin, note in rows:
        if lang == source_lang:
            direct.append(MemoryUnit(src, tgt, origin, note))
        else:
            reverse.append(MemoryUnit(tgt, src, origin, note))
    return MemoryIndex([*reverse, *direct], source_lang, target_lang)


def store_units(session: Session, units: Iterable[MemoryUnit], source_lang: str,
                target_lang: str, *, created_by: str = "") -> int:
    """Insert or update units (one row per normalised source); returns rows changed."""
    wanted: dict[str, MemoryUnit] = {}
    for unit in units:
        if unit.source.strip() and unit.target.strip():
            wanted[source_key(unit.source)] = unit
    changed = 0
    keys = list(wanted)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing = {
            row.source_key: row
            for row in session.execute(select(TranslationUnit).where(
                TranslationUnit.source_lang == source_lang,
                TranslationUnit.target_lang == target_lang,
                TranslationUnit.source_key.in_(chunk),
            )).scalars()
        }
        for key in chunk:
            unit, row = wanted[key], existing.get(key)
            if row is None:
                session.add(TranslationUnit(
                    source_lang=source_lang, target_lang=target_lang, source_key=key,
                    source_text=normalise(unit.source), target_text=unit.target.strip(),
                    origin=unit.origin, note=unit.note, created_by=created_by))
                changed += 1
            elif (row.target_text, row.note) != (unit.target.strip(), unit.note):
                row.target_text, row.origin, row.note = unit.target.strip(), unit.origin, \
                    unit.note
                changed += 1
    session.flush()
    return changed


def all_units(session: Session, source_lang: str, target_lang: str) -> list[MemoryUnit]:
    rows = session.execute(select(TranslationUnit).where(
        TranslationUnit.source_lang == source_lang, TranslationUnit.target_lang == target_lang
    ).order_by(TranslationUnit.id)).scalars()
    return [MemoryUnit(r.source_text, r.target_text, r.origin, r.note) for r in rows]
