"""HTTP for the providers: a timeout on every call, keep-alive, and one error vocabulary.

deep-translator calls ``requests.get``/``requests.post`` without a timeout and without a
session, and catches the built-in ``ConnectionError`` (which requests never raises). We put a
stand-in for the ``requests`` module into its provider modules. While one of our adapters is
calling (:func:`calling`), the stand-in adds the timeout, uses a per-thread keep-alive session,
and turns transport failures, 429 and 5xx into our errors before deep-translator sees them.
Outside such a call it behaves exactly like ``requests``, so other users of deep-translator
in the same process are unaffected.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

import requests

from contestflow.translation.mt.base import (
    AuthFailed,
    RateLimited,
    Rejected,
    ServerFailed,
    Unreachable,
)

_local = threading.local()


def _session() -> requests.Session:
    session = getattr(_local, "session", None)
    if session is None:
        session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=4, pool_maxsize=4,
                                                max_retries=0)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        # requests reads the environment (proxies, no_proxy, CA bundle, .netrc) again on
        # every request, a third of a request's CPU; ``_environment`` reads it once an address.
        session.trust_env = False
        _local.session = session
        _local.environment = {}
    return session


def _environment(url: str) -> dict[str, Any]:
    """What requests would take from the environment for ``url``, read once per address
    on this thread's session."""
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    settings: dict[str, Any] | None = _local.environment.get(origin)
    if settings is None:
        reader = requests.Session()
        merged = reader.merge_environment_settings(url, {}, None, None, None)
        reader.close()
        settings = {"proxies": merged["proxies"], "verify": merged["verify"],
                    "cert": merged["cert"]}
        auth = requests.utils.get_netrc_auth(url)
        if auth:
            settings["auth"] = auth
        _local.environment[origin] = settings
    return settings


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def request(method: str, url: str, *, timeout: tuple[float, float], label: str,
            **kwargs: Any) -> requests.Response:
    """One HTTP request with a timeout; raises our errors for transport failures and codes."""
    session = _session()
    try:
        response = session.request(method, url, timeout=timeout,
                                   **{**_environment(url), **kwargs})
    except requests.Timeout:
        raise Unreachable(f"{label} did not answer within {timeout[1]:g} s") from None
    except requests.ConnectionError as error:
        raise Unreachable(f"{label} is unreachable: {_reason(error)}") from None
    except requests.RequestException as error:
        raise Unreachable(f"{label} request failed: {_reason(error)}") from None
    check_status(response, label)
    return response


def check_status(response: requests.Response, label: str) -> None:
    status = response.status_code
    if status == 429:
        raise RateLimited(f"{label} answered 429 (too many requests)",
                          parse_retry_after(response.headers.get("Retry-After")))
    if status >= 500:
        raise ServerFailed(f"{label} answered HTTP {status}",
                           parse_retry_after(response.headers.get("Retry-After")))
    if status in (401, 403):
        raise AuthFailed(f"{label} refused the API key (HTTP {status})")
    if status >= 400:
        raise Rejected(f"{label} refused the request (HTTP {status})")


def _reason(error: Exception) -> str:
    text = str(error)
    for marker in ("Connection refused", "Name or service not known", "timed out",
                   "Remote end closed connection", "Connection reset", "Connection aborted"):
        if marker in text:
            return marker.lower()
    return type(error).__name__


class _RequestsStandIn:
    """Replaces the ``requests`` name inside deep-translator's provider modules."""

    exceptions = requests.exceptions

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self._call("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self._call("POST", url, **kwargs)

    def _call(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        current = getattr(_local, "call", None)
        if current is None:
            return requests.request(method, url, **kwargs)
        kwargs.pop("timeout", None)
        if not kwargs.get("proxies"):
            kwargs.pop("proxies", None)
        timeout, label = current
        return request(method, url, timeout=timeout, label=label, **kwargs)


STAND_IN = _RequestsStandIn()
_installed = False
_install_lock = threading.Lock()


def install() -> None:
    """Put the stand-in into deep-translator's modules (idempotent)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        from deep_translator import google, libre, microsoft, mymemory

        for module in (google, libre, microsoft, mymemory):
            module.requests = STAND_IN  # type: ignore[attr-defined]
        _installed = True


@contextmanager
def calling(timeout: tuple[float, float], label: str) -> Iterator[None]:
    """Within this block, deep-translator's HTTP calls on this thread go through us."""
    install()
    _local.call = (timeout, label)
    try:
        yield
    finally:
        _local.call = None
