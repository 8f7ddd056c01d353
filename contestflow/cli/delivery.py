"""`contestflow submission mark-sent | online-form | shortlist`: a package that goes out another
way than our e-mail, and the organiser's shortlist between the phases of an edition."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from contestflow.cli.common import (
    JsonOption,
    UserError,
    console,
    language,
    print_json,
    print_next_step,
    say,
    user_errors,
)
from contestflow.db import session_scope
from contestflow.i18n import N_, ntr

if TYPE_CHECKING:
    from contestflow.submission.phases import PhaseView

# What each phase's state reads as in `submission status`.
PHASE_STATES = {
    "current": N_("Phase “%(name)s” (deadline %(deadline)s): in progress"),
    "current_sent": N_("Phase “%(name)s” (deadline %(deadline)s): sent %(at)s"),
    "shortlisted": N_("Phase “%(name)s” (deadline %(deadline)s): sent %(at)s, shortlisted"),
    "not_shortlisted": N_("Phase “%(name)s” (deadline %(deadline)s): sent %(at)s, not "
                          "shortlisted"),
    "later": N_("Phase “%(name)s” (deadline %(deadline)s): after the shortlist"),
}


def phase_line(phase: PhaseView) -> str:
    name = phase.name_ru if language() == "ru" else phase.name
    state = "current_sent" if phase.state == "current" and phase.sent_at else phase.state
    return say(PHASE_STATES[state], name=name, deadline=phase.deadline,
               at=(phase.sent_at or "")[:10])


def register(app: typer.Typer) -> None:
    app.command("mark-sent", help=say(N_(
        "Record that the approved package went to the organiser another way (its online "
        "form, the post).")))(mark_sent_command)
    app.command("online-form", help=say(N_(
        "Print the package's texts field by field, in the order of the organiser's online "
        "form, for copying in.")))(online_form_command)
    app.command("shortlist", help=say(N_(
        "Record the organiser's shortlist after a phase: shortlisted entries go on to the "
        "next phase.")))(shortlist_command)


def mark_sent_command(
    submission_id: int,
    how: Annotated[str, typer.Option(help=say(N_("How it went: e-mail, online form, post")))],
    proof: Annotated[Path | None, typer.Option(help=say(N_(
        "The proof it arrived: a screenshot or PDF of the online form's confirmation")))] = None,
    note: Annotated[str, typer.Option(help=say(N_(
        "What was posted: the originals or certified copies, the registered letter's "
        "number")))] = "",
    as_json: JsonOption = False,
) -> None:
    from contestflow.intake.filenames import check_filename
    from contestflow.sending import Proof, mark_sent
    from contestflow.store import get_store

    with user_errors(), session_scope() as session:
        stored_proof = None
        if proof is not None:
            if not proof.is_file():
                raise UserError(say(N_("%(file)s: no such file"), file=proof))
            stored = get_store().put_file(proof)
            stored_proof = Proof(check_filename(proof.name), stored.sha256, stored.size)
        mark_sent(session, submission_id, actor="coordinator", how=how, proof=stored_proof,
                  note=note)
    if as_json:
        print_json({"id": submission_id, "state": "sent", "how": how, "note": note.strip(),
                    "proof_sha256": stored_proof.sha256 if stored_proof else None})
        return
    console.print(say(N_("Submission %(id)s marked as sent (%(how)s)."), id=submission_id,
                      how=how))
    print_next_step("sent", submission_id)


def online_form_command(submission_id: int, as_json: JsonOption = False) -> None:
    from contestflow.assembly.online_form import online_form_fields
    from contestflow.lifecycle import get_submission
    from contestflow.store import get_store

    with user_errors(), session_scope() as session:
        fields = online_form_fields(session, get_store(),
                                    get_submission(session, submission_id))
    if as_json:
        print_json([{"number": f.number, "title": f.title, "text": f.text, "files": f.files}
                    for f in fields])
        return
    russian = language() == "ru"
    for field in fields:
        console.print(f"[bold]{field.number} {field.title_ru if russian else field.title}"
                      "[/bold]")
        if field.text:
            console.print(field.text, markup=False, soft_wrap=True)
        for name in field.files:
            console.print(say(N_("Upload: %(file)s"), file=name), markup=False)
        if not field.text and not field.files:
            console.print(say(N_("(nothing has arrived yet)")))
        console.print()


def shortlist_command(
    submission_id: int,
    shortlisted: Annotated[bool, typer.Option(
        "--shortlisted/--not-shortlisted",
        help=say(N_("Whether the organiser shortlisted the entry for the next phase")))],
    actor: Annotated[str, typer.Option(help=say(N_("Who records it")))] = "coordinator",
    as_json: JsonOption = False,
) -> None:
    from contestflow.submission.phases import record_shortlist

    with user_errors(), session_scope() as session:
        decision = record_shortlist(session, submission_id, shortlisted=shortlisted,
                                    actor=actor)
    if as_json:
        print_json(decision.as_dict())
        return
    if decision.shortlisted:
        console.print(ntr(language(), "Submission %(id)s is shortlisted: %(count)s item of the "
                          "next phase is asked of its department.", "Submission %(id)s is "
                          "shortlisted: %(count)s items of the next phase are asked of their "
                          "departments.", decision.requests_added, id=submission_id))
    else:
        console.print(say(N_("Submission %(id)s was not shortlisted; the entry ends here, "
                             "and the ledger shows it."), id=submission_id))
    print_next_step(decision.state, submission_id)


