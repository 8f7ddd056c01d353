"""Guessing costs time: wrong tokens, login links and passwords are limited per client address.

Each refusal of a link, a session or a password from one address spends one of its attempts
(``CONTESTFLOW_GUESS_LIMIT``, 30 a minute unless set; a moving window, counted in memory by
the ``limits`` library). Once they are spent, every token or login request from that address
is answered 429 with Retry-After until the window moves on, right token or not, so a guesser
learns nothing more. A person who mistypes a password twice never notices.

The audit log gets one row per address and minute with the count of each refusal, not a row
per request: a guesser cannot grow the database. Rows are written when the minute is over,
at the next refusal or within half a minute (``App.lifespan``), and when the server stops.
Counts live in the process: with several server processes each counts its own.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from collections import Counter

from limits import parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.exceptions import HTTPException
from starlette.requests import Request

from contestflow.audit import record_event
from contestflow.config import get_settings
from contestflow.db import session_scope

COUNTED = "access.refusals_counted"
RATE_LIMITED = "rate_limited"


class TooManyGuesses(HTTPException):
    """Too many refusals from this address: try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(status_code=429, detail="too many attempts from this address",
                         headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


def client_address(request: Request) -> str:
    """The client's address (uvicorn gives a trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


def _minute(moment: float) -> str:
    return dt.datetime.fromtimestamp(moment, dt.UTC).strftime("%Y-%m-%dT%H:%MZ")


class GuessGuard:
    """One app's attempts per address, and its refusals still to be written to the audit log."""

    def __init__(self, limit: str | None = None) -> None:
        self.limit = parse(limit or get_settings().guess_limit)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._counts: dict[tuple[str, str], Counter[str]] = {}
        self._lock = threading.Lock()

    def check(self, request: Request) -> None:
        """Raise ``TooManyGuesses`` if this address has spent its attempts."""
        address = client_address(request)
        if self._limiter.test(self.limit, address):
            return
        reset_at = self._limiter.get_window_stats(self.limit, address).reset_time
        self._count(address, RATE_LIMITED)
        raise TooManyGuesses(max(1, math.ceil(reset_at - time.time())))

    def missed(self, request: Request, code: str) -> None:
        """A refused token, link, session or password: one attempt spent, one refusal counted."""
        address = client_address(request)
        self._limiter.hit(self.limit, address)
        self._count(address, code)

    def _count(self, address: str, code: str) -> None:
        now = time.time()
        with self._lock:
            self._counts.setdefault((address, _minute(now)), Counter())[code] += 1
            finished = any(minute != _minute(now) for _, minute in self._counts)
        if finished:
            self.flush()

    def flush(self, *, everything: bool = False) -> int:
        """Write one audit row per address and finished minute (``everything``: the current
        minute too, at shutdown); how many rows."""
        current = _minute(time.time())
        with self._lock:
            done = {key: codes for key, codes in self._counts.items()
                    if everything or key[1] != current}
            for key in done:
                del self._counts[key]
        if not done:
            return 0
        with session_scope() as session:
            for (address, minute), codes in sorted(done.items()):
                record_event(session, actor=f"address:{address}", action=COUNTED,
                             subject_type="address", subject_id=address[:64], minute=minute,
                             count=sum(codes.values()), codes=dict(codes))
        return len(done)


def guard(request: Request) -> GuessGuard:
    return request.app.state.guard  # type: ignore[no-any-return]
