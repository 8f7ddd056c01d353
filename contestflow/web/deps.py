"""What routes share: templates, the page language, refusals as pages or JSON, the coordinator.

Written to read like prose in a route signature: ``lang: Language``, ``csrf: Coordinator``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.templating import Jinja2Templates

from contestflow.config import get_settings
from contestflow.intake.errors import IntakeError
from contestflow.web.i18n import (
    LANG_COOKIE,
    LANGUAGE_NAMES,
    date_text,
    human_size,
    pick_language,
    translator,
)
from contestflow.web.sessions import read_coordinator_session

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"
templates = Jinja2Templates(directory=str(TEMPLATES_DIR))

Language = Annotated[str, Depends(pick_language)]


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "")


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> Response:
    """Render ``name`` in the request's language; remember an explicit ``?lang=`` choice."""
    lang = pick_language(request)
    other = "en" if lang == "ru" else "ru"
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in ("lang", "token")]
    switch = "?" + urlencode([*query, ("lang", other)])
    response = templates.TemplateResponse(request, name, {
        "lang": lang, "t": translator(lang), "switch_url": switch,
        "size": lambda n: human_size(n, lang), "date": lambda d: date_text(d, lang),
        "language_name": lambda code: LANGUAGE_NAMES[lang].get(code, code), **context,
    }, status_code=status)
    if request.query_params.get("lang") in ("ru", "en"):
        response.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="lax", path="/")
    return response


def refusal_response(request: Request, refusal: IntakeError, *, back: str | None = None
                     ) -> Response:
    """A refusal as ``{"error": ...}`` for scripts and the upload page, or as a page."""
    lang = pick_language(request)
    if wants_json(request):
        return JSONResponse({"error": refusal.message(lang), "code": refusal.code},
                            status_code=refusal.status)
    title = "no_access" if refusal.status in (401, 403, 404) else "refused"
    return render(request, "message.html", {"title_key": title, "message": refusal.message(lang),
                                            "back": back}, status=refusal.status)


def require_coordinator(request: Request) -> str:
    """The coordinator session's CSRF token; 401 without a session (log in via the link that
    ``contestflow serve`` prints, or ``contestflow intake coordinator-link``)."""
    csrf = read_coordinator_session(request)
    if csrf is None:
        raise HTTPException(status_code=401, detail="coordinator login required")
    return csrf


Coordinator = Annotated[str, Depends(require_coordinator)]


def intake_tmp_dir() -> Path:
    """Where uploads land while they stream: inside the workspace, on the store's filesystem."""
    directory = get_settings().home / "intake-tmp"
    directory.mkdir(parents=True, exist_ok=True)
    return directory
