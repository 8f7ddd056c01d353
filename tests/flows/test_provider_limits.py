"""An MT provider's limit holds across processes: every request holds a slot of the
provider's Prefect global concurrency limit (tasks/limits.py), so three worker processes
translating at once never have more requests out than the limit allows.

Real parts: the session's Prefect API server (a process of its own), three Python processes
each running the dispatcher with its own threads, the fake LibreTranslate server counting how
many requests it holds at once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from contestflow.config import REPOSITORY_ROOT
from tests.fakes.mt_server import FakeMTServer

pytestmark = pytest.mark.flow

# One worker's flow run: its dispatcher sends its texts four at a time.
WORKER = """
import sys
from contestflow.translation.mt import Dispatcher, make_provider
from tasks.limits import hold_provider_limits
hold_provider_limits()
provider = make_provider("libre", url=sys.argv[1], concurrency=4)
texts = [f"Предложение {sys.argv[2]}-{number}." for number in range(int(sys.argv[3]))]
report = Dispatcher(provider, "ru", "en").translate(texts)
if report.failures:
    print(next(iter(report.failures.values())), file=sys.stderr)
    sys.exit(1)
"""

LIMIT = 2
PER_WORKER = 8


@pytest.fixture
def api_url(prefect_api: None) -> str:
    from prefect.settings import PREFECT_API_URL

    return str(PREFECT_API_URL.value())


@pytest.fixture
def libre_limit(api_url: str) -> Iterator[int]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate

    from tasks.limits import limit_name

    with get_client(sync_client=True) as client:
        client.create_global_concurrency_limit(
            GlobalConcurrencyLimitCreate(name=limit_name("libre"), limit=LIMIT))
    yield LIMIT
    with get_client(sync_client=True) as client:
        client.delete_global_concurrency_limit_by_name(limit_name("libre"))


def _workers(fake: FakeMTServer, api_url: str | None, count: int = 3) -> list[str]:
    """Run ``count`` worker processes at once; each one's error output (empty: succeeded)."""
    env = {**os.environ}
    env.pop("PREFECT_API_URL", None)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    processes = [subprocess.Popen(
        [sys.executable, "-c", WORKER, fake.url, str(number), str(PER_WORKER)],
        cwd=REPOSITORY_ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for number in range(count)]
    errors = []
    for process in processes:
        _, error = process.communicate(timeout=240)
        errors.append(error if process.returncode else "")
    return errors


def test_three_workers_never_exceed_the_providers_limit(
        libre_limit: int, api_url: str) -> None:
    with FakeMTServer(delay=0.3) as fake:
        errors = _workers(fake, api_url)
    assert errors == ["", "", ""]
    assert len(fake.texts) == 3 * PER_WORKER  # every text answered, none twice
    assert len(set(fake.texts)) == 3 * PER_WORKER
    assert fake.max_active == libre_limit  # the limit was reached, never passed


def test_without_a_server_each_process_keeps_only_its_own_bound() -> None:
    """The baseline the limit is measured against: the same three processes, no server."""
    with FakeMTServer(delay=0.3) as fake:
        errors = _workers(fake, None)
    assert errors == ["", "", ""]
    assert fake.max_active > LIMIT


def test_a_server_without_the_limit_refuses_rather_than_runs_unbounded(api_url: str) -> None:
    """No `contestflow deploy` yet: the requests fail, they do not go out unlimited."""
    with FakeMTServer(delay=0.0) as fake:
        errors = _workers(fake, api_url, count=1)
    assert "no concurrency limit 'mt-libre'" in errors[0]
    assert "run `contestflow deploy`" in errors[0]
    assert fake.texts == []


def test_a_slot_not_free_in_time_is_a_hiccup_to_retry(
        libre_limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every slot taken for longer than a request waits: the request fails the way a busy
    provider's does (retried by the dispatcher), not with Prefect's own error."""
    from contextlib import ExitStack

    from contestflow.translation.mt.base import RateLimited
    from tasks import limits

    monkeypatch.setattr(limits, "SLOT_WAIT_SECONDS", 1.0)
    with ExitStack() as taken:
        for _ in range(libre_limit):
            taken.enter_context(limits.provider_slot("libre"))
        with pytest.raises(RateLimited, match="no free slot of 'mt-libre'"), \
                limits.provider_slot("libre"):
            pass
    with limits.provider_slot("libre"):  # given back: free again
        pass
