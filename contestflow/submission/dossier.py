"""One submission as its page shows it: what blocks it now, what can be done next, and the
files to download. The web page and any other front door read the same dossier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.advances import newest_pending
from contestflow.assembly.approval import package_record
from contestflow.assembly.package import package_stem_for
from contestflow.catalog import definition_of
from contestflow.config import get_settings
from contestflow.db.models import Edition, Result, Review
from contestflow.identity import local_today
from contestflow.intake.views import SubmissionOverview, submission_overview
from contestflow.lifecycle import get_submission
from contestflow.sending import SentInfo, how_sent
from contestflow.states import FINAL, OPEN_FOR_MATERIAL, WITHDRAWABLE, SubmissionState
from contestflow.store import FileStore
from contestflow.submission.nomination import Nominator, recorded_nominator
from contestflow.submission.phases import PhaseView, awaits_shortlist, submission_phases
from contestflow.submission.translations import TranslationSummary, submission_translations
from schemas.contest import Names

S = SubmissionState
ADVANCEABLE = frozenset({S.DRAFT, S.COLLECTING, S.TRANSLATING, S.ASSEMBLING,
                         S.CHANGES_REQUESTED})


@dataclass
class Dossier:
    overview: SubmissionOverview
    delivery: str  # the contest's way in: email, online_form, post, portal
    translations: list[TranslationSummary] = field(default_factory=list)
    record: dict | None = None  # the package's record: items and the checklist
    package_name: str | None = None
    review_files: list[Path] = field(default_factory=list)
    sent: SentInfo | None = None
    result: Result | None = None
    outcome_names: Names | None = None  # the result's outcome in the contest's own words
    last_review: Review | None = None
    actions: frozenset[str] = frozenset()
    # (number, English, Russian, confirmed)
    eligibility: list[tuple[int, str, str, bool]] = field(default_factory=list)
    phases: list[PhaseView] = field(default_factory=list)  # an edition in several phases
    email_to: str = ""  # the organiser's address, where the edition's call gives one
    nominator: Nominator | None = None  # the third party that nominates, where one must
    run_owed: bool = False  # a run is asked for (an upload, a decision, a button) and not done

    @property
    def state(self) -> str:
        return self.overview.state

    @property
    def waiting_segments(self) -> int:
        """Segments that no memory, glossary or MT could fill: a person must translate them."""
        return sum(t.untranslated for t in self.translations)

    @property
    def translating_now(self) -> bool:
        """A translation run is under way (its figures are shown, its result not stored)."""
        return any(t.running is not None for t in self.translations)

    @property
    def sent_on(self) -> dt.date | None:
        return dt.date.fromisoformat(self.sent.at[:10]) if self.sent and self.sent.at else None

    @property
    def all_confirmed(self) -> bool:
        return all(confirmed for *_statement, confirmed in self.eligibility)

    @property
    def failed_translations(self) -> list[TranslationSummary]:
        return [t for t in self.translations if t.error]

    @property
    def missing_requests(self) -> list:
        return [r for r in self.overview.requests
                if r.spec.required and r.state in ("pending", "reopened")]


def actions_for(state: str) -> frozenset[str]:
    """What the state allows; the page offers only these (the role narrows them further)."""
    allowed: set[str] = set()
    if state in ADVANCEABLE:
        allowed.add("advance")
    if state in OPEN_FOR_MATERIAL:
        allowed.add("requests")
    if state == S.IN_REVIEW:
        allowed.add("decide")
    if state == S.APPROVED:
        allowed |= {"send", "mark_sent"}
    if state in (S.SENT, S.RESULT_RECORDED, S.WITHDRAWN):
        allowed.add("result")
    if state in WITHDRAWABLE:
        allowed.add("withdraw")
    if state not in FINAL:
        allowed.add("confirm")
    return frozenset(allowed)


@dataclass(frozen=True)
class SubmissionFiles:
    """What a submission's page offers to download, found without building the whole page."""

    package_name: str | None  # the zip's name for people, once a package is built
    package_sha256: str | None
    review_files: list[Path]


def submission_files(session: Session, submission_id: int) -> SubmissionFiles:
    submission = get_submission(session, submission_id)
    edition = session.get(Edition, submission.edition_id)
    assert edition is not None  # a foreign key
    review_dir = get_settings().submission_dir(submission.id) / "review"
    return SubmissionFiles(
        package_name=(package_stem_for(edition.contest_id, edition.key, submission.id) + ".zip"
                      if submission.package_sha256 else None),
        package_sha256=submission.package_sha256,
        review_files=sorted(review_dir.glob("*.review.docx")) if review_dir.is_dir() else [],
    )


def submission_dossier(session: Session, store: FileStore, submission_id: int,
                       today: dt.date | None = None) -> Dossier:
    submission = get_submission(session, submission_id)
    definition, edition = definition_of(session, submission)
    result = session.scalars(select(Result).where(Result.submission_id == submission.id)).first()
    overview = submission_overview(session, submission, today or local_today(),
                                   with_requests=True)
    record = package_record(store, submission)
    files = submission_files(session, submission_id)
    return Dossier(
        overview=overview,
        delivery=definition.package_for(edition.key).delivery,
        translations=submission_translations(session, submission.id),
        record=record,
        package_name=files.package_name,
        review_files=files.review_files,
        sent=how_sent(session, submission),
        result=result,
        outcome_names=next((o.names for o in definition.outcomes
                            if result is not None and o.id == result.outcome), None),
        last_review=session.scalars(select(Review).where(Review.submission_id == submission.id)
                                    .order_by(Review.id.desc())).first(),
        actions=actions_for(submission.state) | (
            {"shortlist"} if awaits_shortlist(session, submission) else set()),
        phases=submission_phases(session, submission),
        email_to=definition.package_for(edition.key).email_to or "",
        eligibility=[(n + 1, text, (definition.eligibility_ru or definition.eligibility)[n],
                      n in (submission.confirmations or ()))
                     for n, text in enumerate(definition.eligibility)],
        nominator=(None if definition.self_nomination_allowed
                   else recorded_nominator(submission)),
        run_owed=newest_pending(session, submission.id) is not None,
    )
