"""Inline codes: how formatting, links, fields and pictures travel inside a segment.

A segment is a list of tokens: plain text (``str``) and :class:`Tag` markers. A tag stands for
something in the document that is not text: the start or end of a formatted span or a link
(``open``/``close``, always in pairs), or a single element such as a tab, a picture or a field
code (``ph``, a placeholder). Tags are numbered from 1 inside each segment.

Two spellings exist and never mix:

* the **display** form, stored in the database and shown to reviewers: ``{1}bold{/1}`` and
  ``{2/}``. It is short, survives Word and is easy to move around while editing.
* the **wire** form, sent to machine translation: ``<1>bold</1>`` and ``<2/>``. MT engines keep
  XML-looking tags far better than braces.

Text in a document that happens to look like a tag is turned into a placeholder at extraction,
so a parse never confuses literal text with a tag.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

TagKind = Literal["open", "close", "ph"]


@dataclass(frozen=True, slots=True)
class Tag:
    kind: TagKind
    id: int


Token = str | Tag


@dataclass(frozen=True)
class InlineCode:
    """What one tag stands for, for a translator's tool (XLIFF 2.0's words): ``type`` is fmt,
    link, image, ui or other, ``sub_type`` a ``prefix:name``, ``disp`` what a translator
    reads ("bold", a link's address, "footnote"), ``equiv`` its plain-text equivalent (a tab's
    "\t"), and ``original_start``/``original_end`` the document's own markup."""

    kind: Literal["pair", "ph"]
    type: str
    sub_type: str = ""
    disp: str = ""
    equiv: str = ""
    original_start: str = ""
    original_end: str = ""

DISPLAY_RE = re.compile(r"\{\s*(/?)\s*(\d{1,4})\s*(/?)\s*\}")
WIRE_RE = re.compile(r"<\s*(/?)\s*(\d{1,4})\s*(/?)\s*>")
LOOKS_LIKE_TAG_RE = re.compile(r"[{<]\s*/?\s*\d{1,4}\s*/?\s*[}>]")


def _parse(text: str, pattern: re.Pattern[str]) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            tokens.append(text[position : match.start()])
        closing, number, single = match.group(1), int(match.group(2)), match.group(3)
        if closing and single:
            tokens.append(match.group(0))  # "{/1/}" is not a tag: keep it as text
        else:
            kind: TagKind = "close" if closing else "ph" if single else "open"
            tokens.append(Tag(kind, number))
        position = match.end()
    if position < len(text):
        tokens.append(text[position:])
    return merge_text(tokens)


def parse_display(text: str) -> list[Token]:
    """Tokens of a display-form string such as ``"a {1}b{/1} {2/}"``."""
    return _parse(text, DISPLAY_RE)


def parse_wire(text: str) -> list[Token]:
    """Tokens of a wire-form string as MT returned it (spaces inside tags are tolerated)."""
    return _parse(text, WIRE_RE)


def _render(tokens: Iterable[Token], opening: str, closing: str) -> str:
    parts: list[str] = []
    for token in tokens:
        if isinstance(token, str):
            parts.append(token)
        elif token.kind == "open":
            parts.append(f"{opening}{token.id}{closing}")
        elif token.kind == "close":
            parts.append(f"{opening}/{token.id}{closing}")
        else:
            parts.append(f"{opening}{token.id}/{closing}")
    return "".join(parts)


def to_display(tokens: Iterable[Token]) -> str:
    return _render(tokens, "{", "}")


def to_wire(tokens: Iterable[Token]) -> str:
    return _render(tokens, "<", ">")


def plain(tokens: Iterable[Token]) -> str:
    """The text a person reads, without any tag."""
    return "".join(token for token in tokens if isinstance(token, str))


def strip_display(text: str) -> str:
    return plain(parse_display(text))


def merge_text(tokens: Iterable[Token]) -> list[Token]:
    """Join neighbouring text pieces and drop empty ones."""
    merged: list[Token] = []
    for token in tokens:
        if isinstance(token, str):
            if not token:
                continue
            if merged and isinstance(merged[-1], str):
                merged[-1] = merged[-1] + token
                continue
        merged.append(token)
    return merged


def tag_kinds(tokens: Iterable[Token]) -> dict[int, str]:
    """``{id: "pair" | "ph"}`` for the tags in ``tokens``."""
    kinds: dict[int, str] = {}
    for token in tokens:
        if isinstance(token, Tag):
            kinds[token.id] = "ph" if token.kind == "ph" else "pair"
    return kinds


def tag_sequence(tokens: Iterable[Token]) -> list[Tag]:
    return [token for token in tokens if isinstance(token, Tag)]


