"""How a submission moves forward on its own, one idempotent step per state.

Each step looks at the database, does what the state allows, and either moves the submission
on (returning True) or leaves it waiting for people (returning False). Running a step twice
changes nothing the second time: that is what lets a flow run be repeated after any crash.
``STEPS`` is the one map from a state to its step; the flow and the tests read it.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from contestflow.assembly.package import build_package, export_package
from contestflow.catalog import definition_of
from contestflow.config import get_settings
from contestflow.db.models import Submission
from contestflow.intake.requests import notify_material_requests
from contestflow.lifecycle import get_submission, transition
from contestflow.materials import current_files
from contestflow.notify import has_mail_due
from contestflow.states import SubmissionState, is_missing
from contestflow.store import FileStore
from contestflow.submission.translating import TranslationJob, is_settled
from contestflow.translation.state import is_word_file, translation_targets

ACTOR = "flow"
S = SubmissionState


def start_collecting(session: Session, submission: Submission, store: FileStore) -> bool:
    """Queue each department's request mail (with its upload link), then start collecting."""
    notify_material_requests(session, submission)
    transition(session, submission.id, S.DRAFT, S.COLLECTING, actor=ACTOR,
               reason="material requests sent to departments")
    return True


def missing_required_items(session: Session, submission: Submission) -> list[str]:
    definition, _ = definition_of(session, submission)
    return [
        request.item_id
        for request in submission.requests
        if is_missing(definition.item(request.item_id).required, request.state)
    ]


def finish_collecting(session: Session, submission: Submission, store: FileStore) -> bool:
    if missing_required_items(session, submission):
        return False
    transition(session, submission.id, S.COLLECTING, S.TRANSLATING, actor=ACTOR,
               reason="every required item received")
    return True


def translation_jobs(session: Session, submission: Submission) -> list[TranslationJob]:
    """What must be translated: each current Word file of each item, into each language.

    Files that are not Word documents are not translated; the package check names them.
    """
    definition, _ = definition_of(session, submission)
    return [
        TranslationJob(
            submission_id=submission.id,
            material_id=material.id,
            item_id=item.id,
            source_lang=material.language,
            target_lang=target,
            personal_data=item.personal_data,
            allow_public_mt=submission.allow_public_mt_for_personal_data,
        )
        for request in submission.requests
        for item in [definition.item(request.item_id)]
        for material in current_files(request)
        if is_word_file(material)
        for target in translation_targets(definition, item, material)
    ]


def finish_translating(session: Session, submission: Submission, store: FileStore) -> bool:
    """Move on once every current translation is settled, checked afresh (a new version may
    have arrived while the translation tasks ran)."""
    if not all(is_settled(session, store, job) for job in translation_jobs(session, submission)):
        return False
    transition(session, submission.id, S.TRANSLATING, S.ASSEMBLING, actor=ACTOR,
               reason="every material translated")
    return True


def assemble(session: Session, submission: Submission, store: FileStore) -> bool:
    """Build the package into the store, export a copy for people, and hand it to review."""
    result = build_package(session, store, submission)
    submission.package_sha256 = store.put_bytes(result.data).sha256
    submission.package_record_sha256 = store.put_bytes(result.record).sha256
    export_package(get_settings().submission_dir(submission.id), result)
    transition(session, submission.id, S.ASSEMBLING, S.IN_REVIEW, actor=ACTOR,
               reason=f"package built with {len(result.blocking)} blocking finding(s)")
    return True


def restart_after_changes(session: Session, submission: Submission, store: FileStore) -> bool:
    transition(session, submission.id, S.CHANGES_REQUESTED, S.COLLECTING, actor=ACTOR,
               reason="changes requested by review")
    return True


def load(session: Session, submission_id: int) -> Submission:
    return get_submission(session, submission_id)


# What the flow does in each state; a state that is not here waits for people.
# "translating" is done in the flow itself (translations run as concurrent tasks), then
# ``finish_translating`` moves it on.
Step = Callable[[Session, Submission, FileStore], bool]
STEPS: dict[SubmissionState, Step] = {
    S.DRAFT: start_collecting,
    S.COLLECTING: finish_collecting,
    S.TRANSLATING: finish_translating,
    S.ASSEMBLING: assemble,
    S.CHANGES_REQUESTED: restart_after_changes,
}


def state_if_idle(session: Session, submission_id: int) -> str | None:
    """The state a run of the submission flow would end in having done nothing, or None when
    a run could do something now (or when only a run can say, e.g. no such submission).

    A run steps until a step returns False, then delivers the outbox; so it does nothing
    exactly when the first step it meets changes nothing and no mail is due. This answers
    yes only where that is certain from the same reads the step makes: a state without a step
    (a person decides next), or collecting with a required item still missing. Translating
    always goes to a run: its tasks may fill segments from a memory or an MT provider that
    came back.
    """
    submission = session.get(Submission, submission_id)
    if submission is None or has_mail_due(session):
        return None
    state = SubmissionState(submission.state)
    if state in STEPS and not (
            state == S.COLLECTING and missing_required_items(session, submission)):
        return None
    return submission.state
