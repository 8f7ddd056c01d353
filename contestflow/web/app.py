"""The web app: only wiring. Routers live in ``routes/``, logic in the core."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import importlib.util
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.staticfiles import StaticFiles

from contestflow.config import Settings, get_settings
from contestflow.web.background import AdvanceRunner, Background, Job
from contestflow.web.deps import STATIC_DIR, ids_in_range, intake_tmp_dir
from contestflow.web.errors import install_error_pages
from contestflow.web.guessing import GuessGuard
from contestflow.web.headers import SecurityHeaders
from contestflow.web.routes import (
    contests,
    coordinator,
    favicon,
    intake,
    phases,
    signin,
    submissions,
    translations,
)

logger = logging.getLogger("contestflow.web")
REMINDER_INTERVAL_SECONDS = 15 * 60
REFUSAL_COUNTS_EVERY_SECONDS = 30
PENDING_INTERVAL_SECONDS = 30  # how soon an advance owed (and not queued) is paid


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


def server_announcer(settings: Settings) -> AdvanceRunner | None:
    """With a Prefect server, what tells it a submission is owed a run (an event)."""
    from flows.executor import on_server

    if not on_server(settings):
        return None
    from contestflow.config import prepare_prefect_environment
    from flows.events import announce

    prepare_prefect_environment(settings)
    return announce


def create_app(*, advance: AdvanceRunner | None = None, deliver: Job | None = None,
               reminders: Job | None = None, schedule_reminders: bool = False,
               reminder_interval: float = REMINDER_INTERVAL_SECONDS,
               pending_interval: float | None = None) -> FastAPI:
    """The intake app. ``advance``/``deliver``/``reminders`` replace the background jobs
    (tests pass fakes); ``schedule_reminders`` runs the reminders on a timer in-process;
    ``pending_interval`` advances what the database says is owed at start and that often."""
    settings = get_settings()  # a setting it refuses (a short production secret) stops it here
    background = Background(advance, deliver, reminders,
                            reminder_interval if schedule_reminders else None, pending_interval,
                            announce=server_announcer(settings) if advance is None else None)
    guard = GuessGuard()

    async def write_refusal_counts() -> None:
        while True:
            await asyncio.sleep(REFUSAL_COUNTS_EVERY_SECONDS)
            try:
                await run_in_threadpool(guard.flush)
            except Exception:  # a busy database: the counts wait for the next round
                logger.exception("could not write the refusal counts to the audit log")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(prepare_workspace)
        background.start_schedule()
        counting = asyncio.create_task(write_refusal_counts())
        background.start_pending_sweep()
        yield
        counting.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await counting
        await run_in_threadpool(functools.partial(guard.flush, everything=True))
        background.shutdown(wait=False)

    # redirect_slashes=False: Starlette's own redirect takes its host from the Host header;
    # errors.py redirects to the relative path instead.
    app = FastAPI(title="contestflow", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None, redirect_slashes=False,
                  dependencies=[Depends(ids_in_range)])
    app.state.background = background
    app.state.guard = guard
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
    app.include_router(phases.router)
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
