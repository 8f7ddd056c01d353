"""`contestflow submission`: open, follow and decide on one contest entry."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from contestflow.cli.common import (
    JsonOption,
    UserError,
    console,
    fail,
    language,
    print_json,
    print_next_step,
    say,
    user_errors,
)
from contestflow.cli.delivery import phase_line
from contestflow.cli.nomination import (
    ContactOption,
    EmailOption,
    LetterLanguageOption,
    NominatorOption,
)
from contestflow.db import session_scope
from contestflow.i18n import N_, ntr
from contestflow.states import REQUEST_STATE_NAMES, SUBMISSION_STATE_NAMES, state_name
from contestflow.wording import EXPECTED_DATE, date_text, human_size

if TYPE_CHECKING:
    from contestflow.sending import MailDelivery
    from contestflow.submission.status import RequestStatus

app = typer.Typer(help=say(N_("Submissions: one city entry to one contest edition.")),
                  no_args_is_help=True)


def _print_status(submission_id: int, as_json: bool) -> None:
    from contestflow.cli.nomination import print_nominator
    from contestflow.submission.status import submission_status

    with user_errors(), session_scope() as session:
        status = submission_status(session, submission_id)
    if as_json:
        print_json(status.as_dict())
        return
    russian = language() == "ru"
    contest = status.contest_name_ru if russian else status.contest_name
    nomination = f" — {status.nomination}" if status.nomination else ""
    heading = say(N_("Submission %(id)s"), id=status.id)
    console.print(f"[bold]{heading}[/bold]: {contest} {status.edition}{nomination}")
    deadline = _date(status.deadline)
    if status.deadline_expected:
        deadline += f" ({say(EXPECTED_DATE)})"
    console.print(say(N_("State: %(state)s; deadline %(deadline)s"),
                      state=state_name(status.state), deadline=deadline))
    if status.late_entry:
        console.print(say(N_("A late or historical entry: opened after the edition's "
                             "deadline.")))
    # The column appears only when a department is offered last edition's material.
    last_time = any(r.draft_offered or r.draft_confirmed for r in status.requests)
    columns = (N_("request"), N_("item"), N_("department"), N_("due"), N_("received"),
               N_("state")) + ((N_("last time"),) if last_time else ())
    table = Table(*(say(c) for c in columns))
    for request in sorted(status.requests, key=lambda r: (r.department_id, r.id)):
        table.add_row(
            str(request.id),
            request.item_title_ru if russian else request.item_title,
            request.department_ru if russian else request.department_en,
            _date(request.due_on),
            _received(request),
            say(REQUEST_STATE_NAMES.get(request.state, request.state)),
            *((_last_time(request),) if last_time else ()),
        )
    console.print(table)
    print_nominator(status.nominator)
    if status.package_file:
        console.print(say(N_("Package: %(file)s (version %(version)s)"),
                          file=status.package_file, version=(status.package_sha256 or "")[:12]),
                      markup=False, soft_wrap=True)
    if status.sent:
        console.print(say(N_("Sent %(at)s: %(how)s"), at=status.sent.at,
                          how=status.sent.how or say(N_("how not recorded"))))
        if status.sent.mail:
            console.print(say(N_("E-mail: %(delivery)s"),
                              delivery=_delivery_text(status.sent.mail)))
    for phase in status.phases:
        console.print(phase_line(phase), markup=False, soft_wrap=True)
    if status.segments_waiting:
        console.print(ntr(language(), "Translations: %(count)s segment waits for a person.",
                          "Translations: %(count)s segments wait for a person.",
                          status.segments_waiting))
    if status.review_documents:
        # A path to copy: never wrapped, never read as markup.
        console.print(say(N_("Review documents: %(folder)s"), folder=status.review_documents),
                      soft_wrap=True, markup=False)
    print_next_step(status.state, status.id)


def _last_time(request: RequestStatus) -> str:
    """Whether the department is offered last edition's material, or confirmed it."""
    if request.draft_offered:
        return say(N_("offered from %(edition)s"), edition=request.draft_offered)
    if request.draft_confirmed:
        return say(N_("confirmed unchanged"))
    return ""


def _received(request: RequestStatus) -> str:
    if request.versions:
        return f"v{request.versions}"
    if request.late:
        late = say(N_("late"))
        return f"[red]{late}[/red]"
    return say(N_("missing") if request.required else N_("optional"))


