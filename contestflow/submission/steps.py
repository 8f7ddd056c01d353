"""How a submission moves forward on its own, one idempotent step per state.

Each step looks at the database, does what the state allows, and either moves the submission
on (returning True) or leaves it waiting for people (returning False). Running a step twice
changes nothing the second time: that is what lets a flow run be repeated after any crash.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from contestflow.assembly.package import build_package
from contestflow.db.models import Material, Submission
from contestflow.store import LocalFileStore
from contestflow.submission.lifecycle import transition
from contestflow.submission.materials import latest_material
from contestflow.submission.service import definition_of, get_submission
from contestflow.submission.translating import (
    TranslationJob,
    is_settled,
    is_word_file,
    translation_targets,
)

ACTOR = "flow"
WAITING_FOR_PEOPLE = frozenset({"in_review", "approved", "sent", "result_recorded", "withdrawn"})


def start_collecting(session: Session, submission: Submission) -> bool:
    """Queue each department's request mail (with its upload link), then start collecting."""
    from contestflow.intake.requests import notify_material_requests

    notify_material_requests(session, submission)
    transition(
        session,
        submission.id,
        "draft",
        "collecting",
        actor=ACTOR,
        reason="material requests sent to departments",
    )
    return True


def missing_required_items(session: Session, submission: Submission) -> list[str]:
    definition, _ = definition_of(session, submission)
    return [
        request.item_id
        for request in submission.requests
        if definition.item(request.item_id).required
        and (not request.materials or request.state not in ("received", "accepted"))
    ]


def finish_collecting(session: Session, submission: Submission) -> bool:
    if missing_required_items(session, submission):
        return False
    transition(
        session,
        submission.id,
        "collecting",
        "translating",
        actor=ACTOR,
        reason="every required item received",
    )
    return True


def translation_jobs(session: Session, submission: Submission) -> list[TranslationJob]:
    """What must be translated: the latest Word version of each item, into each language.

    Files that are not Word documents are not translated; the package check names them.
    """
    definition, _ = definition_of(session, submission)
    jobs = []
    for request in submission.requests:
        item = definition.item(request.item_id)
        material: Material | None = latest_material(request)
        if material is None or not is_word_file(material):
            continue
        for target in translation_targets(definition, item, material):
            jobs.append(
                TranslationJob(
                    submission_id=submission.id,
                    material_id=material.id,
                    item_id=item.id,
                    source_lang=material.language,
                    target_lang=target,
                    personal_data=item.personal_data,
                    allow_public_mt=submission.allow_public_mt_for_personal_data,
                )
            )
    return jobs


def finish_translating(session: Session, submission: Submission, store: LocalFileStore) -> bool:
    """Move on once every current translation is settled, checked afresh (a new version may
    have arrived while the translation tasks ran)."""
    if not all(is_settled(session, store, job) for job in translation_jobs(session, submission)):
        return False
    transition(
        session,
        submission.id,
        "translating",
        "assembling",
        actor=ACTOR,
        reason="every material translated",
    )
    return True


def assemble(
    session: Session, submission: Submission, store: LocalFileStore, packages_dir: Path
) -> bool:
    result = build_package(session, store, submission, packages_dir)
    submission.package_path = str(result.path)
    submission.package_sha256 = result.sha256
    transition(
        session,
        submission.id,
        "assembling",
        "in_review",
        actor=ACTOR,
        reason=f"package built with {len(result.blocking)} blocking finding(s)",
    )
    return True


def restart_after_changes(session: Session, submission: Submission) -> bool:
    transition(
        session,
        submission.id,
        "changes_requested",
        "collecting",
        actor=ACTOR,
        reason="changes requested by review",
    )
    return True


def load(session: Session, submission_id: int) -> Submission:
    return get_submission(session, submission_id)
