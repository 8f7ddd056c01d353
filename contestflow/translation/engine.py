"""Translate a Word document: the function the CLI and the submission flow call.

``translate_document`` extracts every story into segments, resolves each distinct segment
(glossary → memory → MT), runs QA, fills the skeleton and re-opens the result before handing
it back. With a material id (or ``persist=True``) the document and its segments are stored, so
the review page and ``apply_review`` can work on them. Segments given in ``options.keep`` (a
stored run's, see ``stored_translations``) are taken as they are and never resolved again.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from contestflow.db.models import Document, Segment
from contestflow.translation.docx.document import DocxDocument, SourceSegment
from contestflow.translation.glossary import Glossary, load_glossary
from contestflow.translation.inline import InlineCode, Token, parse_display
from contestflow.translation.memory import MemoryIndex, load_memory, normalise
from contestflow.translation.mt import MTProvider, make_provider
from contestflow.translation.mt.cache import StoredAnswers
from contestflow.translation.qa import QAContext, run_checks, severity_of
from contestflow.translation.records import SegmentRecord, TranslateOptions
from contestflow.translation.resolve import Resolution, Resolver
from contestflow.translation.timing import Timings


@dataclass
class TranslationOutcome:
    output: bytes
    stats: dict[str, Any]
    segments: list[SegmentRecord]
    source_sha256: str
    source_lang: str
    target_lang: str
    document_id: int | None = None
    document: Document | None = None
    source_segments: dict[str, SourceSegment] = field(default_factory=dict, repr=False)
    timings: Timings = field(default_factory=Timings, repr=False)

    def codes_of(self, segment_id: str) -> dict[int, InlineCode]:
        """What the segment's tags stand for, for exchange formats that say so."""
        segment = self.source_segments.get(segment_id)
        return segment.codes if segment is not None else {}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def working_segments(document: DocxDocument) -> list[SourceSegment]:
    return [s for s in document.segments if s.translatable]


def distinct_segments(segments: list[SourceSegment]) -> list[SourceSegment]:
    """One segment per distinct display text, a body segment rather than a mirror."""
    chosen: dict[str, SourceSegment] = {}
    for segment in sorted(segments, key=lambda s: s.mirror):
        chosen.setdefault(segment.display, segment)
    return list(chosen.values())


def apply_qa(record: SegmentRecord, segment: SourceSegment, glossary: Glossary | None,
             source_lang: str, target_lang: str) -> None:
    """Add every QA flag to ``record`` (keeping flags set earlier, once each).

    A segment left in the source language carries only its "untranslated" flag: checking a
    translation that does not exist would only add noise.
    """
    if record.origin == "source":
        if not any(f.startswith("untranslated") for f in record.qa_flags):
            record.qa_flags.append("untranslated: Needs a human translation")
        return
    context = QAContext(record.source, record.target, source_lang, target_lang,
                        segment.kinds, glossary)
    existing = {flag.split(":", 1)[0] for flag in record.qa_flags}
    record.qa_flags.extend(f for f in run_checks(context) if f.split(":", 1)[0] not in existing)
    if record.review_state == "translated" and any(
            severity_of(f) == "error" for f in record.qa_flags):
        record.review_state = "draft"


def targets_for(segments: list[SourceSegment], by_display: dict[str, SegmentRecord],
                by_id: dict[str, SegmentRecord] | None = None) -> dict[str, list[Token]]:
    """Target tokens for the ``working_segments`` of a document (mirrors of text boxes take
    their twin's)."""
    targets: dict[str, list[Token]] = {}
    for segment in segments:
        record = (by_id or {}).get(segment.id) or by_display.get(segment.display)
        if record is not None and record.translated:
            targets[segment.id] = parse_display(record.target)
    return targets


def translate_document(session: Session, source: bytes, *, source_lang: str, target_lang: str,
                       provider: MTProvider | str | None,
                       options: TranslateOptions | None = None,
                       **overrides: Any) -> TranslationOutcome:
    """Translate a .docx; raises DocumentError or MTError with a one-line message.

    ``provider`` is a provider object, a provider name (``"none"``, ``"libre"``... with its
    default URL) or ``None``. Keyword ``overrides`` set fields of ``options``
    (``material_id=``, ``personal_data=``, ``allow_public_mt=``, ``on_mt_failure=``...).
    With a material id (or ``persist=True``) the Document and its Segments are stored and
    ``outcome.document`` is the row; its ``output_sha256`` is the digest of ``output``.
    """
    options = replace(options or TranslateOptions(), **overrides)
    timings = Timings()
    with timings.phase("start-up"):
        if isinstance(provider, str):
            provider = make_provider(provider)
        if options.answers is None:
            options.answers = StoredAnswers.for_session(session)
        glossary = load_glossary(session, source_lang, target_lang)
        memory = load_memory(session, source_lang, target_lang)
    with timings.phase("reading"):
        document = DocxDocument.load(source, source_lang)
    timings.take("segmenting", document.segmenting_seconds, "reading")
    with timings.phase("segmenting"):
        segments = working_segments(document)
        distinct = distinct_segments(segments)
        kept = _kept(segments, options.keep)
        todo = distinct_segments(_open(segments, kept))
    resolution = Resolver(glossary, memory, provider, options, source_lang,
                          target_lang, timings).resolve(todo)
    with timings.phase("checks"):
        for segment in todo:
            apply_qa(resolution.records[segment.display], segment, glossary, source_lang,
                     target_lang)
    with timings.phase("writing"):
        # A mirror of a kept segment has no record of its own: it takes its twin's, by
        # display.
        by_display = {s.display: kept[s.id] for s in segments if s.id in kept}
        by_display.update(resolution.records)
        output = document.render(targets_for(segments, by_display, kept), target_lang)
        records = [kept.get(s.id) or _instance(resolution.records[s.display], s)
                   for s in segments if not s.mirror]
    outcome = TranslationOutcome(output, _stats(records, distinct, resolution, memory),
                                 records, sha256(source), source_lang, target_lang,
                                 source_segments={s.id: s for s in segments if not s.mirror},
                                 timings=timings)
    if options.persist or options.material_id is not None:
        with timings.phase("storing"):
            outcome.document_id = persist(session, outcome, options.material_id)
            outcome.document = session.get(Document, outcome.document_id)
    return outcome


