"""Numbers in Russian and English text: find them, compare their values, write them back.

"1 250 000,5" (Russian) and "1,250,000.5" (English) are the same number; dates such as
"01.03.2024" are kept as written. Used by QA ("numbers differ") and by the memory's
"differs only in numbers" matches.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

GROUP = "[ \u00a0\u202f\u2009]"
NUMBER_RE = re.compile(rf"(?<![\w.,])\d+(?:{GROUP}\d{{3}}(?!\d))*(?:[.,]\d+)*")


@dataclass(frozen=True)
class Number:
    raw: str
    start: int
    end: int
    value: str


def _canonical(raw: str, lang: str) -> str:
    text = re.sub(GROUP, "", raw)
    if re.fullmatch(r"\d+(?:\.\d+){2,}", text):  # a date or a version: keep as written
        return ".".join(part.lstrip("0") or "0" for part in text.split("."))
    if lang.startswith("en"):
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
            text = text.replace(",", "")
        text = text.replace(",", ".")
    else:
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text) is None:
            text = text.replace(",", ".")
    integer, _, fraction = text.partition(".")
    integer = integer.lstrip("0") or "0"
    return f"{integer}.{fraction}" if fraction else integer


def find_numbers(text: str, lang: str) -> list[Number]:
    return [Number(m.group(0), m.start(), m.end(), _canonical(m.group(0), lang))
            for m in NUMBER_RE.finditer(text)]


SCALES = {"тыс": 3, "тысяч": 3, "тысячи": 3, "тысяча": 3, "млн": 6, "миллион": 6,
          "миллиона": 6, "миллионов": 6, "млрд": 9, "миллиард": 9, "миллиарда": 9,
          "миллиардов": 9, "thousand": 3, "million": 6, "millions": 6, "billion": 9, "bn": 9}
SCALE_RE = re.compile(r"\s*([^\W\d_]+)")
ROMAN_RE = re.compile(r"\b[IVXLC]{2,7}\b")
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _scaled(number: Number, text: str) -> str:
    match = SCALE_RE.match(text, number.end)
    power = SCALES.get(match.group(1).lower()) if match else None
    if not power or not re.fullmatch(r"\d+(?:\.\d+)?", number.value):
        return number.value
    integer, _, fraction = number.value.partition(".")
    digits = (integer + fraction.ljust(power, "0")[:power]).lstrip("0") or "0"
    rest = fraction[power:].rstrip("0")
    return f"{digits}.{rest}" if rest else digits


def _roman(word: str) -> int | None:
    total, previous = 0, 0
    for char in reversed(word):
        value = ROMAN[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total if total > 0 else None


def values(text: str, lang: str) -> Counter[str]:
    """Numbers of ``text`` by value: "550 тыс." and "550,000" and "XX" and "20" count alike."""
    found = Counter(_scaled(number, text) for number in find_numbers(text, lang))
    for match in ROMAN_RE.finditer(text):
        value = _roman(match.group(0))
        if value is not None:
            found[str(value)] += 1
    return found


def mask(text: str) -> str:
    """``text`` with every number replaced by ``#``: equal masks differ only in numbers."""
    return NUMBER_RE.sub("#", text)


def write_number(value: str, lang: str, like: str) -> str:
    """``value`` written the way ``like`` (a number in the same text) was written."""
    if not re.fullmatch(r"\d+(?:\.\d+)?", value):
        return value
    integer, _, fraction = value.partition(".")
    separator = next((c for c in like if c in " \u00a0\u202f\u2009,"), "")
    if separator == "," and not lang.startswith("en"):
        separator = ""
    if separator and len(integer) > 3:
        groups = []
        while integer:
            groups.insert(0, integer[-3:])
            integer = integer[:-3]
        integer = separator.join(groups)
    if not fraction:
        return integer
    return integer + ("." if lang.startswith("en") else ",") + fraction
