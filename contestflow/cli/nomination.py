"""`contestflow submission nominated`: the nominating party's word that it submitted."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any

import typer

from contestflow.cli.common import (
    JsonOption,
    console,
    print_json,
    print_next_step,
    say,
    user_errors,
)
from contestflow.db import session_scope
from contestflow.i18n import N_
from contestflow.identity import local_today

if TYPE_CHECKING:
    from contestflow.db.models import Submission
    from contestflow.submission.nomination import Nominator

# `submission open`'s options for the party that nominates the city.
NominatorOption = Annotated[str, typer.Option(help=say(N_(
    "The organisation that nominates the city, where the contest refuses self-nomination")))]
ContactOption = Annotated[str, typer.Option(help=say(N_("The nominating party's contact person")))]
EmailOption = Annotated[str, typer.Option(help=say(N_("The nominating party's e-mail")))]
LetterLanguageOption = Annotated[str, typer.Option(help=say(N_(
    "The language of the draft letter for the nominating party: `ru` or `en` (default: the "
    "contest's)")))]


def nominator_json(submission: Submission) -> dict[str, Any] | None:
    """The nominating party recorded on a submission, for ``--json``."""
    from contestflow.submission.nomination import recorded_nominator

    party = recorded_nominator(submission)
    if party is None:
        return None
    return {"organisation": party.organisation, "contact": party.contact,
            "email": party.email, "language": party.language,
            "confirmed_on": party.confirmed_on.isoformat() if party.confirmed_on else None}


def print_nominator(party: Nominator | None) -> None:
    """The line `submission status` gives the nominating party, where there is one."""
    if party is None:
        return
    line = say(N_("Nominated by %(party)s (%(contact)s, %(email)s)"), party=party.organisation,
               contact=party.contact, email=party.email)
    if party.confirmed_on:
        line += "; " + say(N_("they confirmed the submission on %(day)s"),
                           day=party.confirmed_on)
    console.print(line, markup=False)


def nominated_command(
    submission_id: int,
    on: Annotated[str, typer.Option(
        "--on", help=say(N_("The day they submitted, YYYY-MM-DD (default: today)")))] = "",
    reference: Annotated[str, typer.Option(
        help=say(N_("Their confirmation: a reference, a quote from their letter")))] = "",
    as_json: JsonOption = False,
) -> None:
    from contestflow.submission.nomination import confirm_nominated

    try:
        day = dt.date.fromisoformat(on) if on else local_today()
    except ValueError:
        raise typer.BadParameter(say(N_("a date as YYYY-MM-DD, such as 2025-04-28"))) from None
    with user_errors(), session_scope() as session:
        confirm_nominated(session, submission_id, on=day, reference=reference)
    if as_json:
        print_json({"id": submission_id, "state": "sent", "nominator_confirmed_on":
                    day.isoformat(), "reference": reference.strip()})
        return
    console.print(say(N_("Submission %(id)s: the nominating party's confirmation of "
                         "%(day)s is recorded as the sending."), id=submission_id, day=day))
    print_next_step("sent", submission_id)


def register(submission_app: typer.Typer) -> None:
    """Add ``nominated`` to ``contestflow submission``."""
    submission_app.command("nominated", help=say(N_(
        "Record that the nominating party submitted the approved nomination (where the "
        "contest takes no self-nomination, this is the sending).")))(nominated_command)
