"""Put a segment's tags into a translation that has none: a memory unit stored as plain text,
or an MT answer that lost its markers and was translated again without them.

A pair goes around the words of the target that the source's formatted words stand for,
found with confidence only: the same text verbatim (a number, a URL, a Latin name), a glossary
term whose translation is there in any form, the same quotation (the second «…» of the source
is the second quotation of the target), or a span a caller already knows (the formatted words
translated on their own, ``hints``). A pair around the whole sentence goes around the whole
translation. Placeholders at the end of the source go to the end of the target (before its
closing punctuation); one inside the sentence (a line break, a note) goes after as large a
share of the target's words as it had of the source's, a guess the caller flags.

What cannot be placed is never written as an empty pair (an empty hyperlink would lose its
words): the pair keeps the source's formatting on the whole translated sentence, and the
caller leaves the segment for a reviewer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from contestflow.translation.glossary import Glossary
from contestflow.translation.inline import Tag, Token, merge_text, plain
from contestflow.translation.morph import fold, lemmas, words

TRAILING = re.compile(r"[\s.!?:;…»”\"')\]]*$")
WORDS = re.compile(r"\S+")
QUOTED = re.compile(r"«[^«»]+»|“[^“”]+”|„[^„“”]+[“”]|\"[^\"]+\"")

Span = tuple[int, int]


@dataclass
class Transfer:
    """The target with the source's tags, and which pairs found no place of their own."""

    tokens: list[Token]
    unplaced: list[int]
    guessed_placeholders: bool = False

    @property
    def placed(self) -> bool:
        return not self.unplaced and not self.guessed_placeholders


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


def _quotation(inner: str, source_text: str, target: str) -> Span | None:
    """The target's quotation in the place of the source's, when both have as many."""
    if not QUOTED.fullmatch(inner):
        return None
    quoted = [m.span() for m in QUOTED.finditer(source_text)]
    found = [m.span() for m in QUOTED.finditer(target)]
    position = source_text.find(inner)
    ordinal = next((k for k, (start, _) in enumerate(quoted) if start == position), None)
    if ordinal is None or len(quoted) != len(found):
        return None
    return found[ordinal]


def _words_span(wanted: str, target: str) -> Span | None:
    """Where the words of ``wanted`` stand together in ``target``, in any word form."""
    want = [lemmas(word) for word, _, _ in words(wanted)]
    have = words(target)
    if not want:
        return None
    for index in range(len(have) - len(want) + 1):
        if all(lemmas(have[index + k][0]) & forms for k, forms in enumerate(want)):
            return have[index][1], have[index + len(want) - 1][2]
    return None


def find_span(inner: str, source_text: str, target: str, glossary: Glossary | None,
              hint: str | None = None) -> Span | None:
    """Where the source's formatted text ``inner`` stands in ``target``, or ``None``."""
    inner = inner.strip()
    if not inner:
        return None
    position = target.find(inner)
    if position < 0:
        position = fold(target).find(fold(inner))
    if position >= 0:
        return position, position + len(inner)
    if glossary is not None:
        term = glossary.whole(inner)
        if term is not None:
            spans = glossary.target_spans(term, target)
            if len(spans) == 1:
                return spans[0]
    spot = _quotation(inner, source_text, target)
    if spot is None and hint:
        spot = _words_span(hint.strip(" .,;:!?«»\"“”"), target)
    return spot


def pair_texts(source: list[Token]) -> dict[int, str]:
    """The text of each top-level pair that is not the whole sentence, by the pair's id."""
    whole = plain(source).strip()
    found = {}
    for tag_id, start, end in _pairs(source):
        text = plain(source[start + 1 : end]).strip()
        if text and text != whole:
            found[tag_id] = text
    return found


