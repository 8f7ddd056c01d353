"""What a contest asks for, as its organiser publishes it.

A contest has editions; an edition has one or more phases with their own deadlines. Each item
of the form or the package is owned by one department, is written in one language and must be
submitted in the contest's languages, with its own limit counted in words or characters.
Facts the organiser does not publish stay optional, to be set per edition, never invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    PositiveFloat,
    PositiveInt,
    model_validator,
)

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")]
Language = Literal["ru", "en", "fr", "es"]
ItemKind = Literal["text", "document", "image", "media", "letter", "consent", "form"]
# The file formats the intake can check (contestflow.intake.sniff names each; a test keeps the
# two equal): a definition naming another one would refuse every upload of its item.
FileFormat = Literal["docx", "xlsx", "pptx", "pdf", "jpeg", "jpg", "png", "mp3", "mp4",
                     "mpeg4"]
TRANSLATABLE_KINDS = frozenset({"text", "document", "letter", "form"})
# Photographs, drawings and recordings: no words, so no language of their own (the entry's).
WORDLESS_KINDS = frozenset({"image", "media"})
# What every form template may use besides its items' variables.
STANDARD_FORM_VARIABLES = frozenset({"contest", "edition", "government", "nomination", "city"})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(Strict):
    ru: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def in_language(self, lang: str) -> str:
        return self.ru if lang == "ru" else self.en


class Limit(Strict):
    """A length limit, checked in the language in which the item is submitted."""

    max: PositiveInt
    unit: Literal["words", "characters"]


class ImageRules(Strict):
    """What the organiser states about an item's images."""

    min_width: PositiveInt = Field(description="pixels")
    min_height: PositiveInt = Field(description="pixels")


class FieldSpec(Strict):
    """One field of a structured item (the mayor's name, phone…), entered on the upload page."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
    title: Names
    required: bool = True
    type: Literal["text", "date", "choice"] = "text"
    choices: list[Names] = Field(default_factory=list, description="For a choice: the options")

    @model_validator(mode="after")
    def _choices_for_choice(self) -> FieldSpec:
        if (self.type == "choice") != bool(self.choices):
            raise ValueError(f"field {self.id!r}: a choice lists its options, nothing else does")
        return self


class ContestItem(Strict):
    id: Slug
    title: Names
    kind: ItemKind
    department: Slug = Field(description="The department that owns this item")
    required: bool = True
    phase: Slug | None = Field(None, description="Phase id; the first phase when unset")
    source_language: Language = Field("ru", description="The language departments write it in")
    limit: Limit | None = None
    formats: list[FileFormat] = Field(default_factory=lambda: ["docx"], min_length=1)
    max_size_mb: PositiveInt = 20
    personal_data: bool = Field(
        False, description="Never sent to a public MT service unless the coordinator allows it"
    )
    translated_by_organiser: bool = False
    images: ImageRules | None = None
    min_files: NonNegativeInt = Field(1, description="Files the item takes at least, if given")
    max_files: PositiveInt = Field(1, description="Files it takes at most; 1: a new one replaces")
    group: Slug | None = Field(
        None, description="Items numbered together, file by file (drawing 3, its form 3, its "
        "consent 3): their counts must agree")
    fields: list[FieldSpec] = Field(
        default_factory=list,
        description="Entered as fields on the upload page instead of a file; in the language "
        "the contest is submitted in, never machine-translated",
    )
    file_fields: list[FieldSpec] = Field(
        default_factory=list,
        description="What is recorded of each file (a press piece's outlet and date)",
    )
    must_match: Slug | None = Field(
        None, description="An item (a letter) that must repeat every field exactly"
    )
    guidance: str = ""
    guidance_ru: str = ""
    reusable: bool = Field(
        False, description="Rarely changes (the city's description, the mayor's details, "
        "memberships): a new submission offers last edition's approved material as a draft")

    @model_validator(mode="after")
    def _file_bounds(self) -> ContestItem:
        if self.min_files > self.max_files:
            raise ValueError(f"min_files {self.min_files} is more than max_files {self.max_files}")
        if self.fields and self.max_files > 1:
            raise ValueError("an item entered as fields takes no files")
        return self

    @property
    def several_files(self) -> bool:
        return self.max_files > 1

    @property
    def structured(self) -> bool:
        return bool(self.fields)

    @property
    def wordless(self) -> bool:
        """A photograph, a drawing, a recording: nobody is asked which language it is in."""
        return self.kind in WORDLESS_KINDS

    @property
    def variable(self) -> str:
        """The item's name in a form template (Jinja names take no hyphens)."""
        return self.id.replace("-", "_")


DateStatus = Literal["confirmed", "expected"]


