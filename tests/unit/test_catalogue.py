"""The Russian catalogue holds every sentence the code and the templates can show."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from contestflow.i18n import LOCALE_DIR, catalogue_path, ntr, tr

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"tr": (2,), "ntr": (2, 3), "N_": None, "_": None, "gettext": None,
            "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted() -> dict[str, str]:
    with (LOCALE_DIR / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found: dict[str, str] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, f"{filename}:{lineno}")
    return found


def _translated(entry) -> bool:
    strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
    return all(strings) and "fuzzy" not in entry.flags


@pytest.fixture(scope="module")
def russian():
    with catalogue_path("ru").open("rb") as po:
        return read_po(po, locale="ru")


def test_every_message_has_a_russian_translation(russian) -> None:
    found = _extracted()
    assert len(found) > 100, "the extraction found too little: is babel.cfg right?"
    missing = [f"{where}: {msgid!r}" for msgid, where in found.items()
               if not (entry := russian.get(msgid)) or not _translated(entry)]
    assert not missing, "no Russian translation (run `make messages`, then translate):\n" + \
        "\n".join(missing)


def test_translations_keep_their_placeholders(russian) -> None:
    wrong = []
    for entry in russian:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) - wanted - {"count"}:
                wrong.append((entry.id, text))
    assert not wrong


def test_a_message_is_russian_by_default_and_english_on_request() -> None:
    assert tr("ru", "No access") == "Нет доступа"
    assert tr("en", "No access") == "No access"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no catalogue"):
        tr("de", "No access")


def test_russian_plurals_take_three_forms() -> None:
    forms = [ntr("ru", "%(count)s segment waits for a person",
                 "%(count)s segments wait for a person", n) for n in (1, 3, 5, 21)]
    assert forms == ["1 сегмент ждёт человека", "3 сегмента ждут человека",
                     "5 сегментов ждут человека", "21 сегмент ждёт человека"]
