"""`contestflow users`: the accounts that sign in to the office in the browser."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from contestflow.cli.common import JsonOption, console, language, print_json, say, user_errors
from contestflow.db import session_scope
from contestflow.i18n import N_, ntr

app = typer.Typer(help=say(N_("Accounts for the office: coordinator, reviewer, read-only.")),
                  no_args_is_help=True)
ACTOR = "administrator (contestflow users)"
PasswordStdin = Annotated[bool, typer.Option(
    "--password-stdin", help=say(N_("Read the password from standard input (for scripts)")))]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return typer.get_text_stream("stdin").readline().rstrip("\n")
    return typer.prompt(say(N_("Password")), hide_input=True, confirmation_prompt=True)


@app.command("add", help=say(N_(
    "Add an account; the password is asked twice (or read from stdin).")))
def add_command(
    login: Annotated[str, typer.Argument(help=say(N_("What the person types to sign in")))],
    role: Annotated[str, typer.Option(help=say(N_("coordinator, reviewer or readonly")))],
    name: Annotated[str, typer.Option(help=say(N_("Full name, as the audit log shows it")))] = "",
    password_stdin: PasswordStdin = False,
    as_json: JsonOption = False,
) -> None:
    from contestflow.accounts import add_account

    password = _password(password_stdin)
    with user_errors(), session_scope() as session:
        add_account(session, login, role=role, password=password, full_name=name, actor=ACTOR)
    if as_json:
        print_json({"login": login.strip().lower(), "role": role, "active": True})
        return
    from contestflow.accounts import ROLE_NAMES

    console.print(say(N_("Account %(login)s (%(role)s) added. Next: the person signs in at "
                         "/login on the office's address."), login=login.strip().lower(),
                      role=say(ROLE_NAMES.get(role, role))))


@app.command("password", help=say(N_("Set a new password for an account.")))
def password_command(login: str, password_stdin: PasswordStdin = False,
                     as_json: JsonOption = False) -> None:
    from contestflow.accounts import set_password

    password = _password(password_stdin)
    with user_errors(), session_scope() as session:
        set_password(session, login, password, actor=ACTOR)
    if as_json:
        print_json({"login": login, "password_changed": True})
        return
    console.print(say(N_("Password of %(login)s changed."), login=login))


@app.command("deactivate", help=say(N_(
    "End an account's access at its next request; the audit log keeps its name.")))
def deactivate_command(login: str, as_json: JsonOption = False) -> None:
    from contestflow.accounts import deactivate

    with user_errors(), session_scope() as session:
        deactivate(session, login, actor=ACTOR)
    if as_json:
        print_json({"login": login, "active": False})
        return
    console.print(say(N_("Account %(login)s deactivated."), login=login))


@app.command("sessions-end", help=say(N_(
    "Sign a person out everywhere at once (a lost laptop, a shared computer).")))
def sessions_end_command(
    login: Annotated[str, typer.Argument(help=say(N_(
        "Whose sessions; 'coordinator' ends the ones opened by the coordinator's link")))],
    as_json: JsonOption = False,
) -> None:
    from contestflow.signins import end_sessions_of

    with user_errors(), session_scope() as session:
        count = end_sessions_of(session, login, actor=ACTOR)
    if as_json:
        print_json({"login": login.strip().lower(), "ended": count})
        return
    console.print(ntr(language(), "%(count)s session of %(login)s ended.",
                      "%(count)s sessions of %(login)s ended.", count,
                      login=login.strip().lower()))


@app.command("list", help=say(N_("Every account, with its role and whether it is active.")))
def list_command(as_json: JsonOption = False) -> None:
    from contestflow.accounts import ROLE_NAMES, list_accounts

    with session_scope(read_only=True) as session:
        if as_json:
            print_json([{"login": a.login, "name": a.full_name, "role": a.role,
                         "active": a.active} for a in list_accounts(session)])
            return
        rows = [(a.login, a.full_name, say(ROLE_NAMES.get(a.role, a.role)),
                 say(N_("yes") if a.active else N_("no"))) for a in list_accounts(session)]
    table = Table(*(say(c) for c in (N_("login"), N_("name"), N_("role"), N_("active"))))
    for row in rows:
        table.add_row(*row)
    console.print(table)
