"""Sentence segmentation keeps abbreviations and initials intact, in both languages."""

from __future__ import annotations

import pytest

from contestflow.translation.segment import sentence_spans


def sentences(text: str, lang: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text, lang)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Форум прошёл в г. Ставрополе на ул. Ленина, т.е. в центре. Его открыл И.И. Ульянов.",
     ["Форум прошёл в г. Ставрополе на ул. Ленина, т.е. в центре.",
      "Его открыл И.И. Ульянов."]),
    ("Глава города И. И. Ульянов выступил. Делегация уехала.",
     ["Глава города И. И. Ульянов выступил.", "Делегация уехала."]),
    ("Адрес: пр-т К. Маркса, д. 5. Тел. 8 (8652) 26-80-09.",
     ["Адрес: пр-т К. Маркса, д. 5.", "Тел. 8 (8652) 26-80-09."]),
    ("Итого 5 тыс. руб. в год, т. е. немного. Вопросы?",
     ["Итого 5 тыс. руб. в год, т. е. немного.", "Вопросы?"]),
])
def test_russian(text: str, expected: list[str]) -> None:
    assert sentences(text, "ru") == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Mr. J. R. Smith visited St. Petersburg, i.e. Russia. He met Dr. Brown at 5 p.m. today.",
     ["Mr. J. R. Smith visited St. Petersburg, i.e. Russia.",
      "He met Dr. Brown at 5 p.m. today."]),
    ("Visit https://stavropol.ru/page.html now. Next one.",
     ["Visit https://stavropol.ru/page.html now.", "Next one."]),
])
def test_english(text: str, expected: list[str]) -> None:
    assert sentences(text, "en") == expected


def test_blank_text_has_no_sentences() -> None:
    assert sentence_spans("   ", "ru") == []