def transfer_tags(source: list[Token], target: str, glossary: Glossary | None = None,
                  hints: Mapping[int, str] | None = None) -> Transfer:
    """Target tokens with the source's tags placed (see the module's docstring).

    ``hints`` maps a pair's id to a translation of its text alone, to be found in the target.
    """
    source_text = plain(source).strip()
    spans: list[tuple[int, int, int]] = []
    unplaced: list[int] = []
    nested_ph: list[Token] = []
    for tag_id, start, end in _pairs(source):
        inner_tokens = source[start + 1 : end]
        inner = plain(inner_tokens)
        if inner.strip() == source_text:
            spot: Span | None = (0, len(TRAILING.sub("", target)) or len(target))
        else:
            spot = find_span(inner, source_text, target, glossary, (hints or {}).get(tag_id))
        taken = spot is None or any(not (spot[1] <= s or spot[0] >= e) for s, e, _ in spans)
        if spot is None or taken:
            unplaced.append(tag_id)
        else:
            spans.append((spot[0], spot[1], tag_id))
        for token in inner_tokens:
            if isinstance(token, Tag) and token.kind == "ph":
                nested_ph.append(token)
            elif isinstance(token, Tag) and token.kind == "open":
                unplaced.append(token.id)
    end_ph, inside = _top_level_placeholders(source)
    tokens = _build(target, sorted(spans), unplaced, [*end_ph, *nested_ph])
    return Transfer(_place_inside(tokens, inside), unplaced, bool(inside or nested_ph))


def spoken(tokens: list[Token]) -> str:
    """The text with each placeholder read as a space (a break or a tab parts two words)."""
    parts = [t if isinstance(t, str) else " " if t.kind == "ph" else "" for t in tokens]
    return re.sub(r" {2,}", " ", "".join(parts)).strip()


def _top_level_placeholders(tokens: list[Token]) -> tuple[list[Tag], list[tuple[float, Tag]]]:
    """Placeholders outside any pair: those at the sentence's end, and those inside it with
    where they stood (the share of the sentence's words before them)."""
    total = max(1, len(WORDS.findall(spoken(tokens))))
    at_end, inside, depth, before = [], [], 0, ""
    for index, token in enumerate(tokens):
        if isinstance(token, str):
            before += token
            continue
        depth += {"open": 1, "close": -1}.get(token.kind, 0)
        if token.kind == "ph" and depth == 0:
            if TRAILING.sub("", plain(tokens[index + 1:])):
                inside.append((len(WORDS.findall(before)) / total, token))
            else:
                at_end.append(token)
    return at_end, inside


def _place_inside(tokens: list[Token], inside: list[tuple[float, Tag]]) -> list[Token]:
    """Each placeholder (a line break, a note) after as large a share of the target's words
    as it had of the source's: a guess the caller flags, but nearer than the sentence's end."""
    if not inside:
        return tokens
    ends = [m.end() for m in WORDS.finditer(plain(tokens))]
    wanted = sorted((ends[round(share * len(ends)) - 1] if round(share * len(ends)) else 0,
                     number, tag) for number, (share, tag) in enumerate(inside))
    out: list[Token] = []
    offset = 0
    for token in tokens:
        if isinstance(token, Tag):
            out.append(token)
            continue
        cursor = 0
        while wanted and wanted[0][0] <= offset + len(token):
            spot = max(cursor, wanted[0][0] - offset)
            out.append(token[cursor:spot])
            out.append(wanted.pop(0)[2])
            cursor = spot
        out.append(token[cursor:])
        offset += len(token)
    out.extend(tag for _, _, tag in wanted)
    return merge_text(out)


def _build(target: str, spans: list[tuple[int, int, int]], around: list[int],
           end_ph: list[Token]) -> list[Token]:
    """Tokens of ``target`` with ``spans`` placed, the ``around`` pairs enclosing the whole
    sentence (before its closing punctuation) and ``end_ph`` after it."""
    tail = TRAILING.search(target)
    cut = tail.start() if tail else len(target)
    if (spans and spans[-1][1] > cut) or not target[:cut].strip():
        cut = len(target)
    body: list[Token] = []
    cursor = 0
    for start, end, tag_id in spans:
        body.extend([target[cursor:start], Tag("open", tag_id), target[start:end],
                     Tag("close", tag_id)])
        cursor = end
    body.append(target[cursor:cut])
    lead = len(target[:cut]) - len(target[:cut].lstrip())
    opening = [Tag("open", tag_id) for tag_id in around]
    closing = [Tag("close", tag_id) for tag_id in reversed(around)]
    if lead and around and isinstance(body[0], str):
        body = [body[0][lead:], *body[1:]]
        opening = [target[:lead], *opening]
    return merge_text([*opening, *body, *closing, *end_ph, target[cut:]])
