"""The demo's sample materials and earlier-year memory, offline (`--provider none`)."""

from __future__ import annotations

from pathlib import Path

from contestflow.db.session import session_scope
from contestflow.translation.engine import translate_document
from contestflow.translation.glossary import seed_glossary
from contestflow.translation.inline import strip_display
from contestflow.translation.library import import_memory
from demo import samples


def test_memory_covers_all_but_this_years_sentences(sqlite_url: str, tmp_path: Path) -> None:
    paths = samples.build_samples(tmp_path)
    samples.build_translation_memory(tmp_path / "memory.tmx")
    new = set(samples.reviewer_translations())
    with session_scope(sqlite_url) as session:
        seed_glossary(session)
        import_memory(session, (tmp_path / "memory.tmx").read_bytes(), "ru", "en")
    left: set[str] = set()
    for path in paths.values():
        with session_scope(sqlite_url) as session:
            outcome = translate_document(session, path.read_bytes(), source_lang="ru",
                                         target_lang="en", provider=None)
        assert outcome.stats["mt_requests"] == 0
        left |= {strip_display(r.source) for r in outcome.segments if r.origin == "source"}
    assert left and left <= new