class Phase(Strict):
    """One stage of an edition with its own deadline.

    Its dates are either ``confirmed`` from the organiser's published call (``source`` is that
    call's address) or ``expected``: estimated from the previous cycle, and never shown as known.
    """

    id: Slug
    name: str
    name_ru: str = Field("", description="The name in Russian where ``name`` is not")
    opens_on: dt.date | None = None
    deadline: dt.date
    status: DateStatus = Field(
        "expected", description="confirmed from the organiser's call, or expected from the "
        "previous cycle")
    source: str | None = Field(None, description="The address of the call the dates come from")

    @model_validator(mode="after")
    def _deadline_after_opening(self) -> Phase:
        if self.opens_on and self.deadline < self.opens_on:
            raise ValueError(f"deadline {self.deadline} is before the opening date {self.opens_on}")
        if self.status == "confirmed" and not (self.source or "").strip():
            raise ValueError(f"phase {self.id!r}: confirmed dates need the source address of "
                             "the organiser's call")
        return self

    @property
    def expected(self) -> bool:
        return self.status == "expected"


Delivery = Literal["email", "online_form", "post", "portal"]


class Package(Strict):
    delivery: Delivery
    email_to: str | None = Field(None, description="The organiser's address, for e-mail")
    email_subject_marker: str | None = None
    max_pages: PositiveInt | None = None
    max_size_mb: PositiveFloat | None = Field(None, description="the organiser's cap, if stated")
    file_name_pattern: str = "{contest}-{edition}-{item}-{language}"


class Edition(Strict):
    key: str = Field(min_length=1, max_length=32, description="Usually the year")
    year: int = Field(ge=2000, le=2100)
    phases: list[Phase] = Field(min_length=1)
    results_expected_on: dt.date | None = None
    nominations: list[str] = Field(default_factory=list)
    publication_window: tuple[dt.date, dt.date] | None = None
    notes: str = ""
    notes_ru: str = Field("", description="The notes in Russian, for the Russian calendar")
    package: Package | None = Field(
        None, description="How this edition takes entries, where its call differs from the "
        "contest's usual way (the delivery, the address, the subject marker)")

    @model_validator(mode="after")
    def _window_in_order(self) -> Edition:
        if self.publication_window and self.publication_window[1] < self.publication_window[0]:
            raise ValueError("the publication window ends before it starts")
        return self

    def published_within(self, day: dt.date) -> bool:
        """Whether a piece published on ``day`` may be entered (no window: any day)."""
        if self.publication_window is None:
            return True
        start, end = self.publication_window
        return start <= day <= end

    @model_validator(mode="after")
    def _phases_in_order(self) -> Edition:
        ids = [phase.id for phase in self.phases]
        if len(set(ids)) != len(ids):
            raise ValueError("phase ids must be unique within an edition")
        for earlier, later in zip(self.phases, self.phases[1:], strict=False):
            if later.deadline < earlier.deadline:
                raise ValueError(f"phase {later.id!r} ends before phase {earlier.id!r}")
        return self

    @property
    def opens_on(self) -> dt.date | None:
        return self.phases[0].opens_on

    @property
    def deadline(self) -> dt.date:
        return self.phases[-1].deadline

    def phase(self, phase_id: str | None) -> Phase:
        if not phase_id:
            return self.phases[0]
        for phase in self.phases:
            if phase.id == phase_id:
                return phase
        raise KeyError(phase_id)

    @property
    def phased(self) -> bool:
        """Sent in several phases, the later ones after the organiser's shortlist."""
        return len(self.phases) > 1

    def next_phase(self, phase_id: str | None) -> Phase | None:
        """The phase after ``phase_id`` (the first when unset), or None after the last."""
        index = self.phases.index(self.phase(phase_id))
        return self.phases[index + 1] if index + 1 < len(self.phases) else None


class FormSection(Strict):
    """A section of the organiser's form, in the organiser's order and numbering."""

    number: str = Field(min_length=1, max_length=16)
    title: Names
    item: Slug = Field(description="The item whose text (or fields) fills the section")


class Form(Strict):
    """The organiser's application form, filled in from the items (docxtpl templates)."""

    templates: dict[Language, str] = Field(
        min_length=1, description="Template file per language, in schemas/forms/"
    )
    sections: list[FormSection] = Field(min_length=1)


class Outcome(Strict):
    """One outcome in the contest's own vocabulary."""

    id: Slug
    names: Names
    awarded: bool = Field(description="Counts as a success in reports")
    decided: bool = Field(
        True, description="False for 'sent, result not known': the entry counts, but not in "
        "the success rate, since nobody knows whether it won")

    @model_validator(mode="after")
    def _undecided_not_awarded(self) -> Outcome:
        if self.awarded and not self.decided:
            raise ValueError(f"outcome {self.id!r}: a result not known cannot count as awarded")
        return self


