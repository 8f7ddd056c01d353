"""Decide each distinct segment's target: glossary, then memory, then machine translation.

Works on distinct display strings, so a segment repeated 200 times costs one lookup and at
most one MT request. Glossary terms are protected in MT in both directions (see terms.py):
the term becomes a placeholder that MT must keep, and the glossary's target, in the form its
place demands, is put in its place. An answer that breaks a marker or loses a term is asked
again without the inline codes, and the codes are placed on it (see transfer.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from contestflow.i18n import N_
from contestflow.translation.docx.document import SourceSegment
from contestflow.translation.errors import MTError
from contestflow.translation.glossary import Glossary
from contestflow.translation.inline import (
    Token,
    parse_display,
    parse_wire,
    plain,
    strip_display,
    structure_problems,
    tag_sequence,
    to_display,
    to_wire,
)
from contestflow.translation.memory import MemoryIndex, MemoryMatch, band
from contestflow.translation.mt import Dispatcher, MTProvider, MTReport, TermNote
from contestflow.translation.records import SegmentRecord, TranslateOptions, TranslationProgress
from contestflow.translation.terms import (
    TermSlot,
    place_terms,
    protect_terms,
    terms_intact,
    whole_term,
)
from contestflow.translation.timing import Timings
from contestflow.translation.transfer import Transfer, pair_texts, spoken, transfer_tags

SOURCE_FORMATTING = "source formatting: "
UNPLACED = ("tags: Formatting could not be placed on the right words; it is on the whole "
            "sentence until a reviewer places it")


@dataclass
class _Pending:
    segment: SourceSegment
    wire: str
    terms: dict[int, TermSlot]
    suggestion: MemoryMatch | None = None


@dataclass
class Resolution:
    records: dict[str, SegmentRecord] = field(default_factory=dict)
    mt: MTReport = field(default_factory=MTReport)
    blocked: int = 0


def _record(segment: SourceSegment, target: str, origin: str, **kwargs: object
            ) -> SegmentRecord:
    return SegmentRecord(segment.id, segment.display, target, origin, **kwargs)  # type: ignore


def _fit_tags(tokens: list[Token], segment: SourceSegment, record: SegmentRecord,
              glossary: Glossary | None) -> str:
    """Display form of ``tokens``; when their tags are broken, they are placed again on the
    plain text (never as an empty pair) and the segment is flagged."""
    problems = structure_problems(tokens, segment.kinds)
    sensitive = [t.id for t in tag_sequence(tokens) if t.id in segment.order_sensitive]
    if not problems and sensitive == sorted(sensitive):
        return to_display(tokens)
    placed = transfer_tags(segment.tokens, plain(tokens), glossary)
    record.qa_flags.append("tags: markers were broken and have been put back; check the "
                           f"formatting ({'; '.join(problems) or 'field order'})")
    record.review_state = "draft"
    return to_display(placed.tokens)


def _unplaced_flag(record: SegmentRecord, segment: SourceSegment, placed: Transfer) -> None:
    """A reviewer places what could not be placed: the segment waits, showing the source."""
    record.review_state = "draft"
    if placed.unplaced:
        record.qa_flags.append(UNPLACED)
        record.comment = f"{SOURCE_FORMATTING}{segment.display}"
    else:
        record.qa_flags.append("tags: Formatting was placed automatically (check where "
                               "the bold, links or notes sit)")


def _from_memory(segment: SourceSegment, match: MemoryMatch, glossary: Glossary | None
                 ) -> SegmentRecord:
    detail = {"exact": "100%", "numbers": "99% (numbers updated)",
              "formatting": "99% (formatting differs)"}.get(
        match.kind, f"{match.score}% ({band(match.score)})")
    state = "translated" if match.kind == "exact" else "draft"
    record = _record(segment, "", "memory", origin_detail=detail, score=match.score,
                     review_state=state)
    if match.kind == "formatting":
        placed = transfer_tags(segment.tokens, match.target, glossary)
        record.target = to_display(placed.tokens)
        if placed.placed:
            record.review_state = "translated"
        else:
            _unplaced_flag(record, segment, placed)
        return record
    record.target = _fit_tags(parse_display(match.target), segment, record, glossary)
    if match.kind == "numbers":
        record.comment = "numbers filled in from the source: check them"
    return record


class Resolver:
    def __init__(self, glossary: Glossary | None, memory: MemoryIndex | None,
                 provider: MTProvider | None, options: TranslateOptions, source_lang: str,
                 target_lang: str, timings: Timings | None = None) -> None:
        self.glossary, self.memory, self.provider = glossary, memory, provider
        self.options, self.source_lang, self.target_lang = options, source_lang, target_lang
        self.timings = timings or Timings()

    def resolve(self, segments: list[SourceSegment]) -> Resolution:
        result = Resolution()
        pending: list[_Pending] = []
        with self.timings.phase("lookup"):
            for segment in segments:
                record, waiting = self._lookup(segment)
                if record is not None:
                    result.records[segment.display] = record
                if waiting is not None:
                    pending.append(waiting)
            self._tell(result, len(segments))
        with self.timings.phase("MT"):
            if pending:
                self._machine(pending, result, len(segments))
            self._place_through_mt(segments, result)
            self._tell(result, len(segments))
        return result

    def _tell(self, result: Resolution, total: int) -> None:
        """Report the records so far."""
        if self.options.progress is not None:
            self.options.progress(_progress(result, total))

    def _listener(self, result: Resolution, total: int) -> Callable[[int, int], None] | None:
        """What hears the MT batches: the lookups' figures (counted once, not per batch) plus
        the answers and failures so far, which are not records yet."""
        listener = self.options.progress
        if listener is None:
            return None
        base = _progress(result, total)
        return lambda mt, failed: listener(replace(
            base, done=base.done + mt + failed, mt=base.mt + mt, waiting=base.waiting + failed))

    def _terms(self, items: list[_Pending]) -> dict[str, list[TermNote]]:
        """Each text's glossary terms, for the providers that read them: the placeholders'
        and, in a text sent with nothing protected, the terms it contains."""
        notes: dict[str, list[TermNote]] = {}
        for item in items:
            if item.terms:
                notes[item.wire] = [TermNote(slot.term.source, slot.term.target, tag)
                                    for tag, slot in item.terms.items()]
            elif self.glossary is not None:
                found = self.glossary.find(plain(item.segment.tokens))
                notes[item.wire] = [TermNote(m.term.source, m.term.target) for m in found]
        return notes

    def _place_through_mt(self, segments: list[SourceSegment], result: Resolution) -> None:
        """Memory matches whose formatting found no place: MT translates each formatted
        stretch alone, and the pair goes where that translation stands in the memory's
        target. Whatever is still not found waits for the reviewer as it was."""
        if self.provider is None or self._blocked():
            return
        waiting = [(segment, record, spans) for segment in segments
                   if (record := result.records.get(segment.display)) is not None
                   and record.comment.startswith(SOURCE_FORMATTING)
                   and (spans := pair_texts(segment.tokens))]
        if not waiting:
            return
        texts = sorted({text for _, _, spans in waiting for text in spans.values()})
        report = self._dispatcher().translate(texts)
        _add(result.mt, report)
        for segment, record, spans in waiting:
            hints = {i: report.translations[t] for i, t in spans.items()
                     if t in report.translations}
            target = strip_display(record.target)
            placed = transfer_tags(segment.tokens, target, self.glossary, hints)
            if placed.placed:
                record.target = to_display(placed.tokens)
                record.qa_flags = [f for f in record.qa_flags if f != UNPLACED]
                record.comment = ("formatting placed where MT's translation of the formatted "
                                  "words stands")
                if record.origin == "memory":  # an MT answer that lost its markers stays draft
                    record.review_state = "translated"

    def _lookup(self, segment: SourceSegment) -> tuple[SegmentRecord | None, _Pending | None]:
        if self.glossary is not None and not segment.kinds:
            term = self.glossary.whole(segment.text)
            if term is not None:
                target = whole_term(term, segment.text, self.source_lang, self.target_lang)
                return _record(segment, target, "glossary", origin_detail=term.source,
                               review_state="translated"), None
        match = self.memory.lookup(segment.display, self.options.fuzzy_threshold) \
            if self.memory is not None else None
        use_mt = self.provider is not None and (
            match is None or (match.kind == "fuzzy" and
                              match.score < self.options.prefer_mt_below))
        if match is not None and not use_mt:
            return _from_memory(segment, match, self.glossary), None
        if self.provider is None:
            return self._untranslated(segment, "no MT provider and no memory match"), None
        tokens, terms = protect_terms(segment.tokens, self.glossary,
                                      max(segment.kinds, default=0) + 1)
        return None, _Pending(segment, to_wire(tokens), terms, match)

    def _untranslated(self, segment: SourceSegment, why: str) -> SegmentRecord:
        """No translation: the target stays empty (the document keeps the source text)."""
        return _record(segment, "", "source", origin_detail=why,
                       qa_flags=[f"untranslated: Needs a human translation ({why})"])

    def _blocked(self) -> bool:
        options = self.options
        return bool(options.personal_data and not options.allow_public_mt and
                    self.provider is not None and self.provider.public)

    def _dispatcher(self) -> Dispatcher:
        assert self.provider is not None
        fallback = None
        if self.options.fallback is not None and not (
                self.options.personal_data and not self.options.allow_public_mt
                and self.options.fallback.public):
            fallback = Dispatcher(self.options.fallback, self.source_lang, self.target_lang,
                                  self.options.policy, cache=self.options.answers)
        return Dispatcher(self.provider, self.source_lang, self.target_lang,
                          self.options.policy, fallback, cache=self.options.answers)

    def _machine(self, pending: list[_Pending], result: Resolution, total: int) -> None:
        if self._blocked():
            result.blocked = len(pending)
            for item in pending:
                result.records[item.segment.display] = self._untranslated(
                    item.segment, "personal data: not sent to a public MT service")
            return
        dispatcher = self._dispatcher()
        report = dispatcher.translate(
            [item.wire for item in pending], terms=self._terms(pending),
            on_batch=self._listener(result, total))
        result.mt = report
        self._check_failures(report, len(pending))
        broken = self._take(pending, report, result, self._from_mt)
        # MT that broke a marker or lost a term: the sentence again without its inline codes
        # (the glossary terms still protected), then with nothing protected; the codes are
        # placed on the answer the way a plain memory unit gets them.
        for protect in (True, False):
            if not broken:
                break
            retries = [self._plain(item, protect) for item in broken]
            again = dispatcher.translate([item.wire for item in retries],
                                         terms=self._terms(retries))
            _add(result.mt, again)
            self._check_failures(again, len(retries))
            broken = self._take(retries, again, result, self._from_plain)
        for item in broken:
            result.records[item.segment.display] = self._untranslated(
                item.segment, "MT broke the markers or a glossary term, even without them")
        if broken and self.options.on_mt_failure == "error":
            raise MTError(N_("machine translation broke the markers or a glossary term of "
                             "%(count)s segment(s), even when sent without them: "
                             "%(segments)s"), count=len(broken),
                          segments=", ".join(item.segment.id for item in broken))

    @staticmethod
    def _take(items: list[_Pending], report: MTReport, result: Resolution,
              read: Callable[[_Pending, MTReport], SegmentRecord | None]) -> list[_Pending]:
        """Records for the answers ``read`` accepts; returns the items it did not."""
        broken = []
        for item in items:
            record = read(item, report)
            if record is None:
                broken.append(item)
            else:
                result.records[item.segment.display] = record
        return broken

    def _check_failures(self, report: MTReport, total: int) -> None:
        if not (report.fatal or (report.failures and self.options.on_mt_failure == "error")):
            return
        if report.kept and report.translations:
            done, left = len(report.translations), len(report.failures)
            raise MTError(N_("machine translation stopped: %(cause)s; segments translated and "
                             "kept: %(done)d of %(total)d, a rerun sends only the other "
                             "%(left)d"), cause=report.explain(), done=done, total=done + left,
                          left=left)
        raise MTError(N_("machine translation failed for %(failed)d of %(total)d segments: "
                         "%(cause)s"), failed=len(report.failures), total=total,
                      cause=report.explain())

    def _plain(self, item: _Pending, protect: bool) -> _Pending:
        text = spoken(item.segment.tokens)
        tokens, terms = protect_terms([text], self.glossary, 1) if protect else ([text], {})
        return _Pending(item.segment, to_wire(tokens), terms, item.suggestion)

    def _answer(self, item: _Pending, report: MTReport) -> tuple[str | None, SegmentRecord]:
        """MT's answer for ``item`` (``None`` if none came) and the record to fill."""
        segment = item.segment
        text = report.translations.get(item.wire)
        if text is None:
            reason = report.failures.get(item.wire, "no answer")
            record = self._untranslated(segment, f"MT failed: {reason}")
        else:
            provider = report.providers.get(item.wire, self.provider.name if self.provider
                                            else "")
            record = _record(segment, "", "mt", origin_detail=provider,
                             review_state="translated")
        if item.suggestion is not None:
            record.comment = (f"memory {item.suggestion.score}% suggests: "
                              f"{item.suggestion.target}")
        return text, record

    def _from_mt(self, item: _Pending, report: MTReport) -> SegmentRecord | None:
        """The record for MT's answer; ``None`` when the answer broke a marker or a term."""
        text, record = self._answer(item, report)
        if text is None:
            return record
        tokens = parse_wire(text.strip())
        segment = item.segment
        expected = {**segment.kinds, **dict.fromkeys(item.terms, "ph")}
        sensitive = [t.id for t in tag_sequence(tokens) if t.id in segment.order_sensitive]
        if structure_problems(tokens, expected) or sensitive != sorted(sensitive):
            return None
        record.target = to_display(place_terms(tokens, item.terms, self.target_lang))
        return record

    def _from_plain(self, item: _Pending, report: MTReport) -> SegmentRecord | None:
        """The record for a sentence sent again without its codes, which are placed here."""
        text, record = self._answer(item, report)
        if text is None:
            return record
        tokens = parse_wire(text.strip())
        if not terms_intact(tokens, item.terms):
            return None
        target = plain(place_terms(tokens, item.terms, self.target_lang)).strip()
        if not target or (not item.terms and self._missed_terms(item.segment, target)):
            return None
        placed = transfer_tags(item.segment.tokens, target, self.glossary)
        record.target = to_display(placed.tokens)
        record.qa_flags.append("tags: MT lost the formatting markers; the sentence was "
                               "translated again without them and the formatting put back")
        if not placed.placed:
            _unplaced_flag(record, item.segment, placed)
        record.review_state = "draft"
        return record

    def _missed_terms(self, segment: SourceSegment, target: str) -> list[str]:
        if self.glossary is None:
            return []
        return [m.term.source for m in self.glossary.find(plain(segment.tokens))
                if not self.glossary.followed(m.term, target)]


def _progress(result: Resolution, total: int) -> TranslationProgress:
    origins = Counter(r.origin for r in result.records.values())
    memory, mt, waiting = origins["glossary"] + origins["memory"], origins["mt"], origins["source"]
    return TranslationProgress(total, memory + mt + waiting, memory, mt, waiting)


def _add(report: MTReport, other: MTReport) -> None:
    """Count a retry's requests in the run's report, and its answers' providers."""
    report.requests += other.requests
    report.attempts += other.attempts
    report.providers.update(other.providers)
