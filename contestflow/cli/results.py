"""`contestflow results` (record, import, report, list) and `contestflow calendar`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

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
from contestflow.db import session_scope
from contestflow.i18n import N_

app = typer.Typer(help=say(N_("Results: what the city won, across the years.")),
                  no_args_is_help=True)


class Lang(StrEnum):
    ru = "ru"
    en = "en"


LangOption = Annotated[Lang, typer.Option("--lang", help=say(N_("Language of the report")))]
CalendarLang = Annotated[Lang, typer.Option(
    "--lang", help=say(N_("Language of the events' summaries and descriptions")))]
FromOption = Annotated[int | None, typer.Option("--from", help=say(N_("First year (inclusive)")))]
ToOption = Annotated[int | None, typer.Option("--to", help=say(N_("Last year (inclusive)")))]


def register(main_app: typer.Typer) -> None:
    """Add ``results`` and the top-level ``calendar`` command to the ``contestflow`` app."""
    main_app.add_typer(app, name="results")
    main_app.command("calendar", help=say(N_(
        "Export what is still ahead as an iCalendar (.ics) file: deadlines of editions still to "
        "be entered or with an open submission, and announcements a submission waits for."
    )))(calendar_command)


@contextmanager
def _errors() -> Iterator[None]:
    from contestflow.results.certificates import CertificateRefused
    from contestflow.results.ledger import ResultError

    with user_errors():
        try:
            yield
        except (ResultError, CertificateRefused, ValueError) as error:
            raise UserError(str(error)) from None


@app.command("record", help=say(N_(
    "Record a submission's result in its contest's own vocabulary.")))
def record_command(
    submission_id: int,
    outcome: Annotated[str, typer.Option(
        help=say(N_("Outcome id or name from the contest's vocabulary")))],
    nomination: Annotated[str | None, typer.Option(
        help=say(N_("Default: the submission's")))] = None,
    department: Annotated[
        str | None, typer.Option(help=say(N_("Whose practice; default: owner of most items")))
    ] = None,
    announced_on: Annotated[
        dt.datetime | None,
        typer.Option(formats=["%Y-%m-%d"], help=say(N_("When it was announced"))),
    ] = None,
    prize_amount: Annotated[str | None, typer.Option(
        help=say(N_("Prize money, e.g. 50000")))] = None,
    prize_currency: Annotated[str | None, typer.Option(help=say(N_("EUR, USD, RUB...")))] = None,
    certificate: Annotated[
        Path | None, typer.Option(help=say(N_("The diploma or letter: PDF, PNG or JPEG")))
    ] = None,
    notes: Annotated[str, typer.Option(help=say(N_("Anything worth keeping")))] = "",
    as_json: JsonOption = False,
) -> None:
    from contestflow.results.certificates import file_chunks
    from contestflow.results.ledger import Certificate, ResultInput, record_result

    data = ResultInput(
        outcome=outcome, nomination=nomination, department=department,
        announced_on=announced_on.date() if announced_on else None,
        prize_amount=prize_amount, prize_currency=prize_currency, notes=notes,
    )
    scan = Certificate(certificate.name, file_chunks(certificate)) if certificate else None
    with _errors(), session_scope() as session:
        recorded = record_result(session, submission_id, data, actor="coordinator",
                                 certificate=scan)
        payload = {"result_id": recorded.result.id, "created": recorded.created,
                   "changed": recorded.changed, "outcome": recorded.result.outcome,
                   "submission_id": submission_id}
    if as_json:
        print_json(payload)
    elif payload["created"]:
        console.print(say(N_("Result %(result)s recorded for submission %(id)s: %(outcome)s."),
                          result=payload["result_id"], id=submission_id,
                          outcome=payload["outcome"]))
    elif payload["changed"]:
        console.print(say(N_("Result %(result)s of submission %(id)s corrected: %(outcome)s; the "
                             "audit log keeps the earlier values."), result=payload["result_id"],
                          id=submission_id, outcome=payload["outcome"]))
    else:
        console.print(say(N_("Already recorded as result %(result)s; nothing changed."),
                          result=payload["result_id"]))


@app.command("remove", help=say(N_(
    "Remove a result recorded by mistake; its submission waits for a result again.")))
def remove_command(result_id: int, as_json: JsonOption = False) -> None:
    from contestflow.results.ledger import remove_result

    with _errors(), session_scope() as session:
        remove_result(session, result_id, actor="coordinator")
    if as_json:
        print_json({"result_id": result_id, "removed": True})
        return
    console.print(say(N_("Result %(result)s removed. Next: `contestflow results record "
                         "SUBMISSION --outcome ...` when the right result is known."),
                      result=result_id))


def _print_import(report: Any) -> None:
    table = Table("line", "verdict", "row / reasons")
    for row in report.rows:
        colour = {"accepted": "green", "already": "cyan", "refused": "red"}[row.status]
        text = row.summary if row.status == "accepted" else "; ".join(row.messages)
        if row.status == "already":
            text = f"{row.summary} — {text}"
        table.add_row(str(row.line), f"[{colour}]{row.status}[/{colour}]", text)
    if report.rows:
        console.print(table)
    for notice in report.notices:
        console.print(say(N_("note: %(notice)s"), notice=notice))


@app.command("import", help=say(N_("Import results from before contestflow; all rows or none.")))
def import_command(
    path: Annotated[Path | None, typer.Argument(help=say(N_(
        "CSV: year,contest,edition,nomination,department,outcome,notes")))] = None,
    sample: Annotated[
        bool, typer.Option("--sample", help=say(N_("Import the bundled city history")))
    ] = False,
    check: Annotated[bool, typer.Option(
        "--check", help=say(N_("Check every row, write nothing")))] = False,
    encoding: Annotated[str | None, typer.Option(
        help=say(N_("Default: UTF-8, else Windows-1251")))] = None,
    as_json: JsonOption = False,
) -> None:
    from dataclasses import asdict

    from contestflow.identity import history_file
    from contestflow.results.history import import_history_file

    if (path is None) == (not sample):
        raise typer.BadParameter("give a CSV file or --sample (not both)")
    source = history_file() if sample else path
    if source is None:
        raise typer.BadParameter(say(N_("the city's file names no history CSV: give one")))
    with session_scope() as session:
        report = import_history_file(session, source, check_only=check, encoding=encoding)
    if as_json:
        print_json({**asdict(report), "ok": report.ok})
    else:
        _print_import(report)
    if report.file_error:
        typer.echo(say(N_("error: %(message)s"), message=f"{source}: {report.file_error}"),
                   err=True)
        raise typer.Exit(1)
    if not report.ok:
        typer.echo(say(N_("error: %(message)s"), message=say(
            N_("%(refused)s of %(rows)s rows refused; nothing was imported"),
            refused=len(report.refused), rows=len(report.rows))), err=True)
        raise typer.Exit(1)
    if not as_json:
        sentence = (N_("%(file)s: would add %(count)s results; %(already)s already in the "
                       "ledger.") if check else
                    N_("%(file)s: added %(count)s results; %(already)s already in the ledger."))
        console.print(say(sentence, file=source.name, already=report.count("already"),
                          count=report.count("accepted") if check else report.added))


@app.command("report", help=say(N_(
    "Write the results report: entries, awards and success rate per year, contest, department.")))
def report_command(
    out: Annotated[Path, typer.Option(
        "--out", help=say(N_("Folder for index.html, results.csv/.xlsx")))],
    year_from: FromOption = None,
    year_to: ToOption = None,
    lang: LangOption = Lang.ru,
    as_flow: Annotated[bool, typer.Option("--flow", help=say(N_(
        "Run as the Prefect flow (tables become artifacts)")))] = False,
    as_json: JsonOption = False,
) -> None:
    if as_flow:
        from contestflow.cli.flows import run_workflow

        index = run_workflow("results-report", {"out_dir": str(out), "year_from": year_from,
                                                "year_to": year_to, "lang": lang.value})
        if as_json:
            print_json({"index": str(index)})
            return
        console.print(say(N_("Report written: %(file)s"), file=index))
        return
    from contestflow.results.i18n import percent
    from contestflow.results.report import write_report

    with _errors(), session_scope() as session:
        files = write_report(session, out, year_from=year_from, year_to=year_to, lang=lang.value)
    total = files.summary.total
    if as_json:
        print_json({"index": str(files.index), "csv": str(files.csv), "xlsx": str(files.xlsx),
                    "charts": [str(chart) for chart in files.charts], "entries": total.entries,
                    "awards": total.awarded, "success_rate": total.success_rate})
        return
    console.print(say(N_("Report written: %(file)s"), file=files.index), markup=False,
                  soft_wrap=True)
    console.print(say(N_("  %(entries)s entries, %(awards)s awards, success rate %(rate)s; also "
                         "%(csv)s, %(xlsx)s and %(charts)s charts."), entries=total.entries,
                      awards=total.awarded, rate=percent(total.success_rate, language()),
                      csv=files.csv.name, xlsx=files.xlsx.name, charts=len(files.charts)))


def _awaiting_table(as_json: bool) -> None:
    from dataclasses import asdict

    from contestflow.results.ledger import awaiting_results

    with session_scope() as session:
        rows = [asdict(item) for item in awaiting_results(session)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print(say(N_("No sent submission is past its announcement date without a "
                             "result.")))
        return
    table = Table(*(say(c) for c in (N_("submission"), N_("contest"), N_("edition"),
                                     N_("nomination"), N_("expected"), N_("days late"))))
    for row in rows:
        table.add_row(str(row["submission_id"]), row["contest_id"], row["edition_key"],
                      row["nomination"], row["results_expected_on"].isoformat(),
                      str(row["days_overdue"]))
    console.print(table)


@app.command("list", help=say(N_(
    "List the ledger (or, with --awaiting, the results still to record).")))
def list_command(
    year_from: FromOption = None,
    year_to: ToOption = None,
    contest: Annotated[str | None, typer.Option(help=say(N_("Only this contest id")))] = None,
    awaiting: Annotated[bool, typer.Option(
        "--awaiting",
        help=say(N_("Instead: sent submissions past the announcement, no result")))] = False,
    lang: LangOption = Lang.en,
    as_json: JsonOption = False,
) -> None:
    if awaiting:
        _awaiting_table(as_json)
        return
    from contestflow.results.summary import build_summary

    with _errors(), session_scope() as session:
        summary = build_summary(session, year_from=year_from, year_to=year_to, lang=lang.value)
    rows = [row for row in summary.rows if contest is None or row.contest_id == contest]
    if as_json:
        from dataclasses import asdict

        print_json([asdict(row) for row in rows])
        return
    table = Table("id", "year", "contest", "nomination", "department", "outcome", "source")
    for row in rows:
        outcome = f"[green]{row.outcome_name}[/green]" if row.awarded else row.outcome_name
        table.add_row(str(row.result_id), str(row.year or "—"), row.contest_id,
                      row.nomination[:50], row.department_id or "—", outcome, row.source)
    console.print(table)
    for row in rows:
        if row.phases:  # an entry sent in phases: each sending and the shortlist
            console.print(f"{row.result_id}: {row.phases}", markup=False, soft_wrap=True)
    console.print(say(N_("%(count)s results, %(awarded)s awarded."), count=len(rows),
                      awarded=sum(r.awarded for r in rows)))


def calendar_command(
    out: Annotated[Path, typer.Option("--out", help=say(N_("The .ics file to write")))],
    lang: CalendarLang = Lang.ru,
    since: Annotated[dt.datetime | None, typer.Option(
        "--from", formats=["%Y-%m-%d"], help=say(N_("First day (default: today)")))] = None,
    as_json: JsonOption = False,
) -> None:
    from contestflow.results.ical import write_calendar

    with _errors(), session_scope() as session:
        events = write_calendar(session, out, lang=lang.value,
                                today=since.date() if since else None)
    if as_json:
        print_json({"file": str(out), "events": len(events)})
        return
    console.print(say(N_("%(file)s: %(count)s upcoming dates (deadlines, departments' due dates, "
                         "announcements)."), file=out, count=len(events)))
