"""`contestflow contests`: the catalog of contests the city enters."""

from __future__ import annotations

import datetime as dt
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
from contestflow.wording import date_text, deadline_text

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
        phases = "; ".join(
            f"{p.name_ru if lang == 'ru' and p.name_ru else p.name}: "
            f"{deadline_text(p.deadline, p.expected, lang)}" for p in edition.phases)
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


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UserError(say(N_("%(option)s is a date, YYYY-MM-DD"), option=option)) from None


@app.command("confirm", help=say(N_(
    "Confirm a phase's dates from the organiser's call; the open submissions' due dates "
    "follow.")))
def confirm_command(
    contest: Annotated[str, typer.Argument(help=say(N_("Contest id")))],
    edition: Annotated[str, typer.Argument(help=say(N_("Edition, usually the year")))],
    deadline: Annotated[str, typer.Option(help=say(N_("The deadline, YYYY-MM-DD")))],
    source: Annotated[str, typer.Option(help=say(N_(
        "The address of the organiser's call the dates come from")))],
    phase: Annotated[str | None, typer.Option(help=say(N_(
        "Phase id, where the edition has several")))] = None,
    opens: Annotated[str | None, typer.Option(help=say(N_(
        "The opening date, YYYY-MM-DD")))] = None,
    as_json: JsonOption = False,
) -> None:
    from contestflow.db import session_scope
    from contestflow.editions import confirm_dates

    with user_errors():
        day, opening = _day(deadline, "--deadline"), _day(opens, "--opens")
        assert day is not None
        with session_scope() as session:
            done = confirm_dates(session, contest, edition, phase_id=phase, deadline=day,
                                 opens_on=opening, source=source)
    lang = language()
    if as_json:
        print_json({"contest": done.contest, "edition": done.edition, "phase": done.phase.id,
                    "opens_on": done.phase.opens_on.isoformat() if done.phase.opens_on else None,
                    "deadline": done.phase.deadline.isoformat(), "status": done.phase.status,
                    "source": done.phase.source, "was": done.before.deadline.isoformat(),
                    "moved_requests": done.moved_requests})
        return
    console.print(say(N_("%(contest)s %(edition)s, %(phase)s: deadline %(deadline)s confirmed "
                         "(was %(was)s); source %(source)s"), contest=done.contest,
                      edition=done.edition, phase=done.phase.id,
                      deadline=date_text(done.phase.deadline, lang),
                      was=deadline_text(done.before.deadline, done.before.expected, lang),
                      source=done.phase.source), markup=False, soft_wrap=True)
    console.print(say(N_("Departments' due dates moved: %(count)s"),
                      count=done.moved_requests))


@app.command("new-edition", help=say(N_(
    "Make next cycle's edition from the last one: its dates shifted by the cycle, expected.")))
def new_edition_command(
    contest: Annotated[str, typer.Argument(help=say(N_("Contest id")))],
    key: Annotated[str, typer.Argument(help=say(N_("The new edition, usually the year")))],
    made_from: Annotated[str, typer.Option("--from", help=say(N_(
        "The edition to copy, usually the last one")))],
    as_json: JsonOption = False,
) -> None:
    from contestflow.db import session_scope
    from contestflow.editions import new_edition

    with user_errors(), session_scope() as session:
        edition = new_edition(session, contest, key, made_from=made_from)
    if as_json:
        print_json({"contest": contest, "made_from": made_from,
                    **edition.model_dump(mode="json")})
        return
    lang = language()
    console.print(say(N_("%(contest)s %(edition)s made from %(made_from)s; its dates are "
                         "expected until confirmed: %(phases)s"), contest=contest,
                      edition=edition.key, made_from=made_from, phases="; ".join(
                          f"{p.id} {deadline_text(p.deadline, p.expected, lang)}"
                          for p in edition.phases)), markup=False, soft_wrap=True)
