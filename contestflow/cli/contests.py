"""`contestflow contests`: the catalog of contests the city enters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from contestflow.cli.common import (
    JsonOption,
    UserError,
    console,
    language,
    print_json,
    say,
    user_errors,
)
from contestflow.i18n import N_
from contestflow.wording import date_text

app = typer.Typer(help=say(N_("Contests and their editions.")), no_args_is_help=True)
FREQUENCY_NAMES = {"yearly": N_("held every year"), "biennial": N_("held every two years"),
                   "irregular": N_("held irregularly")}


def _catalog():  # type: ignore[no-untyped-def]
    from contestflow.catalog import catalog_for
    from contestflow.db import session_scope

    with session_scope() as session:
        return catalog_for(session)


@app.command("list", help=say(N_("List the contests in the catalog.")))
def list_contests(as_json: JsonOption = False) -> None:
    with user_errors():
        catalog = _catalog()
    rows = [
        {
            "id": c.id,
            "name": c.names.en,
            "name_ru": c.names.ru,
            "organiser": c.organiser,
            "frequency": c.frequency,
            "languages": c.languages,
            "editions": [e.key for e in c.editions],
        }
        for c in catalog
    ]
    if as_json:
        print_json(rows)
        return
    russian = language() == "ru"
    table = Table(*(say(c) for c in (N_("id"), N_("name"), N_("language"), N_("editions"))))
    for row in rows:
        table.add_row(row["id"], row["name_ru"] if russian else row["name"], row["languages"][0],
                      ", ".join(row["editions"]))
    console.print(table)


@app.command("show", help=say(N_(
    "Show one contest: its items, who owns them, limits and editions.")))
def show_contest(contest_id: str, as_json: JsonOption = False) -> None:
    with user_errors():
        definition = _catalog().get(contest_id)
    if as_json:
        print_json(definition.model_dump(mode="json"))
        return
    lang = language()
    first, second = ((definition.names.ru, definition.names.en) if lang == "ru" else
                     (definition.names.en, definition.names.ru))
    console.print(f"[bold]{first}[/bold]\n{second}")
    console.print(say(N_("Organiser: %(organiser)s; submitted in %(language)s; %(frequency)s"),
                      organiser=(definition.organiser_ru or definition.organiser) if lang == "ru"
                      else definition.organiser, language=definition.submission_language,
                      frequency=say(FREQUENCY_NAMES[definition.frequency])))
    if not definition.self_nomination_allowed:
        console.print(say(N_("No self-nomination: nominated by %(nominator)s"),
                          nominator=definition.nominator))
    items = Table(*(say(c) for c in (N_("item"), N_("department"), N_("limit"),
                                     N_("translate to"), N_("personal data"))))
    for item in definition.items:
        limit = (say(N_("%(max)s words") if item.limit.unit == "words" else
                     N_("%(max)s characters"), max=item.limit.max) if item.limit else "")
        items.add_row(
            item.title.ru if lang == "ru" else item.title.en,
            item.department,
            limit,
            ", ".join(definition.target_languages(item)),
            say(N_("yes")) if item.personal_data else "",
        )
    console.print(items)
    editions = Table(*(say(c) for c in (N_("edition"), N_("phases"), N_("results expected"))))
    for edition in definition.editions:
        phases = "; ".join(f"{p.name}: {date_text(p.deadline, lang)}" for p in edition.phases)
        editions.add_row(edition.key, phases, date_text(edition.results_expected_on, lang)
                         if edition.results_expected_on else "")
    console.print(editions)


@app.command("validate", help=say(N_(
    "Check a contest definition file; name the exact field that is wrong.")))
def validate_contest(
    path: Annotated[Path, typer.Argument(help=say(N_("A contest definition YAML file")))],
    as_json: JsonOption = False,
) -> None:
    from contestflow.catalog import department_ids, parse_definition
    from contestflow.db import session_scope

    with user_errors():
        if not path.is_file():
            raise UserError(say(N_("%(file)s: no such file"), file=path))
        with session_scope() as session:
            known = department_ids(session)
        definition = parse_definition(path, known)
    if as_json:
        print_json({"file": str(path), "valid": True, "id": definition.id,
                    "items": len(definition.items), "editions": len(definition.editions)})
        return
    console.print(say(N_("%(file)s: valid (%(id)s, %(items)s items, %(editions)s editions)"),
                      file=path, id=definition.id, items=len(definition.items),
                      editions=len(definition.editions)), markup=False, soft_wrap=True)
