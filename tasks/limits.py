"""Provider limits that hold across workers: each MT request holds a slot of the provider's
Prefect global concurrency limit (``mt-<provider>``, created by ``contestflow deploy``).

Only with a server: in-process there is one process, and the dispatcher's own concurrency and
pacing already bound it (a slot through the ephemeral API would cost a call per request).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

from contestflow.translation.mt.base import AuthFailed, RateLimited, Unreachable

# A request waits at most this long for a slot; a provider this busy is a hiccup to retry.
SLOT_WAIT_SECONDS = 120.0


def limit_name(provider: str) -> str:
    return f"mt-{provider}"


class LimitMissing(AuthFailed):
    """The server has no limit for the provider: no request to it may go out, on any worker,
    until an administrator creates it."""


@contextmanager
def provider_slot(provider: str) -> Iterator[None]:
    """One request's slot; what keeps it from one is told the dispatcher's way: a missing
    limit stops the document's requests, a busy or unreachable server is retried."""
    from prefect.concurrency.asyncio import (
        AcquireConcurrencySlotTimeoutError,
        ConcurrencySlotAcquisitionError,
    )
    from prefect.concurrency.sync import concurrency

    name = limit_name(provider)
    with contextlib.ExitStack() as held:
        try:
            # strict: a limit that does not exist (no `contestflow deploy` yet) must not pass
            # for one.
            held.enter_context(concurrency(name, occupy=1, timeout_seconds=SLOT_WAIT_SECONDS,
                                           strict=True))
        except AcquireConcurrencySlotTimeoutError as error:
            raise RateLimited(f"no free slot of {name!r} in {SLOT_WAIT_SECONDS:.0f} s") from error
        except ConcurrencySlotAcquisitionError as error:
            if "must be created" in str(error):
                raise LimitMissing(
                    f"the Prefect server has no concurrency limit {name!r} for this provider, "
                    "so no request was sent: run `contestflow deploy` to create it") from error
            raise Unreachable(f"the Prefect server gave no slot of {name!r}: {error}") from error
        yield


def hold_provider_limits() -> None:
    """On a server (PREFECT_API_URL set), every MT request of this process holds a slot."""
    if not os.environ.get("PREFECT_API_URL"):
        return
    from contestflow.translation.mt.dispatch import hold_requests_with

    hold_requests_with(provider_slot)
