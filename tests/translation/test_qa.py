"""Each QA check on its own: what it flags and what it lets through."""

from __future__ import annotations

import pytest

from contestflow.translation.glossary import Glossary, read_seed_terms
from contestflow.translation.qa import CHECKS, QAContext, run_checks, severity_of

GLOSSARY = Glossary(read_seed_terms(), "ru", "en")


def flags(source: str, target: str, source_lang: str = "ru", target_lang: str = "en") -> set[str]:
    context = QAContext(source, target, source_lang, target_lang, glossary=GLOSSARY)
    return {flag.split(":", 1)[0] for flag in run_checks(context)}


def test_every_check_has_a_reviewer_message_and_severity() -> None:
    assert {c.name for c in CHECKS} == {"untranslated", "numbers", "tags", "tag-order",
                                        "glossary", "urls", "length", "double-space", "ending"}
    for item in CHECKS:
        assert item.message and not item.message.endswith(":")
        assert item.severity in ("error", "warning")


def test_a_good_translation_passes() -> None:
    assert flags("В 2023 году форум посетили 1 250 человек.",
                 "In 2023, 1,250 people attended the forum.") == set()


@pytest.mark.parametrize(("source", "target", "expected"), [
    ("Форум прошёл успешно.", "Форум прошёл успешно.", "untranslated"),
    ("Форум прошёл успешно.", "", "untranslated"),
    ("Форум прошёл успешно в городе.", "The forum прошёл успешно в городе.", "untranslated"),
    ("Бюджет 1 250 000 руб.", "Budget 1,205,000 roubles.", "numbers"),
    ("Город {1}Ставрополь{/1} и {2/} край.", "City Stavropol and {2/} region.", "tags"),
    ("Город {1}Ставрополь{/1}{2/} край.", "{2/}City {1}Stavropol{/1} region.", "tag-order"),
    ("Решение Ставропольской городской Думы.", "Decision of the city council.", "glossary"),
    ("Пишите на irdept@stavropol.ru сегодня.", "Write to irdept@stavropol.com today.", "urls"),
    ("Сайт https://stavropol.ru/page работает.", "The site https://stavropol.ru works.", "urls"),
    ("Форум посетили многие жители города Ставрополя.", "Many came.", "length"),
    ("Форум прошёл.", "The  forum was held.", "double-space"),
    ("Форум прошёл?", "The forum was held.", "ending"),
])
def test_each_check_fires(source: str, target: str, expected: str) -> None:
    assert expected in flags(source, target)


def test_glossary_accepts_the_term_in_the_target() -> None:
    assert "glossary" not in flags("Решение Ставропольской городской Думы.",
                                   "Decision of the Stavropol City Duma.")


def test_english_to_russian_glossary_in_any_case() -> None:
    reverse = Glossary([t.__class__(t.target, t.source) for t in read_seed_terms()], "en", "ru")
    context = QAContext("A decision of the Stavropol City Duma.",
                        "Решение Ставропольской городской Думы.", "en", "ru", glossary=reverse)
    assert run_checks(context) == []


def test_numbers_in_russian_and_english_notation_are_equal() -> None:
    assert "numbers" not in flags("Рост 3,5 % и 12 000 мест.", "Growth of 3.5% and 12,000 seats.")
    assert "numbers" not in flags("Growth of 3.5% and 12,000 seats.", "Рост 3,5 % и 12 000 мест.",
                                  "en", "ru")


def test_severity_lookup() -> None:
    assert severity_of("numbers: Numbers differ (x)") == "error"
    assert severity_of("ending: different") == "warning"
