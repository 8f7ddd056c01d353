"""Provider limits that hold across workers: each MT request holds a slot of the provider's
Prefect global concurrency limit (``mt-<provider>``, created by ``contestflow deploy``).

Only with a server: in-process there is one process, and the dispatcher's own concurrency and
pacing already bound it (a slot through the ephemeral API would cost a call per request).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

# A request waits at most this long for a slot; a provider this busy is a hiccup to retry.
SLOT_WAIT_SECONDS = 120.0


def limit_name(provider: str) -> str:
    return f"mt-{provider}"


@contextmanager
def provider_slot(provider: str) -> Iterator[None]:
    from prefect.concurrency.sync import concurrency

    # strict: a limit that does not exist (no `contestflow deploy` yet) must not pass for one.
    with concurrency(limit_name(provider), occupy=1, timeout_seconds=SLOT_WAIT_SECONDS,
                     strict=True):
        yield


def hold_provider_limits() -> None:
    """On a server (PREFECT_API_URL set), every MT request of this process holds a slot."""
    if not os.environ.get("PREFECT_API_URL"):
        return
    from contestflow.translation.mt.dispatch import hold_requests_with

    hold_requests_with(provider_slot)
