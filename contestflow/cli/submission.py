"""`contestflow submission`: open, follow and decide on one contest entry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from contestflow.cli.common import (
    JsonOption,
    console,
    print_json,
    print_next_step,
    user_errors,
)
from contestflow.db import session_scope

if TYPE_CHECKING:
    from contestflow.sending import MailDelivery

app = typer.Typer(help="Submissions: one city entry to one contest edition.", no_args_is_help=True)


def _print_status(submission_id: int, as_json: bool) -> None:
    from contestflow.submission.status import submission_status

    with user_errors(), session_scope() as session:
        status = submission_status(session, submission_id)
    if as_json:
        print_json(status.as_dict())
        return
    nomination = f" — {status.nomination}" if status.nomination else ""
    console.print(
        f"[bold]Submission {status.id}[/bold]: {status.contest_name} {status.edition}{nomination}"
    )
    console.print(f"State: [bold]{status.state}[/bold]; deadline {status.deadline}")
    table = Table("request", "item", "department", "due", "received", "state")
    for request in sorted(status.requests, key=lambda r: (r.department_id, r.id)):
        received = (
            f"v{request.versions}"
            if request.versions
            else (
                "[red]late[/red]" if request.late else "missing" if request.required else "optional"
            )
        )
        table.add_row(
            str(request.id),
            request.item_title,
            request.department_id,
            request.due_on or "",
            received,
            request.state,
        )
    console.print(table)
    if status.package_file:
        console.print(f"Package: {status.package_file} (version "
                      f"{(status.package_sha256 or '')[:12]})", soft_wrap=True, markup=False)
    if status.sent:
        console.print(f"Sent {status.sent.at}: {status.sent.how or 'how not recorded'}")
        if status.sent.mail:
            console.print(f"E-mail: {_delivery_text(status.sent.mail)}")
    if status.segments_waiting:
        console.print(f"Translations: {status.segments_waiting} segment(s) wait for a person.")
    if status.review_documents:
        # A path to copy: never wrapped, never read as markup.
        console.print(f"Review documents: {status.review_documents}", soft_wrap=True,
                      markup=False)
    print_next_step(status.state, status.id)


def _delivery_text(mail: MailDelivery) -> str:
    """One line on where the organiser's mail stands."""
    if mail.state == "delivered":
        return f"delivered to {mail.to} at {mail.delivered_at}"
    if mail.state == "failed":
        return f"failed for {mail.to} after {mail.attempts} attempt(s): {mail.last_error}"
    retried = f", last attempt failed: {mail.last_error}" if mail.last_error else ""
    return f"queued for {mail.to}{retried}; `contestflow intake deliver` sends it"


