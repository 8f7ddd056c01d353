"""A submission's translations as the review page shows them, and saving a reviewer's edits.

Only the translation of each request's latest material version is reviewable: an older
version's translation no longer goes into the package. Edits are saved against the version of
the translation the reviewer saw (its output's sha256), so two reviewers cannot overwrite each
other's work without noticing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from contestflow.advances import owe_advance
from contestflow.audit import record_event
from contestflow.catalog import definition_of
from contestflow.db.models import Document, Material, MaterialRequest, Segment, Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.materials import current_files
from contestflow.states import FINAL, SubmissionState
from contestflow.store import LocalFileStore
from contestflow.submission.running import RunningFigures, running_translations
from contestflow.translation.qa import severity_of
from contestflow.translation.review import SegmentEdit, apply_segment_edits


class StaleTranslation(SubmissionError):
    """The translation changed after the reviewer opened it."""


@dataclass(frozen=True)
class TranslationSummary:
    document_id: int
    submission_id: int
    item_id: str
    department_id: str
    filename: str
    material_version: int
    source_lang: str
    target_lang: str
    state: str
    segments: int
    untranslated: int
    flagged: int
    approved: int
    error: str = ""  # why a file could not be translated at all
    item_title_ru: str = ""
    item_title_en: str = ""
    from_memory: int = 0  # the glossary's or the memory's
    from_mt: int = 0
    running: RunningFigures | None = None  # a run under way (its result not stored yet)

    @property
    def translated(self) -> int:
        """How far the document is: segments with a translation (of ``segments``)."""
        return self.segments - self.untranslated

    @property
    def percent(self) -> int:
        """Rounded down, so a document with one segment left never shows 100."""
        return 100 * self.translated // self.segments if self.segments else 100


@dataclass(frozen=True)
class SegmentRow:
    position: int
    source: str
    target: str
    origin: str
    origin_detail: str
    score: int | None
    review_state: str
    comment: str
    flags: list[str]
    errors: int

    @property
    def needs_attention(self) -> bool:
        return self.origin == "source" or bool(self.flags) or self.review_state == "draft"


@dataclass
class TranslationPage:
    summary: TranslationSummary
    version: str
    editable: bool
    rows: list[SegmentRow] = field(default_factory=list)


def _current_materials(session: Session, submission_id: int) -> list[int]:
    return [material.id for request in session.scalars(
                select(MaterialRequest).where(MaterialRequest.submission_id == submission_id)
                .order_by(MaterialRequest.id))
            for material in current_files(request)]


def current_documents(session: Session, submission_id: int) -> list[Document]:
    """The translations that go into the package: those of each request's current files."""
    current = _current_materials(session, submission_id)
    if not current:
        return []
    documents = session.scalars(
        select(Document).where(Document.material_id.in_(current))
        .order_by(Document.target_lang, Document.id)
    ).all()
    # The newest translation of each file and language, in the order of the files.
    newest = {(d.material_id, d.target_lang): d for d in documents}
    order = {material_id: index for index, material_id in enumerate(current)}
    return sorted(newest.values(), key=lambda d: (order[d.material_id], d.target_lang))


def submission_translations(session: Session, submission_id: int) -> list[TranslationSummary]:
    if session.get(Submission, submission_id) is None:
        raise SubmissionError(f"submission {submission_id} does not exist")
    running = running_translations(session, _current_materials(session, submission_id))
    summaries = [_summary(session, document, running.pop((document.material_id,
                                                          document.target_lang), None))
                 for document in current_documents(session, submission_id)]
    # A first run has no document yet: it is shown by its figures alone.
    return summaries + [_running_summary(session, figures) for figures in running.values()]


def translation_page(session: Session, document_id: int) -> TranslationPage:
    document = _current_document(session, document_id)
    summary = _summary(session, document)
    submission = session.get(Submission, summary.submission_id)
    assert submission is not None
    rows = [
        SegmentRow(
            position=row.position,
            source=row.source_text,
            target=row.target_text,
            origin=row.origin,
            origin_detail=row.origin_detail,
            score=row.score,
            review_state=row.review_state,
            comment=row.comment,
            flags=list(row.qa_flags),
            errors=sum(1 for flag in row.qa_flags if severity_of(flag) == "error"),
        )
        for row in document.segments
    ]
    return TranslationPage(
        summary, document.output_sha256 or "", submission.state not in FINAL, rows
    )