def _date(iso: str | None) -> str:
    """An ISO date of the status as people write it in the command line's language."""
    return date_text(dt.date.fromisoformat(iso), language()) if iso else ""


def _delivery_text(mail: MailDelivery) -> str:
    """One line on where the organiser's mail stands."""
    if mail.state == "delivered":
        return say(N_("delivered to %(to)s at %(at)s"), to=mail.to, at=mail.delivered_at)
    if mail.state == "failed":
        return say(N_("failed for %(to)s after %(attempts)s attempts: %(error)s"), to=mail.to,
                   attempts=mail.attempts, error=mail.last_error)
    if mail.last_error:
        return say(N_("queued for %(to)s, last attempt failed: %(error)s; `contestflow intake "
                      "deliver` sends it"), to=mail.to, error=mail.last_error)
    return say(N_("queued for %(to)s; `contestflow intake deliver` sends it"), to=mail.to)


@app.command("open", help=say(N_(
    "Open a submission with one request per item; `submission advance` sends them.")))
def open_command(
    contest: Annotated[str, typer.Argument(
        help=say(N_("Contest id, see `contestflow contests list`")))],
    edition: Annotated[str, typer.Option("--edition", help=say(N_("Edition, usually the year")))],
    nomination: Annotated[str, typer.Option(help=say(N_("Nomination, for a second entry")))] = "",
    title: Annotated[str, typer.Option(help=say(N_("Working title of the entry")))] = "",
    nominator: NominatorOption = "",
    nominator_contact: ContactOption = "",
    nominator_email: EmailOption = "",
    nominator_language: LetterLanguageOption = "",
    allow_public_mt: Annotated[
        bool,
        typer.Option(
            "--allow-public-mt-for-personal-data",
            help=say(N_("Let items holding personal data go to a public MT service")),
        ),
    ] = False,
    late: Annotated[bool, typer.Option(
        "--late", help=say(N_("The deadline has passed: enter it anyway as a late or "
                              "historical entry (recorded)")))] = False,
    as_json: JsonOption = False,
) -> None:
    from contestflow.cli.nomination import nominator_json
    from contestflow.submission.nomination import Nominator
    from contestflow.submission.opening import open_submission

    party = Nominator(nominator, nominator_contact, nominator_email, nominator_language)
    with user_errors(), session_scope() as session:
        submission = open_submission(session, contest, edition, nomination=nomination,
                                     title=title, nominator=party, late=late)
        submission.allow_public_mt_for_personal_data = allow_public_mt
        payload = {
            "id": submission.id,
            "contest": contest,
            "edition": edition,
            "state": submission.state,
            "late_entry": submission.late_entry,
            "nominator": nominator_json(submission),
            "requests": [
                {
                    "id": r.id,
                    "item": r.item_id,
                    "department": r.department_id,
                    "due_on": r.due_on.isoformat() if r.due_on else None,
                }
                for r in submission.requests
            ],
        }
    if as_json:
        print_json(payload)
        return
    # Opening only records the requests: the flow's first step mails them (steps.py).
    console.print(ntr(language(), "Opened submission %(id)s with %(count)s material request; "
                      "none has been sent yet.", "Opened submission %(id)s with %(count)s "
                      "material requests; none has been sent yet.", len(payload["requests"]),
                      id=payload["id"]))
    if submission.late_entry:
        console.print(say(N_("Recorded as a late or historical entry: the edition's deadline "
                             "has passed.")))
    print_next_step(payload["state"], payload["id"])


@app.command("status", help=say(N_(
    "Show where a submission stands: per department, what is received, missing, late; the "
    "segments that wait for a person and the next step.")))
def status_command(submission_id: int, as_json: JsonOption = False) -> None:
    _print_status(submission_id, as_json)


@app.command("list", help=say(N_("List every submission.")))
def list_command(as_json: JsonOption = False) -> None:
    from sqlalchemy import select

    from contestflow.db.models import Edition, Submission

    with session_scope() as session:
        rows = [
            {
                "id": s.id,
                "contest": e.contest_id,
                "edition": e.key,
                "nomination": s.nomination,
                "state": s.state,
                "deadline": e.deadline.isoformat() if e.deadline else None,
            }
            for s, e in session.execute(
                select(Submission, Edition).join(Edition).order_by(Submission.id)
            )
        ]
    if as_json:
        print_json(rows)
        return
    table = Table(*(say(c) for c in (N_("id"), N_("contest"), N_("edition"), N_("nomination"),
                                     N_("state"), N_("deadline"))))
    for row in rows:
        table.add_row(str(row["id"]), str(row["contest"]), str(row["edition"]),
                      str(row["nomination"] or ""), say(SUBMISSION_STATE_NAMES[row["state"]]),
                      _date(row["deadline"]))
    console.print(table)


