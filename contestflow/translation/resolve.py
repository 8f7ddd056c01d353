"""Decide each distinct segment's target: glossary, then memory, then machine translation.

Works on distinct display strings, so a segment repeated 200 times costs one lookup and at
most one MT request. Glossary terms are protected in MT into non-inflecting languages: the
term becomes a placeholder that MT must keep, and the glossary's target is put in its place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from contestflow.i18n import N_
from contestflow.translation.docx.document import SourceSegment
from contestflow.translation.errors import MTError
from contestflow.translation.glossary import Glossary
from contestflow.translation.inline import (
    Tag,
    Token,
    merge_text,
    parse_display,
    parse_wire,
    repair,
    structure_problems,
    tag_sequence,
    to_display,
    to_wire,
)
from contestflow.translation.memory import MemoryIndex, MemoryMatch, band
from contestflow.translation.mt import Dispatcher, MTProvider, MTReport
from contestflow.translation.records import SegmentRecord, TranslateOptions
from contestflow.translation.transfer import transfer_tags


@dataclass
class _Pending:
    segment: SourceSegment
    wire: str
    terms: dict[int, str]
    suggestion: MemoryMatch | None = None


@dataclass
class Resolution:
    records: dict[str, SegmentRecord] = field(default_factory=dict)
    mt: MTReport = field(default_factory=MTReport)
    blocked: int = 0


def _record(segment: SourceSegment, target: str, origin: str, **kwargs: object
            ) -> SegmentRecord:
    return SegmentRecord(segment.id, segment.display, target, origin, **kwargs)  # type: ignore


def _fit_tags(tokens: list[Token], segment: SourceSegment, record: SegmentRecord) -> str:
    """Display form of ``tokens``; broken tags are repaired and the segment flagged."""
    problems = structure_problems(tokens, segment.kinds)
    sensitive = [t.id for t in tag_sequence(tokens) if t.id in segment.order_sensitive]
    if not problems and sensitive == sorted(sensitive):
        return to_display(tokens)
    fixed = repair(tokens, segment.kinds, segment.order_sensitive)
    record.qa_flags.append("tags: markers were broken and have been put back; check the "
                           f"formatting ({'; '.join(problems) or 'field order'})")
    record.review_state = "draft"
    return to_display(fixed)


def _from_memory(segment: SourceSegment, match: MemoryMatch, glossary: Glossary | None
                 ) -> SegmentRecord:
    detail = {"exact": "100%", "numbers": "99% (numbers updated)",
              "formatting": "99% (formatting differs)"}.get(
        match.kind, f"{match.score}% ({band(match.score)})")
    state = "translated" if match.kind == "exact" else "draft"
    record = _record(segment, "", "memory", origin_detail=detail, score=match.score,
                     review_state=state)
    if match.kind == "formatting":
        tokens, placed = transfer_tags(segment.tokens, match.target, glossary)
        record.target = to_display(tokens)
        if placed:
            record.review_state = "translated"
        else:
            record.qa_flags.append("tags: Formatting was placed automatically (check where "
                                   "the bold, links or notes sit)")
        return record
    record.target = _fit_tags(parse_display(match.target), segment, record)
    if match.kind == "numbers":
        record.comment = "numbers filled in from the source: check them"
    return record


def protect_terms(segment: SourceSegment, glossary: Glossary | None) -> tuple[list[Token],
                                                                             dict[int, str]]:
    """Tokens with glossary terms replaced by extra placeholders, and what each stands for."""
    if glossary is None or not glossary.protects or not len(glossary):
        return segment.tokens, {}
    next_id = max(segment.kinds, default=0) + 1
    terms: dict[int, str] = {}
    out: list[Token] = []
    for index, token in enumerate(segment.tokens):
        if not isinstance(token, str):
            out.append(token)
            continue
        position = 0
        for match in glossary.find(token):
            out.append(token[position : match.start])
            target = match.term.target
            if index == 0 and match.start == 0 and target[:1].islower():
                target = target[:1].upper() + target[1:]
            terms[next_id] = target
            out.append(Tag("ph", next_id))
            next_id += 1
            position = match.end
        out.append(token[position:])
    return merge_text(out), terms


def _unprotect(tokens: list[Token], terms: dict[int, str]) -> list[Token]:
    out: list[Token] = []
    for token in tokens:
        if isinstance(token, Tag) and token.id in terms:
            out.append(terms[token.id] if token.kind == "ph" else "")
        else:
            out.append(token)
    return merge_text(out)


class Resolver:
    def __init__(self, glossary: Glossary | None, memory: MemoryIndex | None,
                 provider: MTProvider | None, options: TranslateOptions, source_lang: str,
                 target_lang: str) -> None:
        self.glossary, self.memory, self.provider = glossary, memory, provider
        self.options, self.source_lang, self.target_lang = options, source_lang, target_lang

    def resolve(self, segments: list[SourceSegment]) -> Resolution:
        result = Resolution()
        pending: list[_Pending] = []
        for segment in segments:
            record, waiting = self._lookup(segment)
            if record is not None:
                result.records[segment.display] = record
            if waiting is not None:
                pending.append(waiting)
        if pending:
            self._machine(pending, result)
        return result

    def _lookup(self, segment: SourceSegment) -> tuple[SegmentRecord | None, _Pending | None]:
        if self.glossary is not None and not segment.kinds:
            term = self.glossary.whole(segment.text)
            if term is not None:
                return _record(segment, term.target, "glossary", origin_detail=term.source,
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
        tokens, terms = protect_terms(segment, self.glossary)
        return None, _Pending(segment, to_wire(tokens), terms, match)

    def _untranslated(self, segment: SourceSegment, why: str) -> SegmentRecord:
        """No translation: the target stays empty (the document keeps the source text)."""
        return _record(segment, "", "source", origin_detail=why,
                       qa_flags=[f"untranslated: Needs a human translation ({why})"])

    def _blocked(self) -> bool:
        options = self.options
        return bool(options.personal_data and not options.allow_public_mt and
                    self.provider is not None and self.provider.public)

    def _machine(self, pending: list[_Pending], result: Resolution) -> None:
        if self._blocked():
            result.blocked = len(pending)
            for item in pending:
                result.records[item.segment.display] = self._untranslated(
                    item.segment, "personal data: not sent to a public MT service")
            return
        assert self.provider is not None
        fallback = None
        if self.options.fallback is not None and not (
                self.options.personal_data and not self.options.allow_public_mt
                and self.options.fallback.public):
            fallback = Dispatcher(self.options.fallback, self.source_lang, self.target_lang,
                                  self.options.policy, cache=self.options.answers)
        dispatcher = Dispatcher(self.provider, self.source_lang, self.target_lang,
                                self.options.policy, fallback, cache=self.options.answers)
        report = dispatcher.translate([item.wire for item in pending])
        result.mt = report
        self._check_failures(report, len(pending))
        for item in pending:
            result.records[item.segment.display] = self._from_mt(item, report)

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

    def _from_mt(self, item: _Pending, report: MTReport) -> SegmentRecord:
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
            tokens = _unprotect(parse_wire(text.strip()), item.terms)
            record.target = _fit_tags(tokens, segment, record)
        if item.suggestion is not None:
            record.comment = (f"memory {item.suggestion.score}% suggests: "
                              f"{item.suggestion.target}")
        return record