def stored_translations(session: Session, document_id: int) -> dict[int, SegmentRecord]:
    """A stored document's translated segments by position, to pass as ``keep`` on a rerun.

    Whatever their origin or review state: only segments still in the source language are
    left for the glossary, the memory and MT.
    """
    rows = session.scalars(select(Segment).where(Segment.document_id == document_id,
                                                 Segment.origin != "source"))
    return {row.position: SegmentRecord("", row.source_text, row.target_text,
                                        row.origin,  # type: ignore[arg-type]
                                        row.origin_detail, row.score,
                                        row.review_state,  # type: ignore[arg-type]
                                        list(row.qa_flags or []), row.comment)
            for row in rows}


def _kept(segments: list[SourceSegment], keep: Mapping[int, SegmentRecord]
          ) -> dict[str, SegmentRecord]:
    """``keep`` by segment id; a record whose source is not the segment's at its position
    (the document is segmented differently now) keeps nothing, so that segment is resolved."""
    body = [s for s in segments if not s.mirror]
    return {body[position].id: _instance(record, body[position])
            for position, record in keep.items()
            if 0 <= position < len(body)
            and normalise(record.source) == normalise(body[position].display)}


def _open(segments: list[SourceSegment], kept: dict[str, SegmentRecord]
          ) -> list[SourceSegment]:
    """The segments still to resolve: neither kept nor a mirror of a kept one."""
    kept_displays = {s.display for s in segments if s.id in kept}
    return [s for s in segments
            if s.id not in kept and not (s.mirror and s.display in kept_displays)]


def _instance(record: SegmentRecord, segment: SourceSegment) -> SegmentRecord:
    return SegmentRecord(segment.id, record.source, record.target, record.origin,
                         record.origin_detail, record.score, record.review_state,
                         list(record.qa_flags), record.comment)


def _stats(records: list[SegmentRecord], distinct: list[SourceSegment],
           resolution: Resolution, memory: MemoryIndex) -> dict[str, Any]:
    origins = Counter(r.origin for r in records)
    kinds = Counter(r.origin_detail.split()[0] for r in records if r.origin == "memory")
    flags = Counter(f.split(":", 1)[0] for r in records for f in r.qa_flags)
    return {
        "segments": len(records),
        "unique_segments": len({s.display for s in distinct if not s.mirror}),
        "from_glossary": origins["glossary"],
        "from_memory": origins["memory"],
        "memory_exact": kinds["100%"],
        "memory_numbers": kinds["99%"],
        "memory_fuzzy": origins["memory"] - kinds["100%"] - kinds["99%"],
        "from_mt": origins["mt"],
        "untranslated": origins["source"],
        "mt_from_cache": resolution.mt.cached,
        "mt_requests": resolution.mt.requests,
        "mt_attempts": resolution.mt.attempts,
        "mt_blocked_personal_data": resolution.blocked,
        "qa_flags": sum(flags.values()),
        "qa_flagged_segments": sum(1 for r in records if r.qa_flags),
        "qa_by_check": dict(sorted(flags.items())),
        "memory_units": len(memory),
    }


def persist(session: Session, outcome: TranslationOutcome, material_id: int | None) -> int:
    """Store the document and its segments (replacing an earlier run's); returns its id."""
    query = select(Document).where(Document.target_lang == outcome.target_lang)
    if material_id is not None:
        query = query.where(Document.material_id == material_id)
    else:
        query = query.where(Document.material_id.is_(None),
                            Document.source_sha256 == outcome.source_sha256)
    row = session.execute(query.order_by(Document.id.desc())).scalars().first()
    if row is None:
        row = Document(material_id=material_id, source_sha256=outcome.source_sha256,
                       source_lang=outcome.source_lang, target_lang=outcome.target_lang)
        session.add(row)
        session.flush()
    else:
        session.execute(delete(Segment).where(Segment.document_id == row.id))
    row.source_sha256, row.source_lang = outcome.source_sha256, outcome.source_lang
    row.output_sha256, row.stats = sha256(outcome.output), dict(outcome.stats)
    row.state = _document_state(outcome.segments)
    session.add_all(
        Segment(document_id=row.id, position=position, source_text=r.source,
                target_text=r.target, origin=r.origin, origin_detail=r.origin_detail[:120],
                score=r.score, review_state=r.review_state, qa_flags=list(r.qa_flags),
                comment=r.comment)
        for position, r in enumerate(outcome.segments)
    )
    session.flush()
    return row.id


def _document_state(records: list[SegmentRecord]) -> str:
    states = {r.review_state for r in records}
    if states and states <= {"approved"}:
        return "approved"
    if states and states <= {"approved", "reviewed"}:
        return "reviewed"
    return "translated" if "draft" not in states else "draft"
