"""What every command shares: one-line errors, JSON output, the console."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from contestflow.errors import said_in
from contestflow.i18n import LANGUAGES, N_, tr

console = Console()


class UserError(Exception):
    """Any error whose message is meant for the person at the keyboard."""


def _user_error_types() -> tuple[type[BaseException], ...]:
    from contestflow.catalog import CatalogError
    from contestflow.errors import SubmissionError
    from contestflow.lifecycle import IllegalTransition, StateConflict
    from contestflow.materials import MaterialError
    from contestflow.translation.errors import TranslationError

    return (
        UserError,
        CatalogError,
        SubmissionError,
        MaterialError,
        IllegalTransition,
        StateConflict,
        TranslationError,
        FileNotFoundError,
    )


def language() -> str:
    """The language the command line speaks (CONTESTFLOW_LANGUAGE, Russian by default).

    Read from the environment, not from the settings: the help texts are said when the
    commands are imported, where building every setting would cost time and a bad one must
    not stop `--help`. A value the settings refuse is refused by any command that reads them.
    """
    wanted = os.environ.get("CONTESTFLOW_LANGUAGE", "ru")
    return wanted if wanted in LANGUAGES else "ru"


def say(message: str, /, **params: object) -> str:
    """A catalogued sentence in the command line's language; help texts too (`help=say(N_(…))`)."""
    return tr(language(), message, **params)


JsonOption = Annotated[bool, typer.Option("--json", help=say(N_("Print JSON for scripts")))]


def fail(message: str, code: int = 1) -> NoReturn:
    typer.echo(say(N_("error: %(message)s"), message=visible(message)), err=True)
    raise typer.Exit(code)


def visible(text: str) -> str:
    """``text`` with control characters shown as escapes (``\\x1b``, ``\\r``): a file name or
    a message must not move the cursor, recolour or rewrite the person's terminal."""
    return "".join(
        char if char.isprintable() or char == " " else char.encode("unicode_escape").decode()
        for char in text)


def one_line(error: BaseException) -> str:
    """Any error that escaped a command, as the one line a person reads: a database fault
    says where the database is and what to do; a file error names the file; anything else
    says it is ours, and its traceback goes to the workspace's log (named in the line)."""
    from contestflow.db.faults import database_fault

    fault = database_fault(error)
    if fault is not None:
        return said_in(language(), fault)
    if isinstance(error, _user_error_types()):
        return said_in(language(), error)
    if isinstance(error, OSError):
        where = getattr(error, "filename", "") or ""
        return f"{where}: {error.strerror or error}" if where else str(error.strerror or error)
    logged = _log_traceback(error)
    first = (str(error).splitlines() or [""])[0][:300]
    if logged:
        return say(N_("internal error (%(kind)s): %(first)s; the details are in %(log)s"),
                   kind=type(error).__name__, first=first, log=logged)
    return say(N_("internal error (%(kind)s): %(first)s"), kind=type(error).__name__,
               first=first)


def _log_traceback(error: BaseException) -> str:
    import traceback

    from contestflow.config import get_settings

    try:
        log = get_settings().home / "logs" / "errors.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as out:
            out.write("".join(traceback.format_exception(error)) + "\n")
    except Exception:  # the log is a courtesy: a full disk must not hide the first error
        return ""
    return str(log)


@contextmanager
def user_errors() -> Iterator[None]:
    """Turn the errors a person can act on into one line and a non-zero exit, in the command
    line's language where the refusal is catalogued."""
    try:
        yield
    except _user_error_types() as error:
        fail(said_in(language(), error))
    except Exception as error:  # a database that is down, full or silent, among others
        from contestflow.db.faults import database_fault

        if database_fault(error) is None:
            raise
        fail(one_line(error))


def print_next_step(state: str, submission_id: int) -> None:
    """End a command with what the person does next, when anything is left to do.

    Plain echo, not the rich console: the line must not be wrapped or read as markup, since
    it holds a command to copy.
    """
    from contestflow.submission.next_step import next_step

    awaiting = False
    if state == "sent":  # a phase that a later one follows waits for the shortlist
        from contestflow.db import session_scope
        from contestflow.lifecycle import get_submission
        from contestflow.submission.phases import awaits_shortlist

        with session_scope() as session:
            awaiting = awaits_shortlist(session, get_submission(session, submission_id))
    sentence = next_step(state, submission_id, language(), awaiting_shortlist=awaiting)
    if sentence:
        typer.echo(sentence)


def print_request_next_step(request_id: int) -> None:
    """End a command about one material request with its submission's next step."""
    from contestflow.db import session_scope
    from contestflow.db.models import MaterialRequest

    with session_scope() as session:
        request = session.get(MaterialRequest, request_id)
        if request is None:
            return
        state, submission_id = request.submission.state, request.submission_id
    print_next_step(state, submission_id)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
