"""Import and export of the department's language resources: memory (TMX) and glossary."""

from __future__ import annotations

from sqlalchemy.orm import Session

from contestflow.translation.formats import TranslationStore, store_class
from contestflow.translation.formats.exchange import TmxStore
from contestflow.translation.glossary import Term, load_glossary, store_terms
from contestflow.translation.memory import MemoryUnit, all_units, store_units


def import_memory(session: Session, data: bytes, source_lang: str, target_lang: str,
                  *, created_by: str = "import") -> int:
    """Add the units of a TMX file to the memory; returns rows added or changed."""
    store = TmxStore.parse(data, source_lang, target_lang)
    units = [MemoryUnit(u.source, u.target, u.origin or "human", u.note) for u in store.units]
    return store_units(session, units, source_lang, target_lang, created_by=created_by)


def memory_exchange(session: Session, source_lang: str, target_lang: str) -> TmxStore:
    """The memory for a direction as a TMX 1.4b store."""
    from contestflow.translation.formats.base import ExchangeUnit

    units = [ExchangeUnit(source=u.source, target=u.target, origin=u.origin, note=u.note)
             for u in all_units(session, source_lang, target_lang)]
    return TmxStore(units, source_lang, target_lang)


def export_memory(session: Session, source_lang: str, target_lang: str) -> bytes:
    return memory_exchange(session, source_lang, target_lang).serialize()


def import_glossary(session: Session, data: bytes, filename: str, source_lang: str,
                    target_lang: str) -> int:
    """Add or update terms from a CSV (``source,target[,note]``) or TBX file."""
    cls = store_class(filename)
    if cls.Kind != "glossary":
        from contestflow.translation.errors import FormatError

        raise FormatError(f"{filename}: a glossary must be .csv or .tbx")
    store = cls.parse(data, source_lang, target_lang)
    terms = [Term(u.source, u.target, u.note) for u in store.units]
    return store_terms(session, terms, source_lang, target_lang)


def glossary_exchange(session: Session, source_lang: str, target_lang: str, *,
                      tbx2: bool = False) -> TranslationStore:
    """The glossary for a direction as TBX-Basic: v3 (``tbx``), or v2 (``martif``)."""
    from contestflow.translation.formats.base import ExchangeUnit
    from contestflow.translation.formats.glossaries import MartifGlossary, TbxGlossary

    terms = load_glossary(session, source_lang, target_lang).terms
    units = [ExchangeUnit(source=t.source, target=t.target, note=t.note) for t in terms]
    store_type = MartifGlossary if tbx2 else TbxGlossary
    return store_type(units, source_lang, target_lang)
