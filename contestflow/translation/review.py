"""Review round trip: write the bilingual document or XLIFF, apply what the reviewer decided.

``apply_review`` re-extracts the source document, matches the reviewed rows by ID (never by
position), refuses a file whose Source column changed or whose markers are broken, rebuilds the
translated document from the reviewed targets, and stores approved segments in the memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.db.models import Document, Segment
from contestflow.i18n import N_
from contestflow.translation.docx.document import DocxDocument, SourceSegment
from contestflow.translation.engine import (
    TranslationOutcome,
    apply_qa,
    persist,
    sha256,
    targets_for,
    working_segments,
)
from contestflow.translation.errors import FormatError, ReviewError
from contestflow.translation.formats.base import ExchangeUnit, TranslationStore
from contestflow.translation.formats.exchange import XliffStore
from contestflow.translation.formats.reviewdocx import ReviewDocx
from contestflow.translation.glossary import load_glossary
from contestflow.translation.inline import parse_display, structure_problems
from contestflow.translation.memory import MemoryUnit, normalise, store_units
from contestflow.translation.records import SegmentRecord

MAX_LISTED = 8


@dataclass
class ReviewOutcome:
    output: bytes
    segments: list[SegmentRecord]
    stored_units: int
    stats: dict[str, Any] = field(default_factory=dict)
    document_id: int | None = None


def _units(outcome: TranslationOutcome, lang: str = "en") -> list[ExchangeUnit]:
    return [ExchangeUnit(id=r.id, source=r.source, target=r.target if r.translated else "",
                         origin=r.describe_origin(lang), score=r.score, state=r.review_state,
                         flags=list(r.qa_flags), comment=r.comment,
                         codes=outcome.codes_of(r.id))
            for r in outcome.segments]


def _meta(outcome: TranslationOutcome, title: str) -> dict[str, Any]:
    return {"source_sha256": outcome.source_sha256, "title": title}


def write_review(outcome: TranslationOutcome, *, title: str = "", lang: str = "ru") -> bytes:
    """The bilingual review document (.docx) for a translated document, for a reviewer who
    reads ``lang``."""
    return ReviewDocx(_units(outcome, lang), outcome.source_lang, outcome.target_lang,
                      {**_meta(outcome, title), "lang": lang}).serialize()


def export_xliff(outcome: TranslationOutcome, *, original: str = "document.docx") -> bytes:
    meta = {**_meta(outcome, ""), "original": original}
    return XliffStore(_units(outcome), outcome.source_lang, outcome.target_lang,
                      meta).serialize()


def read_review(data: bytes) -> TranslationStore:
    """A reviewed file: the bilingual .docx or an XLIFF 2.0 file."""
    return ReviewDocx.parse(data) if data[:2] == b"PK" else XliffStore.parse(data)


def _stored(session: Session, source_hash: str, target_lang: str,
            document_id: int | None) -> tuple[Document | None, list[Segment]]:
    if document_id is not None:
        document = session.get(Document, document_id)
        if document is None:
            raise ReviewError(f"document {document_id} does not exist")
    else:
        document = session.execute(select(Document).where(
            Document.source_sha256 == source_hash, Document.target_lang == target_lang
        ).order_by(Document.id.desc())).scalars().first()
    if document is None:
        return None, []
    return document, list(document.segments)


def _listed(items: list[str]) -> str:
    shown = ", ".join(items[:MAX_LISTED])
    return shown + (f" … (+{len(items) - MAX_LISTED})" if len(items) > MAX_LISTED else "")


def _check_rows(store: TranslationStore, segments: dict[str, SourceSegment]) -> dict[
        str, ExchangeUnit]:
    rows: dict[str, ExchangeUnit] = {}
    for unit in store.units:
        if unit.id in rows:
            raise ReviewError(f"row {unit.id} appears twice in the review file")
        rows[unit.id] = unit
    unknown = [i for i in rows if i not in segments]
    if unknown:
        raise ReviewError(f"the review file has rows this document does not: {_listed(unknown)}")
    changed = [i for i, u in rows.items() if normalise(u.source) != normalise(
        segments[i].display)]
    if changed:
        raise ReviewError("the Source column was changed in rows "
                          f"{_listed(changed)}; restore it and try again")
    broken = [i for i, u in rows.items() if u.target.strip() and structure_problems(
        parse_display(u.target), segments[i].kinds)]
    if broken:
        raise ReviewError(N_("markers are broken in rows %(rows)s: each marker such as {1}…{/1} "
                             "must stand once, around the same words as in the source"),
                          rows=_listed(broken))
    return rows


def _record(segment: SourceSegment, row: ExchangeUnit | None, stored: Segment | None
            ) -> SegmentRecord:
    if row is None:
        if stored is None:
            raise ReviewError(f"row {segment.id} is missing from the review file and no "
                              "earlier translation is stored")
        return SegmentRecord(segment.id, segment.display, stored.target_text,
                             stored.origin, stored.origin_detail, stored.score,
                             stored.review_state, [], stored.comment)  # type: ignore[arg-type]
    target = row.target.strip()
    if not target:
        return SegmentRecord(segment.id, segment.display, "", "source",
                             "reviewer left it empty", None, "draft", [], row.comment)
    edited = stored is None or normalise(stored.target_text) != normalise(target)
    origin = "human" if edited or stored is None else stored.origin
    state = row.state or ("reviewed" if edited else (stored.review_state if stored else
                                                     "draft"))
    if edited and state in ("draft", "translated"):
        state = "reviewed"
    return SegmentRecord(segment.id, segment.display, target, origin,  # type: ignore[arg-type]
                         "reviewer" if origin == "human" else (stored.origin_detail if stored
                                                               else ""),
                         None if origin == "human" else (stored.score if stored else None),
                         state, [], row.comment)  # type: ignore[arg-type]


def apply_review(session: Session, *, source: bytes, review: bytes,
                 document_id: int | None = None, reviewer: str = "") -> ReviewOutcome:
    """Rebuild the translation from a reviewed file and store approved segments in memory."""
    try:
        store = read_review(review)
    except FormatError as error:
        raise ReviewError(str(error)) from None
    return apply_reviewed(session, source=source, store=store, document_id=document_id,
                          reviewer=reviewer)


def apply_reviewed(session: Session, *, source: bytes, store: TranslationStore,
                   document_id: int | None = None, reviewer: str = "") -> ReviewOutcome:
    """Apply reviewed rows, from a file or the review page: rows absent keep what is stored."""
    source_hash = sha256(source)
    expected = store.meta.get("source_sha256")
    if expected and expected != source_hash:
        raise ReviewError("this review file was made for a different source document")
    source_lang, target_lang = store.source_lang, store.target_lang
    document = DocxDocument.load(source, source_lang)
    segments = {s.id: s for s in working_segments(document) if not s.mirror}
    rows = _check_rows(store, segments)
    stored_doc, stored = _stored(session, source_hash, target_lang, document_id)
    by_position = dict(enumerate(stored)) if len(stored) == len(segments) else {}
    glossary = load_glossary(session, source_lang, target_lang)
    records = []
    for position, (seg_id, segment) in enumerate(segments.items()):
        record = _record(segment, rows.get(seg_id), by_position.get(position))
        apply_qa(record, segment, glossary, source_lang, target_lang)
        records.append(record)
    return _finish(session, document, records, source_hash, stored_doc, reviewer,
                   target_lang)


@dataclass(frozen=True)
class SegmentEdit:
    """What a reviewer did to one stored segment on the review page."""

    target: str
    state: str = ""  # "" lets an edit become "reviewed" and keeps an untouched row's state
    comment: str = ""


def apply_segment_edits(session: Session, *, source: bytes, document_id: int,
                        edits: dict[int, SegmentEdit], reviewer: str) -> ReviewOutcome:
    """Apply the review page's edits, keyed by segment position, exactly as a reviewed file.

    The rows go through the same checks as a file (markers intact, QA re-run, approved
    segments into the memory), so the page and the bilingual document cannot disagree.
    """
    stored_doc = session.get(Document, document_id)
    if stored_doc is None:
        raise ReviewError(f"document {document_id} does not exist")
    document = DocxDocument.load(source, stored_doc.source_lang)
    segments = [s for s in working_segments(document) if not s.mirror]
    unknown = [str(position + 1) for position in edits if not 0 <= position < len(segments)]
    if unknown:
        raise ReviewError(f"this document has no segments {_listed(unknown)}")
    units = [ExchangeUnit(id=segments[position].id, source=segments[position].display,
                          target=edit.target, state=edit.state, comment=edit.comment)
             for position, edit in sorted(edits.items())]
    store = TranslationStore(units, stored_doc.source_lang, stored_doc.target_lang,
                             {"source_sha256": stored_doc.source_sha256})
    return apply_reviewed(session, source=source, store=store, document_id=document_id,
                          reviewer=reviewer)


def _finish(session: Session, document: DocxDocument, records: list[SegmentRecord],
            source_hash: str, stored_doc: Document | None, reviewer: str,
            target_lang: str) -> ReviewOutcome:
    """Render the reviewed targets, store approved ones in memory, update the stored run."""
    source_lang = document.source_lang
    by_display = {r.source: r for r in records}
    output = document.render(targets_for(working_segments(document), by_display,
                                         {r.id: r for r in records}),
                             target_lang)
    approved = [MemoryUnit(r.source, r.target, "human", r.comment) for r in records
                if r.review_state == "approved" and r.origin != "source"]
    stored_units = store_units(session, approved, source_lang, target_lang,
                               created_by=reviewer)
    outcome = TranslationOutcome(output, _stats(records, len(approved)), records, source_hash,
                                 source_lang, target_lang)
    doc_id = persist(session, outcome, stored_doc.material_id) if stored_doc else None
    return ReviewOutcome(output, records, stored_units, outcome.stats, doc_id)


def rebuild_document(session: Session, *, document_id: int, source: bytes,
                     reviewer: str = "") -> ReviewOutcome:
    """After reviewers edited segments in the database (the review page): re-run QA, rebuild
    the translated file and store the approved segments in the memory."""
    stored_doc, stored = _stored(session, sha256(source), "", document_id)
    if stored_doc is None:  # pragma: no cover - _stored raises for an unknown id
        raise ReviewError(f"document {document_id} does not exist")
    if stored_doc.source_sha256 != sha256(source):
        raise ReviewError(f"document {document_id} was translated from another source file")
    document = DocxDocument.load(source, stored_doc.source_lang)
    segments = [s for s in working_segments(document) if not s.mirror]
    if len(segments) != len(stored) or any(
            normalise(s.display) != normalise(row.source_text) for s, row in
            zip(segments, stored, strict=True)):
        raise ReviewError(f"the stored segments of document {document_id} do not match "
                          "its source file")
    glossary = load_glossary(session, stored_doc.source_lang, stored_doc.target_lang)
    records = []
    for segment, row in zip(segments, stored, strict=True):
        target = row.target_text.strip()
        origin = "source" if not target else "human" if row.origin == "source" else row.origin
        record = SegmentRecord(segment.id, segment.display, target, origin,  # type: ignore
                               row.origin_detail, row.score, row.review_state,  # type: ignore
                               [], row.comment)
        if target and structure_problems(parse_display(target), segment.kinds):
            raise ReviewError(f"markers are broken in segment {segment.id}")
        apply_qa(record, segment, glossary, stored_doc.source_lang, stored_doc.target_lang)
        records.append(record)
    return _finish(session, document, records, stored_doc.source_sha256, stored_doc,
                   reviewer, stored_doc.target_lang)


def _stats(records: list[SegmentRecord], approved: int) -> dict[str, Any]:
    states: dict[str, int] = {}
    for record in records:
        states[record.review_state] = states.get(record.review_state, 0) + 1
    return {"segments": len(records), "approved": approved,
            "edited": sum(1 for r in records if r.origin == "human"),
            "untranslated": sum(1 for r in records if r.origin == "source"),
            "qa_flags": sum(len(r.qa_flags) for r in records), "states": states}
