"""`contestflow departments`: the city's bodies that own contest materials."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import select

from contestflow.cli.common import (
    JsonOption,
    UserError,
    console,
    language,
    print_json,
    say,
    user_errors,
)
from contestflow.db import session_scope
from contestflow.i18n import N_, ntr

app = typer.Typer(help=say(N_("Departments of the city administration.")), no_args_is_help=True)


@app.command("list", help=say(N_("List departments.")))
def list_command(as_json: JsonOption = False) -> None:
    from contestflow.db.models import Department

    with session_scope(read_only=True) as session:
        rows = [
            {
                "id": d.id,
                "name_ru": d.name_ru,
                "name_en": d.name_en,
                "email": d.email,
                "active": d.active,
            }
            for d in session.scalars(select(Department).order_by(Department.id))
        ]
    if as_json:
        print_json(rows)
        return
    table = Table(*(say(c) for c in (N_("id"), N_("name"), N_("e-mail"), N_("active"))))
    for row in rows:
        table.add_row(
            row["id"], row["name_ru"] if language() == "ru" else row["name_en"], row["email"] or "",
            say(N_("yes") if row["active"] else N_("no"))
        )
    console.print(table)


@app.command("set", help=say(N_("Add a department, or change one.")))
def set_command(
    department_id: str,
    email: Annotated[str | None, typer.Option(help=say(N_("Where requests go")))] = None,
    name_ru: Annotated[str | None, typer.Option(help=say(N_("Name in Russian")))] = None,
    name_en: Annotated[str | None, typer.Option(help=say(N_("Name in English")))] = None,
    active: Annotated[bool | None, typer.Option("--active/--inactive")] = None,
    as_json: JsonOption = False,
) -> None:
    from contestflow.audit import record_event
    from contestflow.db.models import Department
    from schemas import DepartmentDefinition

    with user_errors(), session_scope() as session:
        department = session.get(Department, department_id)
        current = {"id": department_id, "name_ru": name_ru, "name_en": name_en, "email": email}
        if department is not None:
            current = {
                "id": department.id,
                "name_ru": name_ru or department.name_ru,
                "name_en": name_en or department.name_en,
                "email": email if email is not None else department.email,
            }
        elif not (name_ru and name_en):
            raise UserError(say(N_("new department “%(id)s” needs --name-ru and --name-en"),
                                id=department_id))
        try:
            checked = DepartmentDefinition.model_validate(
                {**current, "email": current["email"] or None}
            )
        except ValueError as error:
            raise UserError(say(N_("department “%(id)s”: %(problem)s"), id=department_id,
                                problem=error.errors()[0]["msg"])) from None
        department = session.merge(Department(**checked.model_dump()))
        if active is not None:
            department.active = active
        record_event(
            session,
            actor="coordinator",
            action="department.changed",
            subject_type="department",
            subject_id=department_id,
            **checked.model_dump(mode="json"),
        )
        saved = {**checked.model_dump(mode="json"), "active": department.active}
    if as_json:
        print_json(saved)
        return
    console.print(say(N_("Department %(id)s saved."), id=department_id))


@app.command("sync", help=say(N_(
    "Add the departments of the city's file that the database does not have yet.")))
def sync_command(as_json: JsonOption = False) -> None:
    from contestflow.audit import record_event
    from contestflow.db.seed import seed_departments
    from contestflow.identity import identity_file

    with user_errors(), session_scope() as session:
        added = seed_departments(session.connection())
        if added:
            record_event(session, actor="coordinator", action="department.synced",
                         subject_type="department", subject_id="*", added=added,
                         source=str(identity_file()))
    if as_json:
        print_json({"added": added})
        return
    console.print(ntr(language(), "%(count)s department added from %(file)s.",
                      "%(count)s departments added from %(file)s.", added, file=identity_file()))
