"""What goes into a package, gathered once from the database and the store.

The contest's rules (``rules.py``) read only this: plain data, so each rule is tested on a
package built by hand that breaks exactly that rule, without a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.catalog import definition_of
from contestflow.db.models import Material, Segment, Submission
from contestflow.i18n import N_, Message
from contestflow.materials import current_files
from contestflow.store import FileStore
from contestflow.translation.state import (
    FAILED,
    document_for,
    is_word_file,
    pending_segments,
    translation_targets,
)
from schemas.contest import ContestDefinition, ContestItem
from schemas.contest import Edition as EditionDefinition

# "{2}{/2}": a formatting pair with nothing inside, where a memory match lost its words.
EMPTY_PAIR = re.compile(r"\{(\d+)\}\{/\1\}")
FORMATTING_DIFFERS = "formatting differs"


@dataclass(frozen=True)
class MaterialInfo:
    id: int
    version: int
    sha256: str
    filename: str
    language: str


@dataclass(frozen=True)
class TranslationInfo:
    """The translation behind a translated file: what still needs a person."""

    document_id: int
    pending: int = 0
    empty_pairs: tuple[int, ...] = ()  # segment positions
    unconfirmed_formatting: tuple[int, ...] = ()  # memory matches placed automatically


@dataclass
class PackedItem:
    """One item of the contest, and the file it contributes in the submission language."""

    item: ContestItem
    request_id: int
    department_id: str
    request_state: str
    request_comment: str = ""
    material: MaterialInfo | None = None
    data: bytes | None = None
    origin: str = ""  # "original" or "translated"
    language: str = ""
    name: str = ""
    number: int = 1  # which of the item's files, for items that take several
    details: dict[str, str] = field(default_factory=dict)  # what the item records per file
    missing_file: Message | None = None  # why there is a material but no file to pack
    translation: TranslationInfo | None = None


@dataclass
class PackageContext:
    definition: ContestDefinition
    edition: EditionDefinition
    submission_id: int
    nomination: str = ""
    nominator: str = ""
    nominator_contact: str = ""
    nominator_email: str = ""
    nominator_language: str = ""  # the draft letter's; the contest's when unset
    confirmed: frozenset[int] = frozenset()  # eligibility statements, by index
    items: list[PackedItem] = field(default_factory=list)
    package_size: int = 0
    pages: tuple[int, bool] | None = None  # the Word files' pages, and whether counted exactly
    nominee_names: frozenset[str] = frozenset()  # the city's names, for self-nomination

    @property
    def language(self) -> str:
        return self.definition.submission_language

    def packed(self) -> list[PackedItem]:
        return [packed for packed in self.items if packed.data is not None]


def gather(session: Session, store: FileStore, submission: Submission,
           nominee_names: frozenset[str] = frozenset()) -> PackageContext:
    """Everything the package and its rules need, read in one pass."""
    definition, edition = definition_of(session, submission)
    context = PackageContext(
        definition=definition,
        edition=definition.edition(edition.key),
        submission_id=submission.id,
        nomination=submission.nomination,
        nominator=submission.nominator,
        nominator_contact=submission.nominator_contact,
        nominator_email=submission.nominator_email,
        nominator_language=submission.nominator_language,
        confirmed=frozenset(submission.confirmations or ()),
        nominee_names=nominee_names,
    )
    for request in submission.requests:
        item = definition.item(request.item_id)
        files = current_files(request)
        if not files:
            context.items.append(PackedItem(item, request.id, request.department_id,
                                            request.state, request.comment))
        for number, material in enumerate(files, start=1):
            packed = PackedItem(item, request.id, request.department_id, request.state,
                                request.comment, number=number)
            packed.material = MaterialInfo(material.id, material.version, material.sha256,
                                           material.filename, material.language)
            packed.details = dict(material.details or {})
            _fill_file(session, store, definition, packed, material)
            if packed.data is not None:
                packed.name = _file_name(definition, edition.key, item, packed.language,
                                         material.filename, number)
            context.items.append(packed)
    return context


def _fill_file(session: Session, store: FileStore, definition: ContestDefinition,
               packed: PackedItem, material: Material) -> None:
    """The file for the item in the submission language: the original, or its translation."""
    language = definition.submission_language
    if not translation_targets(definition, packed.item, material):
        packed.data, packed.origin = store.read_bytes(material.sha256), "original"
        # A photograph or a recording has no language of its own: it is the entry's.
        packed.language = language if packed.item.wordless else material.language
        return
    packed.language = language
    if not is_word_file(material):
        name = material.filename
        packed.missing_file = Message(N_(
            "%(name)s is not a Word file and cannot be translated: send it as .docx, or add "
            "the %(language)s version"), name=name, language=language.upper())
        return
    document = document_for(session, material.id, language)
    if document is not None and document.state == FAILED:
        reason = document.stats.get("error")
        packed.missing_file = (Message(N_("the file could not be read: %(reason)s"), reason=reason)
                               if reason else Message(N_("the file could not be read")))
        return
    if document is None or document.output_sha256 is None:
        packed.missing_file = Message(N_("not yet translated into %(language)s"),
                                      language=language.upper())
        return
    packed.data, packed.origin = store.read_bytes(document.output_sha256), "translated"
    packed.translation = _translation_info(session, document.id)


def _translation_info(session: Session, document_id: int) -> TranslationInfo:
    rows = session.execute(
        select(Segment.position, Segment.target_text, Segment.origin, Segment.origin_detail,
               Segment.review_state).where(Segment.document_id == document_id)
    ).all()
    return TranslationInfo(
        document_id=document_id,
        pending=pending_segments(session, document_id),
        empty_pairs=tuple(r.position for r in rows if EMPTY_PAIR.search(r.target_text or "")),
        unconfirmed_formatting=tuple(
            r.position for r in rows
            if r.origin == "memory" and FORMATTING_DIFFERS in (r.origin_detail or "")
            and r.review_state != "approved"),
    )


def _file_name(definition: ContestDefinition, edition_key: str, item: ContestItem,
               language: str, filename: str, number: int) -> str:
    """The name in the package: the contest's pattern, numbered where the item takes several
    files (drawing 03 goes with form 03 and consent 03)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stem = definition.package.file_name_pattern.format(
        contest=definition.id, edition=edition_key, item=item.id, language=language)
    return f"{stem}-{number:02d}.{extension}" if item.several_files else f"{stem}.{extension}"
