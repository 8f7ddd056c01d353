"""`contestflow deploy` and `contestflow worker`: running on a Prefect server with workers."""

from __future__ import annotations

from typing import Annotated

import typer

from contestflow.cli.common import JsonOption, fail, print_json, say
from contestflow.i18n import N_

PoolOption = Annotated[str, typer.Option("--pool", help=say(N_(
    "The Prefect work pool (a process pool; made if missing)")))]
NO_SERVER = N_("No Prefect server is configured: set CONTESTFLOW_PREFECT_API_URL (for example "
               "http://127.0.0.1:4200/api) to the server's API first")


def register(app: typer.Typer) -> None:
    app.command("deploy", help=say(N_(
        "Register every workflow on a Prefect server's work pool, with its schedule, tags, "
        "concurrency and triggers.")))(deploy)
    app.command("worker", help=say(N_(
        "Run the workflows' flow runs from a Prefect server's work pool (production mode).")))(
        worker)


def _prepare() -> None:
    from contestflow.config import get_settings, prepare_prefect_environment

    settings = get_settings()
    if not settings.prefect_api_url:
        fail(say(NO_SERVER))
    prepare_prefect_environment(settings)


def deploy(pool: PoolOption = "contestflow", as_json: JsonOption = False) -> None:
    _prepare()
    from flows.deploy import deploy_all
    from flows.run import quiet_prefect

    quiet_prefect()
    try:
        deployed = deploy_all(pool)
    except Exception as error:  # the server refused or is unreachable: one line
        fail(say(N_("The workflows were not deployed: %(error)s"), error=error))
    if as_json:
        print_json({"pool": pool, "deployments": [
            {"workflow": d.workflow, "id": d.deployment_id, "cron": d.cron,
             "triggered": d.triggered} for d in deployed]})
        return
    for item in deployed:
        typer.echo(say(N_("Deployed %(workflow)s to pool %(pool)s"), workflow=item.workflow,
                       pool=pool))


def worker(
    pool: PoolOption = "contestflow",
    name: Annotated[str | None, typer.Option(help=say(N_(
        "The worker's name in the Prefect server (default: one made up)")))] = None,
    limit: Annotated[int | None, typer.Option(help=say(N_(
        "At most this many flow runs at once in this worker")))] = None,
) -> None:
    _prepare()
    from flows.deploy import start_worker

    typer.echo(say(N_("Worker for pool %(pool)s started; Ctrl-C stops it."), pool=pool))
    start_worker(pool, name=name, limit=limit)