def save_segment_edits(
    session: Session,
    store: LocalFileStore,
    document_id: int,
    edits: dict[int, SegmentEdit],
    *,
    seen_version: str,
    reviewer: str,
) -> TranslationSummary:
    """Apply the page's edits to the translation the reviewer saw; all of them or none."""
    document = _current_document(session, document_id, for_update=True)
    summary = _summary(session, document)
    submission = session.get(Submission, summary.submission_id)
    assert submission is not None
    if submission.state in FINAL:
        raise SubmissionError(
            f"submission {submission.id} is {submission.state}: its translations are final"
        )
    if (document.output_sha256 or "") != seen_version:
        raise StaleTranslation(
            "someone saved this translation after you opened it, so your changes were not "
            "saved; below is the current text: make your changes again"
        )
    material = session.get(Material, document.material_id)
    assert material is not None
    edits = _withdraw_unticked_approvals(document, edits)
    outcome = apply_segment_edits(
        session,
        source=store.read_bytes(material.sha256),
        document_id=document.id,
        edits=edits,
        reviewer=reviewer,
    )
    store.put_bytes(outcome.output)
    record_event(
        session,
        actor=reviewer,
        action="translation.reviewed",
        subject_type="document",
        subject_id=document.id,
        submission_id=submission.id,
        edited=outcome.stats.get("edited", 0),
        approved=outcome.stats.get("approved", 0),
        untranslated=outcome.stats.get("untranslated", 0),
    )
    session.flush()
    session.expire(document)
    summary = _summary(session, document)
    if not summary.untranslated and submission.state == SubmissionState.TRANSLATING:
        owe_advance(session, submission.id, "review.saved")  # the flow waits for this
    return summary


def _withdraw_unticked_approvals(
    document: Document, edits: dict[int, SegmentEdit]
) -> dict[int, SegmentEdit]:
    """On the page an approved row shows a ticked box: sent back unticked, approval is withdrawn."""
    stored = {row.position: row.review_state for row in document.segments}
    return {
        position: SegmentEdit(edit.target, "reviewed", edit.comment)
        if not edit.state and stored.get(position) == "approved"
        else edit
        for position, edit in edits.items()
    }


def _current_document(session: Session, document_id: int, *, for_update: bool = False) -> Document:
    query = select(Document).where(Document.id == document_id)
    if for_update:  # PostgreSQL: a row lock; SQLite's BEGIN IMMEDIATE already serialises writers
        query = query.with_for_update()
    document = session.scalars(query).first()
    if document is None or document.material_id is None:
        raise SubmissionError(N_("translation %(id)s does not exist"), id=document_id)
    material = session.get(Material, document.material_id)
    assert material is not None
    if document not in current_documents(session, material.request.submission_id):
        raise SubmissionError(
            N_("translation %(id)s is of a replaced version of %(file)s; open the current one "
               "from the submission's page"), id=document_id, file=material.filename)
    return document


def _running_summary(session: Session, figures: RunningFigures) -> TranslationSummary:
    material = session.get(Material, figures.material_id)
    assert material is not None  # a foreign key
    request = material.request
    definition, _edition = definition_of(session, request.submission)
    title = definition.item(request.item_id).title
    return TranslationSummary(
        document_id=0, submission_id=request.submission_id, item_id=request.item_id,
        department_id=request.department_id, filename=material.filename,
        material_version=material.version, source_lang=figures.source_lang,
        target_lang=figures.target_lang, state="running", segments=0, untranslated=0,
        flagged=0, approved=0, item_title_ru=title.ru, item_title_en=title.en,
        running=figures)


def _summary(session: Session, document: Document,
             running: RunningFigures | None = None) -> TranslationSummary:
    material = session.get(Material, document.material_id)
    assert material is not None
    request = material.request
    counts = session.execute(
        select(
            func.count(),
            func.count().filter(Segment.origin == "source"),
            func.count().filter(Segment.review_state == "approved"),
            func.count().filter(Segment.origin.in_(("glossary", "memory"))),
            func.count().filter(Segment.origin == "mt"),
        ).where(Segment.document_id == document.id)
    ).one()
    flagged = sum(
        1
        for flags in session.scalars(
            select(Segment.qa_flags).where(Segment.document_id == document.id)
        )
        if flags
    )
    definition, _edition = definition_of(session, request.submission)
    title = definition.item(request.item_id).title
    return TranslationSummary(
        item_title_ru=title.ru,
        item_title_en=title.en,
        document_id=document.id,
        submission_id=request.submission_id,
        item_id=request.item_id,
        department_id=request.department_id,
        filename=material.filename,
        material_version=material.version,
        source_lang=document.source_lang,
        target_lang=document.target_lang,
        state=document.state,
        segments=counts[0],
        untranslated=counts[1],
        flagged=flagged,
        approved=counts[2],
        from_memory=counts[3],
        from_mt=counts[4],
        error=str((document.stats or {}).get("error", "")) if document.state == "failed" else "",
        running=running,
    )
