"""`contestflow serve`: the intake web app for departments and the coordinator."""

from __future__ import annotations

import os
from typing import Annotated
from urllib.parse import urlsplit

import typer

from contestflow.cli.common import fail, say
from contestflow.i18n import N_


def register(app: typer.Typer) -> None:
    app.command("serve", help=say(N_(
        "Serve the upload pages, the upload API and the coordinator's pages.")))(serve)


def serve(
    host: Annotated[str | None, typer.Option(help=say(N_(
        "Address to listen on (default: from CONTESTFLOW_BASE_URL)")))] = None,
    port: Annotated[int | None, typer.Option(help=say(N_(
        "Port (default: from CONTESTFLOW_BASE_URL, or a free one if that is taken; 0 picks a "
        "free one)")))] = None,
    schedule: Annotated[bool, typer.Option(
        "--schedule/--no-schedule",
        help=say(N_("Send reminders and deliver mail every 15 minutes from this process (the "
                    "default without a Prefect server; a server's workers do it otherwise)")),
    )] = True,
) -> None:
    from contestflow.config import get_settings
    from contestflow.web.server import browsable_url, listen, open_bind_refusal, serve_forever

    settings = get_settings()
    base = urlsplit(settings.base_url)
    host = host or base.hostname or "127.0.0.1"
    refusal = open_bind_refusal(host, production=settings.production)
    if refusal:
        fail(refusal)
    wanted = port if port is not None else (base.port or (443 if base.scheme == "https" else 80))
    try:
        listener = listen(host, wanted)
    except OSError as error:
        if port is not None:  # asked for by name: another port would not be what was asked
            fail(say(N_("cannot listen on %(host)s:%(port)s: %(why)s"), host=host, port=port,
                     why=_why(error)))
        try:
            listener = listen(host, 0)
        except OSError as again:
            fail(say(N_("cannot listen on %(host)s: %(why)s"), host=host, why=_why(again)))
        typer.echo(say(N_("Port %(port)s is not available (%(why)s); listening on a free port "
                          "instead."), port=wanted, why=_why(error)))
    address = browsable_url(host, int(listener.getsockname()[1]))
    # No login link here: anyone who can read this output (a log, a terminal) would be in.
    # `contestflow intake coordinator-link` prints one when asked, and the audit log says so.
    if not _reaches(settings.base_url, address):
        typer.echo(say(N_(
            "Note: CONTESTFLOW_BASE_URL is %(base_url)s, not where this server listens; the "
            "links in the e-mails to departments and `contestflow intake coordinator-link` use "
            "it. If no proxy forwards it here, set CONTESTFLOW_BASE_URL=%(address)s."),
            base_url=settings.base_url, address=address))
    from flows.run import keep_local_server

    # This process's flows, and the workspace's commands while it runs, use one Prefect API
    # server instead of each starting its own (seconds a command).
    keep_local_server(settings)
    serve_forever(host, int(listener.getsockname()[1]),
                  schedule=schedule and not settings.prefect_api_url, listener=listener)


def _reaches(base_url: str, address: str) -> bool:
    """Whether links built on ``base_url`` come to this server, bound at ``address``: the same
    scheme and port (the host may be a name for the same machine)."""
    base, bound = urlsplit(base_url), urlsplit(address)
    default = 443 if base.scheme == "https" else 80
    return base.scheme == bound.scheme and (base.port or default) == bound.port


def _why(error: OSError) -> str:
    """"Address already in use", without the socket module's "(while attempting to bind …)"."""
    return os.strerror(error.errno) if error.errno else str(error)
