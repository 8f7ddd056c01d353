"""`contestflow material`: add what a department sent by other means, or ask again."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from contestflow.cli.common import (
    JsonOption,
    console,
    print_json,
    print_request_next_step,
    say,
    user_errors,
)
from contestflow.db import session_scope
from contestflow.i18n import N_

app = typer.Typer(help=say(N_("Materials sent by departments.")), no_args_is_help=True)


@app.command("add", help=say(N_(
    "Add a file to a request's material (or replace one), checked like an upload.")))
def add_command(
    request_id: int,
    path: Annotated[Path, typer.Argument(help=say(N_("The file the department sent")))],
    language: Annotated[str, typer.Option(help=say(N_("Language the file is written in")))] = "ru",
    replace: Annotated[int | None, typer.Option(
        help=say(N_("The number of the file it replaces, for items that take several")))] = None,
    as_json: JsonOption = False,
) -> None:
    from contestflow.intake.accept import accept_file, record_refusal
    from contestflow.intake.errors import UploadRefused

    with user_errors():
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        try:
            with session_scope() as session:
                material = accept_file(
                    session,
                    request_id,
                    path,
                    filename=path.name,
                    language=language,
                    actor="coordinator",
                    replace=replace,
                )
                payload = {
                    "material_id": material.id,
                    "version": material.version,
                    "sha256": material.sha256,
                }
        except UploadRefused as refusal:
            # The refused upload's transaction is gone; its audit entry gets one of its own.
            record_refusal(
                request_id,
                refusal,
                actor="coordinator",
                filename=path.name,
                size=path.stat().st_size,
            )
            raise
    if as_json:
        print_json(payload)
        return
    console.print(say(N_("Request %(id)s: version %(version)s received (%(digest)s)."),
                      id=request_id, version=payload["version"], digest=payload["sha256"][:12]))
    print_request_next_step(request_id)


@app.command("reopen", help=say(N_("Re-open a request with a comment for the department.")))
def reopen_command(
    request_id: int,
    comment: Annotated[str, typer.Option(help=say(N_("What the department must send again")))],
    as_json: JsonOption = False,
) -> None:
    from contestflow.intake.requests import reopen_and_notify

    with user_errors(), session_scope() as session:
        reopen_and_notify(session, request_id, comment, actor="coordinator")
    if as_json:
        print_json({"request": request_id, "state": "reopened"})
        return
    console.print(say(N_("Request %(id)s sent back; the department is mailed the link again."),
                      id=request_id))
    print_request_next_step(request_id)


@app.command("fields", help=say(N_(
    "Enter a structured item's fields (the mayor's details…) as the request's next version.")))
def fields_command(
    request_id: int,
    values: Annotated[list[str], typer.Argument(
        help=say(N_("field=value, e.g. name=\"Ivan Ivanov\"")))],
    actor: Annotated[str, typer.Option(help=say(N_("Who entered them")))] = "coordinator",
    as_json: JsonOption = False,
) -> None:
    from contestflow.intake.fields import record_fields
    from contestflow.store import get_store

    pairs = _pairs(values)
    with user_errors(), session_scope() as session:
        material = record_fields(session, get_store(), request_id, pairs, actor=actor)
        payload = {"request": request_id, "material": material.id,
                   "version": material.version}
    if as_json:
        print_json(payload)
        return
    console.print(say(N_("Request %(id)s: fields saved as version %(version)s."),
                      id=request_id, version=payload["version"]))
    print_request_next_step(request_id)


@app.command("remove", help=say(N_(
    "Take one file out of a request's material; its versions stay on record.")))
def remove_command(
    request_id: int,
    number: Annotated[int, typer.Argument(help=say(N_(
        "The file's number, as `submission status` lists them")))],
    actor: Annotated[str, typer.Option(help=say(N_("Who removes it")))] = "coordinator",
    as_json: JsonOption = False,
) -> None:
    from contestflow.materials import remove_file

    with user_errors(), session_scope() as session:
        remove_file(session, request_id, number, actor=actor)
    if as_json:
        print_json({"request": request_id, "removed": number})
        return
    console.print(say(N_("Request %(id)s: file %(number)s removed."), id=request_id,
                      number=number))
    print_request_next_step(request_id)


@app.command("describe", help=say(N_(
    "Record what the item asks of one file (a press piece's outlet, author, date, kind).")))
def describe_command(
    request_id: int,
    number: Annotated[int, typer.Argument(help=say(N_("The file's number")))],
    values: Annotated[list[str], typer.Argument(
        help=say(N_("field=value, e.g. published_on=2026-05-01")))],
    actor: Annotated[str, typer.Option(help=say(N_("Who records it")))] = "coordinator",
    as_json: JsonOption = False,
) -> None:
    from contestflow.intake.fields import describe_file

    pairs = _pairs(values)
    with user_errors(), session_scope() as session:
        describe_file(session, request_id, number, pairs, actor=actor)
    if as_json:
        print_json({"request": request_id, "file": number, "details": pairs})
        return
    console.print(say(N_("Request %(id)s: file %(number)s described."), id=request_id,
                      number=number))
    print_request_next_step(request_id)


def _pairs(values: list[str]) -> dict[str, str]:
    """``["name=Ivan Ivanov", …]`` as a mapping; a word without "=" is refused."""
    pairs = {}
    for value in values:
        name, sep, text = value.partition("=")
        if not sep:
            raise typer.BadParameter(say(N_("“%(value)s”: give each field as field=value"),
                                         value=value))
        pairs[name.strip()] = text
    return pairs
