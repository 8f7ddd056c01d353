"""Each contest's own outcome vocabulary, read from the catalog at runtime.

Outcomes are never hard-coded: an outcome is valid for a contest when its definition lists it,
by id (``special-diploma``) or by its Russian or English name (``Специальный диплом``), and it
counts as a success when the definition marks it ``awarded``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from contestflow.catalog import Catalog, CatalogError
from contestflow.i18n import N_, Message
from schemas import ContestDefinition
from schemas.contest import Outcome


@dataclass(frozen=True)
class OutcomeInfo:
    """What a ledger row's outcome means, even if the definition has since dropped it."""

    id: str
    name_ru: str
    name_en: str
    awarded: bool
    known: bool = True
    decided: bool = True  # False: sent, and nobody knows whether it won

    def name(self, lang: str) -> str:
        return self.name_ru if lang == "ru" else self.name_en


def fold(text: str) -> str:
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def resolve_outcome(definition: ContestDefinition, text: str) -> Outcome | None:
    """The outcome ``text`` names (its id or its name in either language), or None."""
    wanted = fold(text)
    for outcome in definition.outcomes:
        if wanted in {fold(outcome.id), fold(outcome.names.ru), fold(outcome.names.en)}:
            return outcome
    return None


def vocabulary_hint(definition: ContestDefinition, text: str = "") -> Message:
    """``its outcomes: a, b, c`` plus ``did you mean …?`` when ``text`` is close to one."""
    ids = [outcome.id for outcome in definition.outcomes]
    close = difflib.get_close_matches(text.strip().lower(), ids, n=1, cutoff=0.6)
    if close:
        return Message(N_("its outcomes: %(outcomes)s; did you mean '%(close)s'?"),
                       outcomes=", ".join(ids), close=close[0])
    return Message(N_("its outcomes: %(outcomes)s"), outcomes=", ".join(ids))


def outcome_info(definition: ContestDefinition | None, outcome_id: str) -> OutcomeInfo:
    """The outcome's names and awarded flag; an id the definition no longer has counts as
    not awarded and is shown as is, so an edited YAML never breaks an old report."""
    if definition is not None:
        for outcome in definition.outcomes:
            if outcome.id == outcome_id:
                return OutcomeInfo(outcome.id, outcome.names.ru, outcome.names.en, outcome.awarded,
                                   decided=outcome.decided)
    return OutcomeInfo(outcome_id, outcome_id, outcome_id, awarded=False, known=False)


def definition_or_none(catalog: Catalog, contest_id: str) -> ContestDefinition | None:
    try:
        return catalog.get(contest_id)
    except CatalogError:
        return None


def contest_name(catalog: Catalog, contest_id: str, lang: str, fallback: str = "") -> str:
    definition = definition_or_none(catalog, contest_id)
    if definition is None:
        return fallback or contest_id
    return definition.names.ru if lang == "ru" else definition.names.en


def resolve_contest(catalog: Catalog, text: str) -> ContestDefinition | None:
    """The contest ``text`` names: its id, or its full Russian or English name."""
    wanted = fold(text)
    for definition in catalog:
        if wanted in {fold(definition.id), fold(definition.names.ru), fold(definition.names.en)}:
            return definition
    return None


def contest_hint(catalog: Catalog, text: str) -> str:
    ids = sorted(definition.id for definition in catalog)
    close = difflib.get_close_matches(text.strip().lower(), ids, n=1, cutoff=0.6)
    hint = f"known: {', '.join(ids) or 'none'}"
    return f"did you mean {close[0]!r}? ({hint})" if close else f"({hint})"