def structure_problems(tokens: list[Token], expected: Mapping[int, str]) -> list[str]:
    """What is wrong with the tags of ``tokens`` compared with ``expected`` (empty if nothing).

    Checks count (every expected tag exactly once, nothing unknown), kind, and nesting (a pair
    opens before it closes and pairs do not overlap). Order is not checked here: translation
    may legitimately move a formatted word.
    """
    problems: list[str] = []
    seen: dict[tuple[int, str], int] = {}
    stack: list[int] = []
    for tag in tag_sequence(tokens):
        seen[(tag.id, tag.kind)] = seen.get((tag.id, tag.kind), 0) + 1
        kind = expected.get(tag.id)
        if kind is None:
            problems.append(f"unknown marker {tag.id}")
        elif (kind == "ph") != (tag.kind == "ph"):
            problems.append(f"marker {tag.id} changed its kind")
        elif tag.kind == "open":
            stack.append(tag.id)
        elif tag.kind == "close":
            if not stack or stack[-1] != tag.id:
                problems.append(f"marker {tag.id} closes out of order")
                if tag.id in stack:
                    stack.remove(tag.id)
            else:
                stack.pop()
    for tag_id, kind in expected.items():
        wanted = ("ph",) if kind == "ph" else ("open", "close")
        for part in wanted:
            count = seen.get((tag_id, part), 0)
            if count != 1:
                problems.append(f"marker {tag_id} appears {count} times")
                break
    problems.extend(f"marker {tag_id} is never closed" for tag_id in stack)
    return list(dict.fromkeys(problems))


def order_changed(source: Iterable[Token], target: Iterable[Token]) -> bool:
    return [(t.kind, t.id) for t in tag_sequence(source)] != [
        (t.kind, t.id) for t in tag_sequence(target)
    ]


def renumber(tokens: list[Token]) -> tuple[list[Token], dict[int, int]]:
    """Tags renumbered 1..n by first appearance; returns the tokens and ``{new: old}``."""
    mapping: dict[int, int] = {}
    reverse: dict[int, int] = {}
    result: list[Token] = []
    for token in tokens:
        if isinstance(token, Tag):
            if token.id not in reverse:
                reverse[token.id] = len(reverse) + 1
                mapping[reverse[token.id]] = token.id
            result.append(Tag(token.kind, reverse[token.id]))
        else:
            result.append(token)
    return result, mapping


def remap(tokens: Iterable[Token], mapping: Mapping[int, int]) -> list[Token]:
    return [
        Tag(token.kind, mapping[token.id]) if isinstance(token, Tag) else token
        for token in tokens
    ]


def repair(tokens: list[Token], expected: Mapping[int, str],
           order_sensitive: Iterable[int] = ()) -> list[Token]:
    """Make ``tokens`` structurally valid, keeping every tag that is in a sound place.

    Unknown and repeated tags go; pairs that overlap others or lose a half go; placeholders
    that must keep their order (field codes) go if they were reordered. Whatever went is put
    back at the end (a pair as an empty pair), so nothing the document holds is ever lost.
    """
    kept: list[Token] = []
    seen: set[tuple[int, str]] = set()
    for token in tokens:
        if isinstance(token, Tag):
            kind = expected.get(token.id)
            if kind is None or (kind == "ph") != (token.kind == "ph"):
                continue
            if (token.id, token.kind) in seen or (
                token.kind == "close" and (token.id, "open") not in seen
            ):
                continue
            seen.add((token.id, token.kind))
        kept.append(token)
    kept = _drop_crossing(kept)
    ordered = sorted(order_sensitive)
    positions = [t.id for t in tag_sequence(kept) if t.kind == "ph" and t.id in ordered]
    if positions != sorted(positions):
        kept = [t for t in kept if not (isinstance(t, Tag) and t.id in ordered)]
    present = {(t.id, t.kind) for t in tag_sequence(kept)}
    for tag_id in sorted(expected):
        if expected[tag_id] == "ph" and (tag_id, "ph") not in present:
            kept.append(Tag("ph", tag_id))
        elif expected[tag_id] == "pair" and (tag_id, "open") not in present:
            kept.extend([Tag("open", tag_id), Tag("close", tag_id)])
    return merge_text(kept)


def _drop_crossing(tokens: list[Token]) -> list[Token]:
    """Drop both halves of any pair that is unclosed or overlaps another pair."""
    while True:
        stack: list[int] = []
        bad: int | None = None
        for token in tokens:
            if isinstance(token, Tag) and token.kind == "open":
                stack.append(token.id)
            elif isinstance(token, Tag) and token.kind == "close":
                if stack and stack[-1] == token.id:
                    stack.pop()
                else:
                    bad = token.id
                    break
        if bad is None and stack:
            bad = stack[-1]
        if bad is None:
            return tokens
        tokens = [t for t in tokens if not (isinstance(t, Tag) and t.id == bad and
                                            t.kind != "ph")]
