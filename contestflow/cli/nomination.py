"""`contestflow submission nominated`: the nominating party's word that it submitted."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

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
