"""What the engine decides for one segment, and the options that steer it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from contestflow.i18n import N_, tr
from contestflow.translation.mt import AnswerCache, MTPolicy, MTProvider

ReviewState = Literal["draft", "translated", "reviewed", "approved"]
Origin = Literal["glossary", "memory", "mt", "human", "source"]
REVIEW_STATE_NAMES: dict[str, str] = {
    "draft": N_("draft"), "translated": N_("translated"), "reviewed": N_("reviewed"),
    "approved": N_("approved"),
}
ORIGIN_NAMES: dict[str, str] = {
    "source": N_("not translated"), "glossary": N_("glossary"),
    "memory": N_("translation memory"), "mt": N_("machine translation"), "human": N_("a person"),
}
# A memory match's note, stored in English with its segment ("99% (formatting differs)").
MATCH_NOTES: dict[str, str] = {
    "numbers updated": N_("numbers updated"), "formatting differs": N_("formatting differs"),
}


def origin_detail_text(lang: str, detail: str) -> str:
    """A stored origin detail as a reviewer reads it in ``lang``."""
    for note, message in MATCH_NOTES.items():
        if f"({note})" in detail:
            return detail.replace(note, tr(lang, message))
    return detail


@dataclass(frozen=True)
class TranslationProgress:
    """How far one document's translation is, in distinct segments to resolve this run
    (segments kept from an earlier run are not counted): ``done`` of ``total``, of which
    ``memory`` from the glossary or the memory, ``mt`` from MT, ``waiting`` left for a person
    (no translation found, MT failed or not allowed)."""

    total: int
    done: int = 0
    memory: int = 0
    mt: int = 0
    waiting: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 100.0

    def describe(self, lang: str) -> str:
        """One line for a person: segments done of all, from memory, from MT, waiting."""
        return tr(lang, N_("segments: %(done)d of %(total)d done; memory %(memory)d, MT "
                           "%(mt)d, waiting for a person %(waiting)d"), done=self.done,
                  total=self.total, memory=self.memory, mt=self.mt, waiting=self.waiting)


@dataclass
class TranslateOptions:
    """How one document is translated.

    ``fuzzy_threshold``: the lowest memory match shown and used (default 75%).
    ``prefer_mt_below``: with an MT provider, a fuzzy match under this score is kept only as
    a suggestion and MT translates the segment.
    ``personal_data`` / ``allow_public_mt``: a material holding personal data goes to a
    public MT service only when the coordinator allowed it.
    ``on_mt_failure``: ``"error"`` stops with one clear line; ``"leave"`` keeps the source
    text in place and marks the segments for a human.
    ``keep``: segments already decided (a stored run's, a reviewer's), by position among the
    document's segments as they are stored. They are taken exactly as given and never looked
    up or sent to MT again: a rerun must not re-send text a person or an earlier run already
    translated.
    ``answers``: where MT answers are looked up before sending and stored as they arrive
    (the engine uses the database's ``mt_answers`` when none is given).
    ``progress``: called with a :class:`TranslationProgress` after the lookups, after each
    MT batch and once at the end (in the caller's thread, never once per segment).
    """

    fuzzy_threshold: int = 75
    prefer_mt_below: int = 85
    personal_data: bool = False
    allow_public_mt: bool = False
    on_mt_failure: Literal["error", "leave"] = "error"
    fallback: MTProvider | None = None
    policy: MTPolicy = field(default_factory=MTPolicy)
    answers: AnswerCache | None = None
    material_id: int | None = None
    persist: bool = False
    title: str = ""
    keep: Mapping[int, SegmentRecord] = field(default_factory=dict)
    progress: Callable[[TranslationProgress], None] | None = None


@dataclass
class SegmentRecord:
    """One target segment: text in display form, where it came from, its state and flags."""

    id: str
    source: str
    target: str
    origin: Origin
    origin_detail: str = ""
    score: int | None = None
    review_state: ReviewState = "draft"
    qa_flags: list[str] = field(default_factory=list)
    comment: str = ""

    @property
    def translated(self) -> bool:
        return self.origin != "source"

    def describe_origin(self, lang: str = "en") -> str:
        """The Origin column of the review document, in the reviewer's language."""
        name = tr(lang, ORIGIN_NAMES.get(self.origin, self.origin))
        if self.origin == "memory":
            return f"{name} {origin_detail_text(lang, self.origin_detail)}".strip()
        if self.origin == "mt" and self.origin_detail:
            return f"{name}: {self.origin_detail}"
        return name
