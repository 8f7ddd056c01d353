"""The web app: only wiring. Routers live in ``routes/``, logic in the core."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contestflow.web.background import AdvanceRunner, Background, Job
from contestflow.web.deps import STATIC_DIR, intake_tmp_dir
from contestflow.web.errors import install_error_pages
from contestflow.web.routes import (
    contests,
    coordinator,
    favicon,
    intake,
    signin,
    submissions,
    translations,
)

logger = logging.getLogger("contestflow.web")
REMINDER_INTERVAL_SECONDS = 15 * 60
PENDING_INTERVAL_SECONDS = 30  # how soon an advance owed (and not queued) is paid
SECURITY_HEADERS = [
    # Scripts only from our own files. Inline styles are allowed because the results pages
    # carry a <style> block; a style cannot run code, a script can.
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # Upload links carry their token in the address: never leak it to another site.
    (b"referrer-policy", b"no-referrer"),
    (b"cache-control", b"no-store"),
]


class SecurityHeaders:
    """Adds the headers above to every response (pure ASGI: upload bodies stream untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def prepare_workspace() -> None:
    """Migrate the database and remove what killed processes left: half-received uploads
    (any age, unless an upload is in flight) and store files no row names (after a day)."""
    from contestflow.db import get_engine, session_scope
    from contestflow.store import get_store
    from contestflow.sweep import sweep_partial_uploads, sweep_unreferenced_blobs

    get_engine()
    sweep_partial_uploads(intake_tmp_dir())
    with session_scope(read_only=True) as session:
        sweep_unreferenced_blobs(session, get_store())


def create_app(*, advance: AdvanceRunner | None = None, deliver: Job | None = None,
               reminders: Job | None = None, schedule_reminders: bool = False,
               reminder_interval: float = REMINDER_INTERVAL_SECONDS,
               pending_interval: float | None = None) -> FastAPI:
    """The intake app. ``advance``/``deliver``/``reminders`` replace the background jobs
    (tests pass fakes); ``schedule_reminders`` runs the reminders on a timer in-process;
    ``pending_interval`` advances what the database says is owed at start and that often."""
    background = Background(advance, deliver, reminders,
                            reminder_interval if schedule_reminders else None, pending_interval)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(prepare_workspace)
        background.start_schedule()
        background.start_pending_sweep()
        yield
        background.shutdown(wait=False)

    app = FastAPI(title="contestflow", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.background = background
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, Any]:
        return {"ok": True}

    install_error_pages(app)
    app.include_router(signin.router)
    app.include_router(favicon.router)
    app.include_router(intake.router)
    app.include_router(coordinator.router)
    app.include_router(submissions.router)
    app.include_router(contests.router)
    app.include_router(translations.router)
    _include_results(app)
    return app


def _include_results(app: FastAPI) -> None:
    """RESULTS ROUTER: contestflow/web/routes/results.py (another engineer's) plugs in here.

    Included when the module exists; an error inside it is not hidden.
    """
    if importlib.util.find_spec("contestflow.web.routes.results") is None:
        return
    from contestflow.web.routes import results

    app.include_router(results.router)
