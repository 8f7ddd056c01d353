"""Third-party nominations (the Scroll of Honour): who nominates the city, and their word that
they submitted.

Where a contest refuses self-nomination, the city cannot send its own entry: it prepares the
nomination and a draft letter for the nominating party (assembly puts both in the package),
the nominating party fills in the organiser's form, and their confirmation is the sending.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from contestflow.catalog import definition_of
from contestflow.db.models import Submission
from contestflow.errors import SubmissionError
from contestflow.i18n import N_
from contestflow.identity import local_today, names_the_city, own_addresses, own_names
from contestflow.lifecycle import get_submission
from contestflow.notify import is_address
from contestflow.sending import record_sent
from schemas.contest import ContestDefinition

LETTER_LANGUAGES = ("ru", "en")  # the languages the catalogue writes the draft letter in


@dataclass(frozen=True)
class Nominator:
    """The nominating party as the coordinator gives it: organisation, person, address."""

    organisation: str = ""
    contact: str = ""
    email: str = ""
    language: str = ""
    confirmed_on: dt.date | None = None  # when they confirmed they submitted

    def cleaned(self) -> Nominator:
        return Nominator(" ".join(self.organisation.split()), " ".join(self.contact.split()),
                         self.email.strip(), self.language.strip().lower())


def recorded_nominator(submission: Submission) -> Nominator | None:
    """The nominating party recorded on the submission, if a third party nominates."""
    if not submission.nominator:
        return None
    return Nominator(submission.nominator, submission.nominator_contact,
                     submission.nominator_email, submission.nominator_language,
                     submission.nominator_confirmed_on)


def letter_language(definition: ContestDefinition, asked: str = "") -> str:
    """The draft letter's language: the one asked, else the contest's if the catalogue has it,
    else English."""
    if asked:
        return asked
    language = definition.submission_language
    return language if language in LETTER_LANGUAGES else "en"


def check_nominator(definition: ContestDefinition, nominator: Nominator) -> Nominator:
    """The nominating party to record, or a refusal saying what to give instead.

    A contest that takes self-nomination needs nobody; one that refuses it needs a third
    party with a contact person and an address, never the city, its administration or one of
    its departments."""
    party = nominator.cleaned()
    if party.language and party.language not in LETTER_LANGUAGES:
        raise SubmissionError(N_("the letter for the nominating party can be written in "
                                 "Russian (ru) or English (en), not “%(language)s”"),
                              language=party.language)
    if party.email and not is_address(party.email):
        raise SubmissionError(N_("“%(email)s” is not an e-mail address: give the nominating "
                                 "party's address as name@example.org"), email=party.email)
    if definition.self_nomination_allowed:
        return party
    if not (party.organisation and party.contact and party.email):
        raise SubmissionError(N_(
            "%(contest)s takes no self-nomination: give the third party that nominates the "
            "city, with its organisation, contact person and e-mail"), contest=definition.names)
    if names_the_city(party.organisation, own_names(), party.email, own_addresses()):
        raise SubmissionError(N_(
            "“%(nominator)s” (%(email)s) is the city itself or one of its bodies, and "
            "%(contest)s takes no self-nomination: ask a third party (an association of "
            "municipalities, a ministry) to nominate the city, and give that party"),
            nominator=party.organisation, email=party.email, contest=definition.names)
    return Nominator(party.organisation, party.contact, party.email,
                     letter_language(definition, party.language))


def confirm_nominated(session: Session, submission_id: int, *, on: dt.date, reference: str = "",
                      actor: str = "coordinator") -> None:
    """Record that the nominating party submitted the approved nomination on ``on``: the
    submission's sending (approved → sent), in the caller's transaction."""
    submission = get_submission(session, submission_id)
    definition, _ = definition_of(session, submission)
    if definition.self_nomination_allowed or not submission.nominator:
        raise SubmissionError(N_(
            "submission %(id)s has no nominating party: the city sends it itself (`submission "
            "send` or `submission mark-sent`)"), id=submission_id)
    if on > local_today():
        raise SubmissionError(N_("%(day)s is still ahead: record the nominating party's "
                                 "confirmation once it has come"), day=on)
    how = f"{submission.nominator}: {reference.strip()}" if reference.strip() else (
        submission.nominator)

    def remember() -> dict[str, object]:
        submission.nominator_confirmed_on = on
        return {"nominator": submission.nominator, "nominator_confirmed_on": on.isoformat(),
                "reference": reference.strip()}

    record_sent(session, submission, actor=actor, how=how, then=remember, by_nominator=True)
