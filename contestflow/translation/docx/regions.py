"""Cut a paragraph's tokens into sentence segments and the skeleton between them.

The result alternates gap, segment, gap, ..., gap. Gaps hold what never goes to translation:
whitespace between sentences, leading and trailing placeholders, and tag pairs that enclose a
whole segment. A sentence boundary inside a tag pair is not cut (the two sentences stay one
segment), so every segment's tags are balanced on their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from contestflow.translation.inline import Tag, Token, merge_text

Spans = Callable[[str, str], list[tuple[int, int]]]


@dataclass
class Regions:
    gaps: list[list[Token]]
    segments: list[list[Token]]


def _boundaries(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    regions: list[tuple[int, int, bool]] = []
    position = 0
    for start, end in spans:
        regions.append((position, start, False))
        regions.append((start, end, True))
        position = end
    regions.append((position, length, False))
    return regions


def _locate_tag(tag: Tag, offset: int, regions: list[tuple[int, int, bool]]) -> int:
    def containing(char: int) -> int | None:
        return next((i for i, (s, e, _) in enumerate(regions) if s <= char < e), None)

    if tag.kind == "open":
        index = containing(offset)
        if index is None:
            return len(regions) - 1
        if not regions[index][2] and index + 1 < len(regions):
            return index + 1  # an opening tag in whitespace moves to the next sentence
        return index
    if tag.kind == "close":
        index = containing(offset - 1) if offset > 0 else 0
        if index is None:
            return 0
        if not regions[index][2] and index > 0:
            return index - 1
        return index
    for index, (start, end, is_segment) in enumerate(regions):
        if is_segment and start < offset < end:
            return index
    for index, (start, end, is_segment) in enumerate(regions):
        if not is_segment and start <= offset <= end:
            return index
    return len(regions) - 1


def _distribute(tokens: list[Token], regions: list[tuple[int, int, bool]]) -> list[list[Token]]:
    buckets: list[list[Token]] = [[] for _ in regions]
    offset = 0
    for token in tokens:
        if isinstance(token, Tag):
            buckets[_locate_tag(token, offset, regions)].append(token)
            continue
        end = offset + len(token)
        for index, (start, stop, _) in enumerate(regions):
            lo, hi = max(start, offset), min(stop, end)
            if lo < hi:
                buckets[index].append(token[lo - offset : hi - offset])
        offset = end
    return buckets


def balanced(tokens: list[Token]) -> bool:
    stack: list[int] = []
    for token in tokens:
        if isinstance(token, Tag) and token.kind == "open":
            stack.append(token.id)
        elif isinstance(token, Tag) and token.kind == "close":
            if not stack or stack[-1] != token.id:
                return False
            stack.pop()
    return not stack


def _join_unbalanced(buckets: list[list[Token]]) -> list[list[Token]]:
    """Merge neighbouring segments until every bucket is balanced."""
    while True:
        for index, bucket in enumerate(buckets):
            if balanced(bucket):
                continue
            if len(buckets) <= 3:
                return [[], [t for b in buckets for t in b], []]
            is_segment = index % 2 == 1
            first = index if is_segment else max(index - 1, 1)
            if first + 2 >= len(buckets) - 1:
                first = max(first - 2, 1)
            joined = buckets[first] + buckets[first + 1] + buckets[first + 2]
            buckets = [*buckets[:first], joined, *buckets[first + 3 :]]
            break
        else:
            return buckets


def _matching_close(tokens: list[Token]) -> int | None:
    first = tokens[0]
    if not isinstance(first, Tag) or first.kind != "open":
        return None
    depth = 0
    for index, token in enumerate(tokens):
        if isinstance(token, Tag) and token.kind == "open":
            depth += 1
        elif isinstance(token, Tag) and token.kind == "close":
            depth -= 1
            if depth == 0:
                return index
    return None


def _trim(segment: list[Token]) -> tuple[list[Token], list[Token], list[Token]]:
    """Move leading/trailing whitespace, placeholders and enclosing pairs out of a segment."""
    head: list[Token] = []
    tail: list[Token] = []
    body = merge_text(segment)
    while body:
        first, last = body[0], body[-1]
        if isinstance(first, str) and first != first.lstrip():
            stripped = first.lstrip()
            head.append(first[: len(first) - len(stripped)])
            body = merge_text([stripped, *body[1:]])
        elif isinstance(last, str) and last != last.rstrip():
            stripped = last.rstrip()
            tail.insert(0, last[len(stripped) :])
            body = merge_text([*body[:-1], stripped])
        elif isinstance(first, Tag) and first.kind == "ph":
            head.append(body.pop(0))
        elif isinstance(last, Tag) and last.kind == "ph":
            tail.insert(0, body.pop())
        elif _matching_close(body) == len(body) - 1:
            head.append(body.pop(0))
            tail.insert(0, body.pop())
        else:
            break
    return head, body, tail


def split_regions(tokens: list[Token], lang: str, spans_of: Spans) -> Regions:
    """Gaps and segments of one paragraph; ``gaps`` has one more entry than ``segments``."""
    text = "".join(t for t in tokens if isinstance(t, str))
    spans = spans_of(text, lang) if text.strip() else []
    if not spans:
        return Regions(gaps=[list(tokens)], segments=[])
    buckets = _join_unbalanced(_distribute(tokens, _boundaries(spans, len(text))))
    gaps: list[list[Token]] = [buckets[0]]
    segments: list[list[Token]] = []
    for index in range(1, len(buckets), 2):
        head, body, tail = _trim(buckets[index])
        gaps[-1].extend(head)
        if body:
            segments.append(body)
            gaps.append([*tail, *buckets[index + 1]])
        else:
            gaps[-1].extend([*tail, *buckets[index + 1]])
    return Regions(gaps=[merge_text(g) for g in gaps], segments=segments)


def split_pairs_at_sentences(tokens: list[Token], spans: list[tuple[int, int]],
                             splittable: Callable[[int], bool],
                             clone: Callable[[int], int]) -> list[Token]:
    """Close the pairs open at each sentence boundary and reopen them (as clones) at the next
    sentence, so a bold stretch or a link that runs over a full stop is two pairs and the
    two sentences become two segments.

    ``splittable(id)`` says whether a pair may be split (formatting and links may; a content
    control or a tracked insertion may not, and a boundary inside one stays uncut);
    ``clone(id)`` makes a new code like ``id`` and returns its id.
    """
    ends = {end for _, end in spans[:-1]}
    starts = {start for start, _ in spans[1:]}
    cuts = sorted(ends | starts)
    pieces: list[Token] = []
    offset = 0
    for token in tokens:  # text cut at every boundary, so boundaries fall between tokens
        if isinstance(token, Tag):
            pieces.append(token)
            continue
        inside = [c - offset for c in cuts if offset < c < offset + len(token)]
        for a, b in zip([0, *inside], [*inside, len(token)], strict=True):
            pieces.append(token[a:b])
        offset += len(token)
    out: list[Token] = []
    stack: list[int] = []  # ids open now (clones after a cut)
    current: dict[int, int] = {}  # original id → the id it has now
    reopen: list[int] = []
    offset = 0
    for token in pieces:
        if isinstance(token, Tag):
            if token.kind == "open":
                current[token.id] = token.id
                stack.append(token.id)
                out.append(token)
            elif token.kind == "close":
                now = current.get(token.id, token.id)
                if now in reopen:
                    reopen.remove(now)  # it ended between the sentences: already closed
                elif stack and stack[-1] == now:
                    stack.pop()
                    out.append(Tag("close", now))
                else:
                    out.append(token)
            else:
                out.append(token)
            continue
        if offset in ends and stack and all(splittable(i) for i in stack):
            out.extend(Tag("close", i) for i in reversed(stack))
            reopen, stack = list(stack), []
        if offset in starts and reopen:
            for old in reopen:
                new = clone(old)
                for original, now in current.items():
                    if now == old:
                        current[original] = new
                stack.append(new)
                out.append(Tag("open", new))
            reopen = []
        out.append(token)
        offset += len(token)
    return merge_text(out)
