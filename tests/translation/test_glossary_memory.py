"""Glossary matching in any grammatical form; the translation memory on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from contestflow.db.session import session_scope
from contestflow.translation.glossary import (
    Glossary,
    Term,
    load_glossary,
    read_seed_terms,
    seed_glossary,
    store_terms,
)
from contestflow.translation.library import export_memory, import_memory
from contestflow.translation.memory import MemoryIndex, MemoryUnit, band, load_memory, store_units

SEED = read_seed_terms()


@pytest.mark.parametrize(("text", "found"), [
    ("Решение Ставропольской городской Думы", "Ставропольской городской Думы"),
    ("депутаты Ставропольской городской думой", "Ставропольской городской думой"),
    ("в составе Объединенных городов и местных властей", "Объединенных городов и местных "
                                                           "властей"),
    ("с породнёнными городами", "породнёнными городами"),
    ("к Целям устойчивого развития", "Целям устойчивого развития"),
])
def test_russian_terms_match_in_any_case_and_number(text: str, found: str) -> None:
    glossary = Glossary(SEED, "ru", "en")
    (match,) = glossary.find(text)
    assert text[match.start : match.end] == found


def test_longest_term_wins_and_yo_equals_ye() -> None:
    glossary = Glossary(SEED, "ru", "en")
    (match,) = glossary.find("председателю Ставропольской городской Думы")
    assert match.term.target == "Chairman of Stavropol City Duma"
    assert glossary.find("Объединенные города и местные власти")[0].term.source == \
        "Объединённые города и местные власти"


def test_english_terms_and_follow_check() -> None:
    reverse = Glossary([Term(t.target, t.source) for t in SEED], "en", "ru")
    assert [m.term.source for m in reverse.find("our sister cities")] == ["sister city"]
    term = next(t for t in reverse.terms if t.source == "Stavropol City Duma")
    assert reverse.followed(term, "решением Ставропольской городской Думы")
    assert not reverse.followed(term, "решением городского совета")


def test_seed_is_idempotent_and_serves_both_directions(sqlite_url: str) -> None:
    with session_scope(sqlite_url) as session:
        assert seed_glossary(session) == len(SEED)
        assert seed_glossary(session) == 0
        store_terms(session, [Term("администрация", "administration")], "ru", "en")
    with session_scope(sqlite_url) as session:
        assert len(load_glossary(session, "ru", "en")) == len(SEED) + 1
        backwards = load_glossary(session, "en", "ru")
        assert backwards.whole("Stavropol City Duma").target == "Ставропольская городская Дума"


def test_memory_exact_numbers_and_fuzzy() -> None:
    index = MemoryIndex([
        MemoryUnit("Бюджет проекта составил 1 250 000 руб.",
                   "The project budget was 1,250,000 roubles."),
        MemoryUnit("В {1}2023 году{/1} форум посетили 350 человек.",
                   "In {1}2023{/1}, 350 people attended the forum."),
        MemoryUnit("Город Ставрополь реализует практику «Культура для всех».",
                   "Stavropol implements the Culture for All practice."),
    ], "ru", "en")
    exact = index.lookup("Город  Ставрополь реализует практику «Культура для всех».")
    assert (exact.kind, exact.score) == ("exact", 100)
    numbers = index.lookup("Бюджет проекта составил 2 000 500 руб.")
    assert numbers.kind == "numbers"
    assert numbers.target == "The project budget was 2,000,500 roubles."
    tagged = index.lookup("В {1}2024 году{/1} форум посетили 410 человек.")
    assert tagged.target == "In {1}2024{/1}, 410 people attended the forum."
    fuzzy = index.lookup("Город Ставрополь реализует практики «Культура для всех».")
    assert fuzzy.kind == "fuzzy" and 90 <= fuzzy.score < 100
    assert index.lookup("Совсем другое предложение о погоде.") is None
    assert band(fuzzy.score) == "95–99%" or band(fuzzy.score) == "85–94%"
    assert band(80) == "75–84%"


def test_fuzzy_threshold_is_respected() -> None:
    index = MemoryIndex([MemoryUnit("Делегация посетила форум в Ставрополе.", "x")], "ru", "en")
    query = "Делегация посетила выставку в Ставрополе."
    assert index.lookup(query, threshold=75) is not None
    assert index.lookup(query, threshold=99) is None


def test_memory_in_the_database(database_url: str) -> None:
    with session_scope(database_url) as session:
        changed = store_units(session, [MemoryUnit("Город Ставрополь.", "Stavropol city."),
                                        MemoryUnit("Форум открыт.", "The forum is open.")],
                              "ru", "en", created_by="test")
        assert changed == 2
        assert store_units(session, [MemoryUnit("Город Ставрополь.", "Stavropol city.")],
                           "ru", "en") == 0
        store_units(session, [MemoryUnit("Город  Ставрополь.", "City of Stavropol.")],
                    "ru", "en")
    with session_scope(database_url) as session:
        forward = load_memory(session, "ru", "en")
        assert len(forward) == 2
        assert forward.lookup("Город Ставрополь.").target == "City of Stavropol."
        backward = load_memory(session, "en", "ru")
        assert backward.lookup("The forum is open.").target == "Форум открыт."


TMX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4"><header creationtool="other" creationtoolversion="1" segtype="sentence"
 o-tmf="x" adminlang="en-US" srclang="ru-RU" datatype="plaintext"/><body>
<tu tuid="7"><note>from 2023</note>
 <tuv xml:lang="ru-RU"><seg>Премия <bpt i="5">&lt;b&gt;</bpt>Культура 21<ept i="5">&lt;/b&gt;</ept>\
<ph x="9">&lt;br/&gt;</ph> <hi>важна</hi>.</seg></tuv>
 <tuv xml:lang="en-GB"><seg>The <bpt i="5">&lt;b&gt;</bpt>Culture 21<ept i="5">&lt;/b&gt;</ept>\
 Award<ph x="9">&lt;br/&gt;</ph> matters.</seg></tuv></tu>
<tu><tuv xml:lang="ru"><seg>Город Ставрополь.</seg></tuv><tuv xml:lang="en"><seg>Stavropol.</seg>
</tuv></tu>
<tu><tuv xml:lang="de"><seg>Nur Deutsch.</seg></tuv></tu>
</body></tmx>"""


def test_tmx_import_export_round_trip(database_url: str) -> None:
    with session_scope(database_url) as session:
        assert import_memory(session, TMX.encode(), "ru", "en") == 2
        assert import_memory(session, TMX.encode(), "ru", "en") == 0
        exported = export_memory(session, "ru", "en")
    with session_scope(database_url) as session:
        assert import_memory(session, exported, "ru", "en") == 0
        index = load_memory(session, "ru", "en")
        match = index.lookup("Премия {1}Культура 21{/1}{2/} важна.")
        assert match.kind == "exact"
        assert match.target == "The {1}Culture 21{/1} Award{2/} matters."
        assert match.unit.note == "from 2023"