@app.command("open")
def open_command(
    contest: Annotated[str, typer.Argument(help="Contest id, see `contestflow contests list`")],
    edition: Annotated[str, typer.Option("--edition", help="Edition, usually the year")],
    nomination: Annotated[str, typer.Option(help="Nomination, for a second entry")] = "",
    title: Annotated[str, typer.Option(help="Working title of the entry")] = "",
    nominator: Annotated[str, typer.Option(
        help="Who nominates the city, where the contest refuses self-nomination")] = "",
    allow_public_mt: Annotated[
        bool,
        typer.Option(
            "--allow-public-mt-for-personal-data",
            help="Let items holding personal data go to a public MT service",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Open a submission with one request per item; `submission advance` sends them."""
    from contestflow.submission.opening import open_submission

    with user_errors(), session_scope() as session:
        submission = open_submission(session, contest, edition, nomination=nomination,
                                     title=title, nominator=nominator)
        submission.allow_public_mt_for_personal_data = allow_public_mt
        payload = {
            "id": submission.id,
            "contest": contest,
            "edition": edition,
            "state": submission.state,
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
    console.print(
        f"Opened submission {payload['id']} with {len(payload['requests'])} material requests; "
        "none has been sent yet."
    )
    print_next_step(payload["state"], payload["id"])


@app.command("status")
def status_command(submission_id: int, as_json: JsonOption = False) -> None:
    """Show where a submission stands: per department, what is received, missing, late; the
    segments that wait for a person and the next step."""
    _print_status(submission_id, as_json)


@app.command("list")
def list_command(as_json: JsonOption = False) -> None:
    """List every submission."""
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
    table = Table("id", "contest", "edition", "nomination", "state", "deadline")
    for row in rows:
        table.add_row(
            *(
                str(row[k] or "")
                for k in ("id", "contest", "edition", "nomination", "state", "deadline")
            )
        )
    console.print(table)


@app.command("advance")
def advance_command(
    submission_id: int,
    provider: Annotated[
        str | None,
        typer.Option(help="MT provider for this run (default: CONTESTFLOW_MT_PROVIDER)"),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Run the submission flow: move it as far as its state allows, then stop."""
    from contestflow.advances import advance_now
    from contestflow.cli.flows import run_workflow
    from contestflow.lifecycle import get_submission

    with user_errors(), session_scope() as session:
        get_submission(session, submission_id)
    # Through the pending records: what an upload or a decision left owed is settled by it.
    state = advance_now(lambda sid: run_workflow(
        "advance-submission", {"submission_id": sid, "mt_provider": provider}), submission_id)
    if as_json:
        print_json({"id": submission_id, "state": state})
        return
    _print_status(submission_id, as_json=False)


@app.command("review")
def review_command(
    submission_id: int,
    approve: Annotated[
        bool,
        typer.Option("--approve/--request-changes", help="Approve, or send back with a comment"),
    ],
    comment: Annotated[str, typer.Option(help="What must change, or a note")] = "",
    reviewer: Annotated[str, typer.Option(help="Who decides")] = "reviewer",
    reopen: Annotated[
        list[int] | None,
        typer.Option(help="A request to send back to its department (repeatable)"),
    ] = None,
    seen_state: Annotated[str, typer.Option(
        "--seen-state", help="The state the decision is made on (in_review; approved to take "
                             "an approval back): refused if the submission is no longer in it")
    ] = "in_review",
    seen_package: Annotated[str | None, typer.Option(
        "--package", help="The package version the decision is made on (`submission status` "
                          "shows it): refused if the package was rebuilt since")] = None,
    as_json: JsonOption = False,
) -> None:
    """Record a reviewer's decision on the assembled package."""
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
    console.print(f"Submission {submission_id}: {decision.replace('_', ' ')}"
                  f" (package {version}).", highlight=False)
    print_next_step(decision, submission_id)


@app.command("confirm")
def confirm_command(
    submission_id: int,
    statement: Annotated[list[int] | None, typer.Option(
        help="The number of an eligibility statement (`contests show` lists them); repeatable")
    ] = None,
    all_statements: Annotated[bool, typer.Option("--all", help="Confirm every statement")] = False,
    actor: Annotated[str, typer.Option(help="Who confirms")] = "coordinator",
    as_json: JsonOption = False,
) -> None:
    """Confirm that the city meets the contest's eligibility conditions."""
    from contestflow.lifecycle import get_submission
    from contestflow.store import get_store
    from contestflow.submission.eligibility import confirm_statements

    if all_statements == bool(statement):
        raise typer.BadParameter("give --statement N (repeatable) or --all")
    with user_errors(), session_scope() as session:
        left = confirm_statements(session, get_store(), submission_id,
                                  None if all_statements else statement, actor=actor)
        state = get_submission(session, submission_id).state
    if as_json:
        print_json({"submission": submission_id, "unconfirmed": left})
        return
    console.print(f"Submission {submission_id}: confirmed."
                  + (f" Still to confirm: {'; '.join(left)}" if left else " Every statement "
                     "is confirmed."))
    print_next_step(state, submission_id)


@app.command("mark-sent")
def mark_sent_command(
    submission_id: int,
    how: Annotated[str, typer.Option(help="How it went: e-mail, online form, post")],
) -> None:
    """Record that the approved package went to the organiser."""
    from contestflow.sending import mark_sent

    with user_errors(), session_scope() as session:
        mark_sent(session, submission_id, actor="coordinator", how=how)
    console.print(f"Submission {submission_id} marked as sent ({how}).")
    print_next_step("sent", submission_id)


@app.command("send")
def send_command(
    submission_id: int,
    to: Annotated[str, typer.Option("--to", help="The organiser's address")],
    cc: Annotated[
        list[str] | None, typer.Option("--cc", help="Also send a copy here (repeatable)")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """E-mail the approved package to the organiser and mark the submission sent."""
    from contestflow.sending.by_email import send_and_deliver

    with user_errors():
        sent = send_and_deliver(submission_id, to=to, cc=cc or [], actor="coordinator")
    if as_json:
        print_json(sent.as_dict())
        return
    size = sum(a.size for a in sent.attachments)
    console.print(
        f"Submission {submission_id} sent to {sent.to}: {len(sent.attachments)} file(s), "
        f"{size:,} bytes."
    )
    if sent.delivery:
        console.print(f"E-mail: {_delivery_text(sent.delivery)}")
    print_next_step(sent.state, submission_id)


@app.command("withdraw")
def withdraw_command(
    submission_id: int,
    reason: Annotated[str, typer.Option(help="Why the city withdraws")],
) -> None:
    """Withdraw a submission that has not been sent."""
    from contestflow.submission.review import withdraw

    with user_errors(), session_scope() as session:
        withdraw(session, submission_id, actor="coordinator", reason=reason)
    console.print(f"Submission {submission_id} withdrawn; nothing more is done with it.")


@app.command("apply-review")
def apply_review_command(
    submission_id: int,
    review: Annotated[Path, typer.Argument(help="A reviewed bilingual .docx")],
    reviewer: Annotated[str, typer.Option(help="Who reviewed")] = "reviewer",
) -> None:
    """Apply a reviewed bilingual document; approved segments go to the translation memory."""
    from contestflow.lifecycle import get_submission
    from contestflow.store import get_store
    from contestflow.submission.translating import apply_submission_review

    with user_errors(), session_scope() as session:
        if not review.is_file():
            raise FileNotFoundError(f"{review}: no such file")
        pending = apply_submission_review(
            session, get_store(), submission_id, review.read_bytes(), reviewer=reviewer
        )
        state = get_submission(session, submission_id).state
    left = f"{pending} segment(s) still need a translation" if pending else "complete"
    console.print(f"Review applied to submission {submission_id}: {left}.")
    print_next_step(state, submission_id)
