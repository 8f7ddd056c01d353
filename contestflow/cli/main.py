"""The `contestflow` command."""

from __future__ import annotations

import typer

from contestflow import __version__
from contestflow.cli import (
    contests,
    delivery,
    departments,
    material,
    nomination,
    resources,
    results,
    submission,
    translate,
    users,
)
from contestflow.cli import intake as intake_cli
from contestflow.cli import serve as serve_cli
from contestflow.cli import server as server_cli
from contestflow.cli.common import say
from contestflow.i18n import N_

app = typer.Typer(
    name="contestflow",
    help=say(N_("Get the city's entries into international contests, in two languages, on time.")),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(contests.app, name="contests")
nomination.register(submission.app)
app.add_typer(submission.app, name="submission")
app.add_typer(material.app, name="material")
app.add_typer(departments.app, name="departments")
app.add_typer(users.app, name="users")
delivery.register(submission.app)
results.register(app)
resources.register(app)
translate.register(app)
intake_cli.register(app)
serve_cli.register(app)
server_cli.register(app)


@app.command("version", help=say(N_("Print the version.")))
def version() -> None:
    typer.echo(__version__)


def main() -> None:
    """The console script: whatever escapes a command ends as one line (exit 1), a setting it
    will not start with as one line too (exit 2)."""
    import sys

    from contestflow.cli.common import one_line, say, visible
    from contestflow.config import SettingsRefused
    from contestflow.i18n import N_

    try:
        app()
    except SettingsRefused as refusal:  # a setting it will not start with: one line, no trace
        typer.echo(say(N_("error: %(message)s"), message=str(refusal)), err=True)
        raise SystemExit(2) from None
    except Exception as error:  # the last guard: no traceback reaches the person
        sys.stderr.write(say(N_("error: %(message)s"), message=visible(one_line(error))) + "\n")
        sys.exit(1)
