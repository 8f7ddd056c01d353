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
from contestflow.identity import local_today
from contestflow.intake.drafts import offer_drafts
from contestflow.states import SubmissionState, state_name
from contestflow.submission.nomination import Nominator, check_nominator
from schemas.contest import ContestDefinition
from schemas.contest import Edition as EditionDefinition


def open_submission(
    session: Session,
    contest_id: str,
    edition_key: str,
    *,
    nomination: str = "",
    title: str = "",
    nominator: Nominator | None = None,
    allow_public_mt_for_personal_data: bool = False,
    actor: str = "coordinator",
    late: bool = False,
    today: dt.date | None = None,
) -> Submission:
    """Open a submission with one material request per item of the contest; an item that
    rarely changes is offered last edition's approved material as a draft.

    Raises ``SubmissionError`` (and changes nothing) for an unknown contest or edition, a
    nominating party the contest does not take (``check_nominator``), an entry the contest
    does not allow beside those already open (``_refuse_another_entry``), or when the
    edition's first deadline has passed and the coordinator has not said (``late``) that this
    is a late or historical entry, which the submission then records.
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
    first_deadline = edition_def.phases[0].deadline
    past = first_deadline < (today or local_today())
    if past and not late:
        raise SubmissionError(N_(
            "the deadline of %(contest)s %(edition)s passed on %(deadline)s: to enter it "
            "anyway, open it as a late or historical entry (the box on the contests page, or "
            "--late on the command line)"), contest=definition.names,
            edition=edition_key, deadline=first_deadline)
    party = check_nominator(definition, nominator or Nominator())
    sync_contest(session, definition)
    # The edition's row is locked so two openings at once take turns through the check below
    # (SQLite's BEGIN IMMEDIATE already lets one writer in at a time).
    edition = session.scalars(
        select(Edition).where(Edition.contest_id == contest_id, Edition.key == edition_key)
        .with_for_update()
    ).one()
    _refuse_another_entry(session, definition, edition, nomination)
    submission = Submission(
        edition_id=edition.id, nomination=nomination, title=title, created_by=actor,
        nominator=party.organisation, nominator_contact=party.contact,
        nominator_email=party.email, nominator_language=party.language,
        allow_public_mt_for_personal_data=allow_public_mt_for_personal_data,
        late_entry=past,
    )
    session.add(submission)
    session.flush()
    # A later phase's items are asked for once the organiser shortlists the entry.
    add_requests(session, submission, definition, edition_def, None)
    record_event(
        session,
        actor=actor,
        action="submission.opened",
        subject_type="submission",
        subject_id=submission.id,
        contest=contest_id,
        edition=edition_key,
        nomination=nomination,
        late_entry=submission.late_entry,
        nominator=party.organisation,
    )
    session.flush()
    session.refresh(submission)
    offer_drafts(session, submission, actor=actor)
    return submission


def add_requests(session: Session, submission: Submission, definition: ContestDefinition,
                 edition: EditionDefinition, phase_id: str | None) -> list[MaterialRequest]:
    """One request per item first asked for in that phase, due the contest's lead before the
    phase's deadline (never before the phase opens)."""
    due = definition.internal_due(edition.phase(phase_id))
    requests = [
        MaterialRequest(submission_id=submission.id, item_id=item.id,
                        department_id=item.department, due_on=due)
        for item in definition.items_in_phase(edition, phase_id)
    ]
    session.add_all(requests)
    session.flush()
    return requests


def _refuse_another_entry(session: Session, definition: ContestDefinition, edition: Edition,
                          nomination: str) -> None:
    """Refuse an entry the contest does not take beside the edition's others: any second one
    where it takes one application per government, a second in the same nomination unless it
    lets practices compete within a nomination. A withdrawn entry never counts."""
    if definition.several_practices_per_nomination:
        return
    others = select(Submission).where(Submission.edition_id == edition.id,
                                      Submission.state != SubmissionState.WITHDRAWN)
    if definition.one_application_per_government:
        first = session.scalars(others.order_by(Submission.id)).first()
        if first is not None:
            raise SubmissionError(N_(
                "%(contest)s takes one application per government, and edition %(edition)s "
                "already has submission %(id)s (%(state)s): work on that one, or withdraw it "
                "first"), contest=definition.names, edition=edition.key, id=first.id,
                state=state_name(first.state))
        return
    duplicate = session.scalars(
        others.where(Submission.nomination == nomination).order_by(Submission.id)).first()
    if duplicate is None:
        return
    if nomination:
        raise SubmissionError(N_(
            "%(contest)s %(edition)s in nomination “%(nomination)s” already has submission "
            "%(id)s (%(state)s)"), contest=definition.names, edition=edition.key,
            nomination=nomination, id=duplicate.id, state=state_name(duplicate.state))
    raise SubmissionError(N_(
        "%(contest)s %(edition)s already has submission %(id)s (%(state)s): give a "
        "nomination to enter another practice"), contest=definition.names,
        edition=edition.key, id=duplicate.id, state=state_name(duplicate.state))
