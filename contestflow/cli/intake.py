"""`contestflow intake`: upload links, requests to departments, reminders and the outbox."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from typing import Annotated

import typer

from contestflow.cli.common import (
    JsonOption,
    console,
    language,
    print_json,
    print_request_next_step,
    say,
    user_errors,
)
from contestflow.db import session_scope
from contestflow.i18n import N_, ntr

app = typer.Typer(help=say(N_("Materials from departments: links, requests, reminders, mail.")),
                  no_args_is_help=True)


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="intake")


def _request(session, request_id: int):  # type: ignore[no-untyped-def]
    from contestflow.cli.common import UserError
    from contestflow.db.models import MaterialRequest

    request = session.get(MaterialRequest, request_id)
    if request is None:
        raise UserError(say(N_("there is no material request %(id)s"), id=request_id))
    return request


@app.command("link", help=say(N_(
    "Print the upload link for a request (a still-valid one, or a new one).")))
def link_command(request_id: int, as_json: JsonOption = False) -> None:
    from contestflow.intake.requests import request_link

    with user_errors(), session_scope() as session:
        link = request_link(_request(session, request_id))
    if as_json:
        print_json({"request_id": request_id, "link": link})
        return
    typer.echo(link)


@app.command("revoke", help=say(N_(
    "Withdraw every upload link of a request (and the sessions opened with them).")))
def revoke_command(request_id: int, as_json: JsonOption = False) -> None:
    from contestflow.intake.tokens import revoke_tokens

    with user_errors(), session_scope() as session:
        _request(session, request_id)
        count = revoke_tokens(session, request_id, actor="coordinator")
    if as_json:
        print_json({"request": request_id, "revoked": count})
        return
    console.print(ntr(language(), "Request %(id)s: %(count)s link revoked.",
                      "Request %(id)s: %(count)s links revoked.", count, id=request_id))


@app.command("accept", help=say(N_("Confirm that a received material is what was asked for.")))
def accept_command(request_id: int, as_json: JsonOption = False) -> None:
    from contestflow.intake.requests import accept_request

    with user_errors(), session_scope() as session:
        accept_request(session, request_id, actor="coordinator")
    if as_json:
        print_json({"request": request_id, "state": "accepted"})
        return
    console.print(say(N_("Request %(id)s accepted."), id=request_id))
    print_request_next_step(request_id)


@app.command("notify", help=say(N_(
    "Mail each department its requests with upload links (once; repeats queue nothing).")))
def notify_command(submission_id: int, as_json: JsonOption = False) -> None:
    from contestflow.intake.requests import notify_material_requests
    from contestflow.lifecycle import get_submission

    with user_errors(), session_scope() as session:
        queued = notify_material_requests(session, get_submission(session, submission_id))
    if as_json:
        print_json({"submission": submission_id, "queued": queued})
        return
    console.print(ntr(language(), "%(count)s message queued; `contestflow intake deliver` sends "
                      "it.", "%(count)s messages queued; `contestflow intake deliver` sends "
                      "them.", queued))


@app.command("remind", help=say(N_(
    "Queue today's reminders and the coordinator's late summary (each at most once).")))
def remind_command(
    today: Annotated[str | None, typer.Option(
        help=say(N_("Date to act as today (YYYY-MM-DD)")))] = None,
    offsets: Annotated[str, typer.Option(help=say(N_("Days before the due date")))] = "7,3,1",
    as_json: JsonOption = False,
) -> None:
    from contestflow.cli.common import UserError
    from contestflow.intake.reminders import queue_late_summary, queue_reminders

    with user_errors(), session_scope() as session:
        try:
            day = dt.date.fromisoformat(today) if today else None
            days = [int(part) for part in offsets.split(",") if part.strip()]
        except ValueError:
            raise UserError(say(N_("--today is YYYY-MM-DD and --offsets numbers like 7,3,1"))
                            ) from None
        queued = queue_reminders(session, today=day, offsets=days)
        summary = queue_late_summary(session, today=day)
    if as_json:
        print_json({"reminders": queued, "late_summary": bool(summary)})
        return
    console.print(ntr(language(), "%(count)s reminder queued; %(summary)s",
                      "%(count)s reminders queued; %(summary)s", queued,
                      summary=say(N_("the late summary is queued.") if summary else
                                  N_("no late summary is needed."))))


@app.command("deliver", help=say(N_(
    "Send what the outbox holds: SMTP if CONTESTFLOW_SMTP_URL is set, else .eml files.")))
def deliver_command(as_json: JsonOption = False) -> None:
    from contestflow.notify import deliver_due

    with user_errors():
        delivered = deliver_due()
    if as_json:
        print_json({"delivered": delivered})
        return
    console.print(ntr(language(), "%(count)s message delivered.", "%(count)s messages delivered.",
                      delivered))


@app.command("coordinator-link", help=say(N_(
    "Print a login link to the coordinator's pages: it works once, for fifteen minutes.")))
def coordinator_link_command(
    by: Annotated[str, typer.Option(help=say(N_(
        "Who asks, as the audit log records it (default: the system user running the "
        "command)")))] = "",
    as_json: JsonOption = False,
) -> None:
    from contestflow.web.sessions import coordinator_login_url

    asked_by = f"{by.strip() or _system_user()} (contestflow intake coordinator-link)"
    link = coordinator_login_url(asked_by=asked_by)
    if as_json:
        print_json({"link": link})
        return
    typer.echo(link)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container): its number, then
        return f"uid {os.getuid()}"
