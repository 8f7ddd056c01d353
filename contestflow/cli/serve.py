"""`contestflow serve`: the intake web app for departments and the coordinator."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

import typer


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: from "
                                             "CONTESTFLOW_BASE_URL)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: from CONTESTFLOW_BASE_URL; "
                                             "0 picks a free one)")] = None,
    schedule: Annotated[bool, typer.Option(
        "--schedule/--no-schedule",
        help="Send reminders and deliver mail every 15 minutes from this process (the default "
             "without a Prefect server; a server's workers do it otherwise)")] = True,
) -> None:
    """Serve the upload pages, the upload API and the coordinator's pages."""
    from contestflow.config import get_settings
    from contestflow.web.server import serve_forever
    from contestflow.web.sessions import coordinator_login_url

    settings = get_settings()
    base = urlsplit(settings.base_url)
    host = host or base.hostname or "127.0.0.1"
    port = port if port is not None else (base.port or (443 if base.scheme == "https" else 80))
    typer.echo(f"Coordinator login (valid 12 hours): {coordinator_login_url()}")
    serve_forever(host, port, schedule=schedule and not settings.prefect_api_url)