class ContestDefinition(Strict):
    id: Slug
    names: Names
    organiser: str
    organiser_ru: str = Field("", description="The organiser's name in Russian")
    url: str | None = None
    frequency: Literal["yearly", "biennial", "irregular"]
    languages: list[Language] = Field(
        min_length=1, description="Accepted languages; the city submits in the first"
    )
    self_nomination_allowed: bool = True
    nominator: str | None = Field(None, description="Who nominates, where the city cannot")
    one_application_per_government: bool = Field(
        False, description="The city enters an edition once, whatever the nomination (UCLG)")
    several_practices_per_nomination: bool = Field(
        False, description="Practices compete within a nomination, so the city may enter "
        "several in one nomination (IAC)")
    internal_lead_days: NonNegativeInt = Field(
        10, description="Departments' internal due date: this many days before the deadline"
    )
    eligibility: list[str] = Field(default_factory=list)
    eligibility_ru: list[str] = Field(
        default_factory=list, description="The same statements in Russian, in the same order")
    outcomes: list[Outcome] = Field(min_length=1)
    items: list[ContestItem] = Field(min_length=1)
    package: Package
    form: Form | None = None
    editions: list[Edition] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> ContestDefinition:
        for name, ids in (
            ("item", [item.id for item in self.items]),
            ("outcome", [outcome.id for outcome in self.outcomes]),
            ("edition", [edition.key for edition in self.editions]),
        ):
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise ValueError(f"duplicate {name} ids: {', '.join(duplicates)}")
        self._check_form_and_fields()
        if self.eligibility_ru and len(self.eligibility_ru) != len(self.eligibility):
            raise ValueError("eligibility_ru must give each eligibility statement in Russian")
        if not self.self_nomination_allowed and not self.nominator:
            raise ValueError("a contest without self-nomination must name its nominator")
        outcome_ids = {outcome.id for outcome in self.outcomes}
        if any(e.phased for e in self.editions) and "not-shortlisted" not in outcome_ids:
            raise ValueError("an edition in several phases needs the outcome 'not-shortlisted' "
                             "(the entry the organiser did not shortlist)")
        if self.one_application_per_government and self.several_practices_per_nomination:
            raise ValueError("one application per government leaves no room for several "
                             "practices per nomination")
        for edition in self.editions:
            phase_ids = {phase.id for phase in edition.phases}
            for item in self.items:
                # A one-phase edition takes every item in its one phase.
                if item.phase and edition.phased and item.phase not in phase_ids:
                    raise ValueError(
                        f"item {item.id!r} names phase {item.phase!r}, "
                        f"which edition {edition.key!r} does not have"
                    )
        return self

    def _check_form_and_fields(self) -> None:
        ids = {item.id for item in self.items}
        for item in self.items:
            if item.must_match and item.must_match not in ids:
                raise ValueError(f"item {item.id!r} must match {item.must_match!r}, "
                                 "which is not an item")
            names = [f.id for f in item.fields]
            if len(set(names)) != len(names):
                raise ValueError(f"item {item.id!r} lists a field twice")
        placed_in_form = {s.item for s in self.form.sections} if self.form else set()
        for item in self.items:
            if item.structured and item.id not in placed_in_form:
                raise ValueError(f"item {item.id!r} has fields, so a form section must hold it")
        if self.form is None:
            return
        for section in self.form.sections:
            if section.item not in ids:
                raise ValueError(f"form section {section.number} names item {section.item!r}, "
                                 "which is not an item")
        placed = [s.item for s in self.form.sections]
        if len(set(placed)) != len(placed):
            raise ValueError("an item fills two sections of the form")
        if self.submission_language not in self.form.templates:
            raise ValueError(f"the form has no template in {self.submission_language}, the "
                             "language the contest is submitted in")

    def internal_due(self, phase: Phase) -> dt.date:
        """The departments' due date for a phase: the lead days before its deadline, never
        before the phase opens."""
        due = phase.deadline - dt.timedelta(days=self.internal_lead_days)
        return max(due, phase.opens_on) if phase.opens_on else due

    def in_form(self, item: ContestItem) -> bool:
        """Whether the item goes into the application form rather than as a file of its own."""
        return self.form is not None and any(s.item == item.id for s in self.form.sections)

    def package_for(self, edition_key: str) -> Package:
        """How the edition takes entries: its own call's way, or the contest's usual one."""
        edition = next((e for e in self.editions if e.key == edition_key), None)
        return edition.package if edition is not None and edition.package else self.package

    def phase_of(self, item: ContestItem, edition: Edition) -> Phase:
        """The phase of ``edition`` that asks for ``item`` (a one-phase edition: its phase)."""
        return edition.phase(item.phase if edition.phased else None)

    def items_in_phase(self, edition: Edition, phase_id: str | None) -> list[ContestItem]:
        """The items first asked for in that phase (a later phase's package also holds the
        earlier ones: the full form repeats the short one)."""
        phase = edition.phase(phase_id)
        return [item for item in self.items if self.phase_of(item, edition) == phase]

    def edition(self, key: str) -> Edition:
        for edition in self.editions:
            if edition.key == key:
                return edition
        known = ", ".join(e.key for e in self.editions) or "none"
        raise KeyError(f"contest {self.id!r} has no edition {key!r} (known: {known})")

    @property
    def submission_language(self) -> Language:
        return self.languages[0]

    def item(self, item_id: str) -> ContestItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"contest {self.id!r} has no item {item_id!r}")

    def target_languages(self, item: ContestItem) -> list[Language]:
        """The languages an item must be translated into before it is sent."""
        if (
            item.translated_by_organiser
            or item.structured
            or item.kind not in TRANSLATABLE_KINDS
            or item.source_language == self.submission_language
        ):
            return []
        return [self.submission_language]
