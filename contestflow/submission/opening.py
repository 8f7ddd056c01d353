"""Opening a submission: one material request per item of the contest edition."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from contestflow.audit import record_event
from contestflow.catalog import CatalogError, catalog_for, sync_contest
from contestflow.db.models import Edition, MaterialRequest, Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.intake.drafts import offer_drafts
from contestflow.states import state_name


def open_submission(
    session: Session,
    contest_id: str,
    edition_key: str,
    *,
    nomination: str = "",
    title: str = "",
    nominator: str = "",
    allow_public_mt_for_personal_data: bool = False,
    actor: str = "coordinator",
) -> Submission:
    """Open a submission with one material request per item of the contest; an item that
    rarely changes is offered last edition's approved material as a draft.

    Raises ``SubmissionError`` (and changes nothing) for an unknown contest or edition, or when
    the same edition and nomination already have a submission.
    """
    try:
        definition = catalog_for(session).get(contest_id)
        edition_def = definition.edition(edition_key)
    except (CatalogError, KeyError) as error:
        raise SubmissionError(str(error).strip("'\"")) from error
    nomination = nomination.strip()
    if edition_def.nominations and nomination and nomination not in edition_def.nominations:
        raise SubmissionError(N_("edition %(edition)s has no nomination “%(nomination)s” "
                                 "(known: %(known)s)"), edition=edition_key,
                              nomination=nomination, known="; ".join(edition_def.nominations))
    sync_contest(session, definition)
    edition = session.scalars(
        select(Edition).where(Edition.contest_id == contest_id, Edition.key == edition_key)
    ).one()
    duplicate = session.scalars(
        select(Submission).where(
            Submission.edition_id == edition.id, Submission.nomination == nomination
        )
    ).first()
    if duplicate is not None:
        if nomination:
            raise SubmissionError(N_(
                "%(contest)s %(edition)s in nomination “%(nomination)s” already has submission "
                "%(id)s (%(state)s)"), contest=definition.names, edition=edition_key,
                nomination=nomination, id=duplicate.id, state=state_name(duplicate.state))
        raise SubmissionError(N_(
            "%(contest)s %(edition)s already has submission %(id)s (%(state)s): give a "
            "nomination to enter another practice"), contest=definition.names,
            edition=edition_key, id=duplicate.id, state=state_name(duplicate.state))
    submission = Submission(
        edition_id=edition.id, nomination=nomination, title=title, created_by=actor,
        nominator=nominator.strip(),
        allow_public_mt_for_personal_data=allow_public_mt_for_personal_data,
    )
    session.add(submission)
    session.flush()
    for item in definition.items:
        phase = edition_def.phase(item.phase)
        due = phase.deadline - dt.timedelta(days=definition.internal_lead_days)
        session.add(
            MaterialRequest(
                submission_id=submission.id,
                item_id=item.id,
                department_id=item.department,
                due_on=max(due, phase.opens_on) if phase.opens_on else due,
            )
        )
    record_event(
        session,
        actor=actor,
        action="submission.opened",
        subject_type="submission",
        subject_id=submission.id,
        contest=contest_id,
        edition=edition_key,
        nomination=nomination,
    )
    session.flush()
    session.refresh(submission)
    offer_drafts(session, submission, actor=actor)
    return submission