@app.command("advance", help=say(N_(
    "Run the submission flow: move it as far as its state allows, then stop.")))
def advance_command(
    submission_id: int,
    provider: Annotated[
        str | None,
        typer.Option(help=say(N_("MT provider for this run (default: CONTESTFLOW_MT_PROVIDER)"))),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from contestflow.advances import advance_now
    from contestflow.cli.flows import run_workflow
    from contestflow.lifecycle import get_submission
    from flows.executor import on_server

    with user_errors(), session_scope() as session:
        get_submission(session, submission_id)
    if on_server():
        _queue_on_server(submission_id, provider, as_json=as_json)
        return
    # Through the pending records: what an upload or a decision left owed is settled by it.
    state = advance_now(lambda sid: run_workflow(
        "advance-submission", {"submission_id": sid, "mt_provider": provider}), submission_id)
    if as_json:
        print_json({"id": submission_id, "state": state})
        return
    _print_status(submission_id, as_json=False)


def _queue_on_server(submission_id: int, provider: str | None, *, as_json: bool) -> None:
    """Tell the Prefect server (an event); its trigger runs the flow on a worker."""
    from contestflow.config import prepare_prefect_environment
    from flows.events import announce

    prepare_prefect_environment()
    try:
        event = announce(submission_id, mt_provider=provider)
    except Exception as error:  # the server did not take it; what is owed stays on record
        fail(say(N_("The Prefect server did not take the request: %(error)s"), error=error))
    if as_json:
        print_json({"id": submission_id, "queued": True, "event": event})
        return
    typer.echo(say(N_("Submission %(id)s: a run is queued on the server's workers "
                      "(`contestflow submission status %(id)s` shows where it is)."),
                   id=submission_id))


@app.command("review", help=say(N_("Record a reviewer's decision on the assembled package.")))
def review_command(
    submission_id: int,
    approve: Annotated[
        bool,
        typer.Option("--approve/--request-changes",
                     help=say(N_("Approve, or send back with a comment"))),
    ],
    comment: Annotated[str, typer.Option(help=say(N_("What must change, or a note")))] = "",
    reviewer: Annotated[str, typer.Option(help=say(N_("Who decides")))] = "reviewer",
    reopen: Annotated[
        list[int] | None,
        typer.Option(help=say(N_("A request to send back to its department (repeatable)"))),
    ] = None,
    seen_state: Annotated[str, typer.Option(
        "--seen-state", help=say(N_("The state the decision is made on (in_review; approved to "
                                    "take an approval back): refused if the submission is no "
                                    "longer in it")))
    ] = "in_review",
    seen_package: Annotated[str | None, typer.Option(
        "--package", help=say(N_("The package version the decision is made on (`submission "
                                 "status` shows it): refused if the package was rebuilt "
                                 "since")))] = None,
    as_json: JsonOption = False,
) -> None:
    from contestflow.lifecycle import get_submission
    from contestflow.submission.review import decide, package_version

    with user_errors(), session_scope() as session:
        review = decide(
            session,
            submission_id,
            reviewer=reviewer,
            approve=approve,
            comment=comment,
            reopen=reopen or [],
            seen_state=seen_state,
            seen_package=seen_package,
        )
        decision = review.decision  # the submission's new state too
        version = package_version(get_submission(session, submission_id))
    if as_json:
        print_json({"id": submission_id, "state": decision, "package": version,
                    "reviewer": reviewer, "reopened": list(reopen or [])})
        return
    console.print(say(N_("Submission %(id)s: %(decision)s (package %(version)s)."),
                      id=submission_id, decision=state_name(decision), version=version),
                  highlight=False)
    print_next_step(decision, submission_id)


@app.command("confirm", help=say(N_(
    "Confirm that the city meets the contest's eligibility conditions.")))
def confirm_command(
    submission_id: int,
    statement: Annotated[list[int] | None, typer.Option(
        help=say(N_("The number of an eligibility statement (`contests show` lists them); "
                    "repeatable")))
    ] = None,
    all_statements: Annotated[bool, typer.Option(
        "--all", help=say(N_("Confirm every statement")))] = False,
    actor: Annotated[str, typer.Option(help=say(N_("Who confirms")))] = "coordinator",
    as_json: JsonOption = False,
) -> None:
    from contestflow.lifecycle import get_submission
    from contestflow.store import get_store
    from contestflow.submission.eligibility import confirm_statements

    if all_statements == bool(statement):
        raise typer.BadParameter(say(N_("give --statement N (repeatable) or --all")))
    with user_errors(), session_scope() as session:
        left = confirm_statements(session, get_store(), submission_id,
                                  None if all_statements else statement, actor=actor)
        state = get_submission(session, submission_id).state
    if as_json:
        print_json({"submission": submission_id, "unconfirmed": left})
        return
    console.print(say(N_("Submission %(id)s: confirmed. Still to confirm: %(left)s"),
                      id=submission_id, left="; ".join(left)) if left else
                  say(N_("Submission %(id)s: confirmed. Every statement is confirmed."),
                      id=submission_id))
    print_next_step(state, submission_id)


@app.command("send", help=say(N_(
    "E-mail the approved package to the organiser and mark the submission sent.")))
def send_command(
    submission_id: int,
    to: Annotated[str, typer.Option("--to", help=say(N_(
        "The organiser's address (by default the one the edition's call gives)")))] = "",
    cc: Annotated[
        list[str] | None, typer.Option("--cc", help=say(N_("Also send a copy here (repeatable)")))
    ] = None,
    as_json: JsonOption = False,
) -> None:
    from contestflow.sending.by_email import send_and_deliver

    with user_errors():
        sent = send_and_deliver(submission_id, to=to, cc=cc or [], actor="coordinator")
    if as_json:
        print_json(sent.as_dict())
        return
    size = sum(a.size for a in sent.attachments)
    console.print(ntr(language(), "Submission %(id)s sent to %(to)s: %(count)s file, %(size)s.",
                      "Submission %(id)s sent to %(to)s: %(count)s files, %(size)s.",
                      len(sent.attachments), id=submission_id, to=sent.to,
                      size=human_size(size, language())))
    if sent.delivery:
        console.print(say(N_("E-mail: %(delivery)s"), delivery=_delivery_text(sent.delivery)))
    print_next_step(sent.state, submission_id)


@app.command("withdraw", help=say(N_("Withdraw a submission that has not been sent.")))
def withdraw_command(
    submission_id: int,
    reason: Annotated[str, typer.Option(help=say(N_("Why the city withdraws")))],
    as_json: JsonOption = False,
) -> None:
    from contestflow.submission.review import withdraw

    with user_errors(), session_scope() as session:
        withdraw(session, submission_id, actor="coordinator", reason=reason)
    if as_json:
        print_json({"id": submission_id, "state": "withdrawn"})
        return
    console.print(say(N_("Submission %(id)s withdrawn; nothing more is done with it."),
                      id=submission_id))


@app.command("apply-review", help=say(N_(
    "Apply a reviewed bilingual document; approved segments go to the translation memory.")))
def apply_review_command(
    submission_id: int,
    review: Annotated[Path, typer.Argument(help=say(N_("A reviewed bilingual .docx")))],
    reviewer: Annotated[str, typer.Option(help=say(N_("Who reviewed")))] = "reviewer",
    as_json: JsonOption = False,
) -> None:
    from contestflow.lifecycle import get_submission
    from contestflow.store import get_store
    from contestflow.submission.translating import apply_submission_review

    with user_errors(), session_scope() as session:
        if not review.is_file():
            raise UserError(say(N_("%(file)s: no such file"), file=review))
        pending = apply_submission_review(
            session, get_store(), submission_id, review.read_bytes(), reviewer=reviewer
        )
        state = get_submission(session, submission_id).state
    if as_json:
        print_json({"id": submission_id, "state": state, "segments_waiting": pending})
        return
    console.print(ntr(language(), "Review applied to submission %(id)s: %(count)s segment still "
                      "needs a translation.", "Review applied to submission %(id)s: %(count)s "
                      "segments still need a translation.", pending, id=submission_id)
                  if pending else say(N_("Review applied to submission %(id)s: complete."),
                                      id=submission_id))
    print_next_step(state, submission_id)
