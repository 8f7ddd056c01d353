"""Refusals as pages for people and as JSON for scripts: 401, 403, 404, 429, a form that is
not complete and a 500 each say, in the page's language, what to do next."""

from __future__ import annotations

import logging

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Match

from contestflow.errors import said_in
from contestflow.i18n import tr
from contestflow.web.deps import render, wants_json
from contestflow.web.guessing import TooManyGuesses
from contestflow.web.headers import with_security_headers
from contestflow.web.i18n import pick_language

logger = logging.getLogger("contestflow.web")


def _is_script(request: Request) -> bool:
    return wants_json(request) or request.url.path.startswith("/api/")


def _page(request: Request, status: int, cause: BaseException | None) -> Response:
    lang = pick_language(request)
    back = "/coordinator"
    if cause is not None:
        title = tr(lang, "Page not found") if status == 404 else tr(lang, "Not done")
        message = said_in(lang, cause)
    elif status == 401:
        title = tr(lang, "Sign in to continue")
        message = tr(lang, "Your session has ended or you have not signed in yet. Sign in "
                           "with your login and password, and the page will open.")
        back = f"/login?next={request.url.path}"
    elif status == 403:
        title = tr(lang, "No access")
        message = tr(lang, "Your account's role does not allow this action. Ask the "
                           "coordinator if you need it.")
    elif status == 404:
        title = tr(lang, "Page not found")
        message = tr(lang, "There is no such page: the address may be mistyped, or what it "
                           "pointed to was removed. Start again from the list of submissions.")
    else:
        title = tr(lang, "The request was not done")
        message = tr(lang, "Something in the request was not right. Go back and try again.")
    return render(request, "message.html", {"title": title, "message": message,
                                            "back": back, "back_label": _back_label(lang,
                                                                                     status)},
                  status=status)


def _back_label(lang: str, status: int) -> str:
    return tr(lang, "Sign in") if status == 401 else tr(lang, "To the list of submissions")


def _without_slash(request: Request) -> str | None:
    """``/coordinator/`` → ``/coordinator`` when that is a page here: a relative address,
    never one built from the Host header (which the client chooses)."""
    path = request.url.path
    stripped = path.rstrip("/")
    if path == stripped or not stripped or stripped.startswith(("//", "/\\")):
        return None
    scope = {**request.scope, "path": stripped}
    if not any(route.matches(scope)[0] == Match.FULL for route in request.app.router.routes):
        return None
    query = request.url.query
    return stripped + (f"?{query}" if query else "")


def _too_many(request: Request, error: TooManyGuesses) -> Response:
    lang = pick_language(request)
    message = tr(lang, "Too many wrong links or passwords came from your address. Wait "
                       "%(seconds)s seconds and try again; if you keep seeing this, ask the "
                       "coordinator for a new link.", seconds=error.retry_after)
    headers = {"Retry-After": str(error.retry_after)}
    if _is_script(request):
        return JSONResponse({"error": message, "code": "rate_limited",
                             "retry_after": error.retry_after}, status_code=429,
                            headers=headers)
    response = render(request, "message.html", {
        "title": tr(lang, "Too many attempts"), "message": message, "back": None}, status=429)
    response.headers.update(headers)
    return response


def _server_error(request: Request, error: Exception) -> Response:
    """The 500 page. Starlette sends it from outside every middleware, so it carries the
    security headers itself; the error goes to the log, not to the page."""
    lang = pick_language(request)
    title = tr(lang, "Something went wrong on the server")
    message = tr(lang, "The request was not done because of an error on the server; it is in "
                       "the server's log. Try again in a minute; if it happens again, tell the "
                       "administrator the time it happened.")
    if _is_script(request):
        response: Response = JSONResponse({"error": message, "code": "server_error"},
                                          status_code=500)
    else:
        try:
            response = render(request, "message.html", {"title": title, "message": message,
                                                        "back": "/coordinator"}, status=500)
        except Exception:  # the templates themselves failed: a plain sentence still goes out
            response = Response(f"{title}. {message}", status_code=500,
                                media_type="text/plain; charset=utf-8")
    response.raw_headers = with_security_headers(list(response.raw_headers))
    return response



def install_database_fault_pages(app: FastAPI) -> None:
    """A database that is down, full or silent (or a full disk under the store) answers 503
    (507 when full) in one sentence: JSON to a script, a page in the person's language to a
    browser; audited when the database can still take the line."""
    from sqlalchemy.exc import SQLAlchemyError

    from contestflow.db.faults import DatabaseUnavailable, database_fault

    async def fault_page(request: Request, error: Exception) -> Response:
        fault = database_fault(error)
        if fault is None:
            raise error
        await run_in_threadpool(_audit_fault, request, fault)
        status = 507 if fault.kind == "full" else 503
        lang = pick_language(request)
        if _is_script(request):
            return JSONResponse({"error": f"database_{fault.kind}", "detail": str(fault),
                                 "message": fault.message_in(lang)}, status_code=status)
        return render(request, "message.html", {
            "title": tr(lang, "Not done"), "message": fault.message_in(lang),
            "back": request.url.path, "back_label": tr(lang, "Back")}, status=status)

    for kind in (SQLAlchemyError, DatabaseUnavailable, OSError):
        app.add_exception_handler(kind, fault_page)


def _audit_fault(request: Request, fault: Exception) -> None:
    """Write the fault to the audit log when the database still answers (a full store disk,
    a busy or refusing database); a silent or unreachable one would only be waited on again."""
    from contestflow.audit import record_event
    from contestflow.db import session_scope

    if getattr(fault, "kind", "") in ("timeout", "unreachable"):
        return
    try:
        with session_scope() as session:
            record_event(session, actor="web", action="database.fault", subject_type="request",
                         subject_id=request.url.path[:200], kind=getattr(fault, "kind", ""),
                         message=str(fault)[:500])
    except Exception:  # the line is a courtesy: the person's answer must not wait for it
        logger.warning("could not audit a database fault: %s", fault)


def install_error_pages(app: FastAPI) -> None:
    app.add_exception_handler(TooManyGuesses, _too_many)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _server_error)
    install_database_fault_pages(app)
    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code == 404 and (target := _without_slash(request)) is not None:
            return RedirectResponse(target, status_code=307)
        if _is_script(request):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code,
                                headers=getattr(error, "headers", None))
        return _page(request, error.status_code, getattr(error, "cause", None))

    @app.exception_handler(RequestValidationError)
    async def incomplete_form(request: Request, error: RequestValidationError) -> Response:
        if _is_script(request):
            return JSONResponse({"detail": error.errors()}, status_code=422)
        lang = pick_language(request)
        return render(request, "message.html", {
            "title": tr(lang, "The form is not complete"),
            "message": tr(lang, "A field the form needs is empty or holds something it cannot "
                                "take. Go back, check the fields and send the form again."),
            "back": "/coordinator",
            "back_label": tr(lang, "Back")}, status=422)
