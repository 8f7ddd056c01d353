"""`contestflow contests`: the catalog of contests the city enters."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from contestflow.cli.common import JsonOption, console, print_json, user_errors

app = typer.Typer(help="Contests and their editions.", no_args_is_help=True)


def _catalog():  # type: ignore[no-untyped-def]
    from contestflow.catalog import catalog_for
    from contestflow.db import session_scope

    with session_scope() as session:
        return catalog_for(session)


@app.command("list")
def list_contests(as_json: JsonOption = False) -> None:
    """List the contests in the catalog."""
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
    table = Table("id", "name", "language", "editions")
    for row in rows:
        table.add_row(row["id"], row["name"], row["languages"][0], ", ".join(row["editions"]))
    console.print(table)


@app.command("show")
def show_contest(contest_id: str, as_json: JsonOption = False) -> None:
    """Show one contest: its items, who owns them, limits and editions."""
    with user_errors():
        definition = _catalog().get(contest_id)
    if as_json:
        print_json(definition.model_dump(mode="json"))
        return
    console.print(f"[bold]{definition.names.en}[/bold]\n{definition.names.ru}")
    console.print(
        f"Organiser: {definition.organiser}; submitted in "
        f"{definition.submission_language}; {definition.frequency}"
    )
    if not definition.self_nomination_allowed:
        console.print(f"No self-nomination: nominated by {definition.nominator}")
    items = Table("item", "department", "limit", "translate to", "personal data")
    for item in definition.items:
        limit = f"{item.limit.max} {item.limit.unit}" if item.limit else ""
        items.add_row(
            item.title.en,
            item.department,
            limit,
            ", ".join(definition.target_languages(item)),
            "yes" if item.personal_data else "",
        )
    console.print(items)
    editions = Table("edition", "phases", "results expected")
    for edition in definition.editions:
        phases = "; ".join(f"{p.name}: {p.deadline}" for p in edition.phases)
        editions.add_row(edition.key, phases, str(edition.results_expected_on or ""))
    console.print(editions)


@app.command("validate")
def validate_contest(
    path: Annotated[Path, typer.Argument(help="A contest definition YAML file")],
) -> None:
    """Check a contest definition file; name the exact field that is wrong."""
    from contestflow.catalog import department_ids, parse_definition
    from contestflow.db import session_scope

    with user_errors():
        if not path.is_file():
            raise FileNotFoundError(f"{path}: no such file")
        with session_scope() as session:
            known = department_ids(session)
        definition = parse_definition(path, known)
    console.print(
        f"{path}: valid ({definition.id}, {len(definition.items)} items, "
        f"{len(definition.editions)} editions)"
    )
