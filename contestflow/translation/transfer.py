"""Put a segment's tags into a translation that has none (a memory unit stored as plain text).

A pair goes around the same text in the target when that text is there verbatim (a number,
a URL, a Latin name) or when it is a glossary term whose translation is there; a pair around
the whole sentence goes around the whole translation. Placeholders at the end of the source
go to the end of the target (before its closing punctuation). Whatever cannot be placed is
put at the end (a pair as an empty pair), and the caller flags the segment for review.
"""

from __future__ import annotations

import re

from contestflow.translation.glossary import Glossary
from contestflow.translation.inline import Tag, Token, merge_text, plain

TRAILING = re.compile(r"[\s.!?:;…»”\"')\]]*$")


def _pairs(tokens: list[Token]) -> list[tuple[int, int, int]]:
    """Top-level pairs as ``(id, open index, close index)``."""
    found, depth, start = [], 0, 0
    for index, token in enumerate(tokens):
        if isinstance(token, Tag) and token.kind == "open":
            if depth == 0:
                start = index
            depth += 1
        elif isinstance(token, Tag) and token.kind == "close":
            depth -= 1
            if depth == 0:
                found.append((token.id, start, index))
    return found


def _find(inner: str, target: str, glossary: Glossary | None) -> tuple[int, int] | None:
    inner = inner.strip()
    if not inner:
        return None
    position = target.find(inner)
    if position >= 0:
        return position, position + len(inner)
    if glossary is not None:
        term = glossary.whole(inner)
        if term is not None:
            position = target.lower().find(term.target.lower())
            if position >= 0:
                return position, position + len(term.target)
    return None


def transfer_tags(source: list[Token], target: str, glossary: Glossary | None = None
                  ) -> tuple[list[Token], bool]:
    """Target tokens with the source's tags placed; ``True`` when every tag found its place."""
    source_text = plain(source).strip()
    spans: list[tuple[int, int, Tag, Tag]] = []
    leftover: list[Token] = []
    for tag_id, start, end in _pairs(source):
        inner_tokens = source[start + 1 : end]
        nested = [t for t in inner_tokens if isinstance(t, Tag)]
        inner = plain(inner_tokens)
        if inner.strip() == source_text:
            spot: tuple[int, int] | None = (0, len(TRAILING.sub("", target)) or len(target))
        else:
            spot = _find(inner, target, glossary)
        taken = any(not (spot[1] <= s or spot[0] >= e) for s, e, _, _ in spans) if spot else True
        if spot is None or taken:
            leftover.extend([Tag("open", tag_id), *nested, Tag("close", tag_id)])
        else:
            spans.append((spot[0], spot[1], Tag("open", tag_id), Tag("close", tag_id)))
            leftover.extend(nested)
    end_ph = _top_level_placeholders(source)
    tokens = _build(target, sorted(spans, key=lambda s: s[0]), end_ph, leftover)
    return tokens, not leftover and not end_ph


def _top_level_placeholders(tokens: list[Token]) -> list[Tag]:
    found, depth = [], 0
    for token in tokens:
        if isinstance(token, Tag):
            depth += {"open": 1, "close": -1}.get(token.kind, 0)
            if token.kind == "ph" and depth == 0:
                found.append(token)
    return found


def _build(target: str, spans: list[tuple[int, int, Tag, Tag]], end_ph: list[Tag],
           leftover: list[Token]) -> list[Token]:
    tokens: list[Token] = []
    cursor = 0
    for start, end, opening, closing in spans:
        tokens.extend([target[cursor:start], opening, target[start:end], closing])
        cursor = end
    rest = target[cursor:]
    tail = TRAILING.search(rest)
    cut = tail.start() if tail else len(rest)
    tokens.extend([rest[:cut], *end_ph, *leftover, rest[cut:]])
    return merge_text(tokens)
