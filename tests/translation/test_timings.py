"""Where a run's time goes (the engine's own phase timers, read by ``make bench``), and the
HTTP details that decide how fast MT answers arrive: real HTTP to the fake service, a real
database, a real .docx."""

from __future__ import annotations

import time

import pytest
from fakes.mt_server import FakeMTServer
from samples import build_simple_document

from contestflow.db.session import session_scope
from contestflow.translation.engine import translate_document
from contestflow.translation.glossary import seed_glossary
from contestflow.translation.mt import Dispatcher, MTPolicy, MTReport, make_provider
from contestflow.translation.timing import PHASES, Timings

FAST = MTPolicy(read_timeout=1.0, connect_timeout=1.0, backoff_base=0.02, backoff_max=0.1,
                attempts=1)
PARAGRAPHS = [f"В {2000 + i} году город провёл фестиваль. Участников было {i * 10}."
              for i in range(12)]


def test_the_engine_times_each_phase_of_a_run(sqlite_url: str, fake_mt: FakeMTServer) -> None:
    fake_mt.delay = 0.05
    provider = make_provider("libre", url=fake_mt.url, concurrency=1)
    with session_scope(sqlite_url) as session:
        seed_glossary(session)
        started = time.perf_counter()
        outcome = translate_document(session, build_simple_document(PARAGRAPHS),
                                     source_lang="ru", target_lang="en", provider=provider,
                                     persist=True, policy=FAST)
        elapsed = time.perf_counter() - started
    seconds = outcome.timings.seconds
    assert [name for name, _ in outcome.timings.ordered()] == list(PHASES)
    assert all(value >= 0 for value in seconds.values()), seconds
    assert outcome.timings.total <= elapsed
    # 24 distinct sentences, one at a time, 50 ms each: MT is most of the run, and the
    # timers account for most of it (what they leave out, the benchmark prints as "other").
    assert seconds["MT"] >= 24 * 0.05
    assert seconds["MT"] > sum(v for k, v in seconds.items() if k != "MT")
    assert outcome.timings.total > 0.75 * elapsed


def test_without_storing_there_is_no_storing_phase(sqlite_url: str) -> None:
    with session_scope(sqlite_url) as session:
        outcome = translate_document(session, build_simple_document(PARAGRAPHS[:2]),
                                     source_lang="ru", target_lang="en", provider=None)
    assert "storing" not in outcome.timings.seconds
    assert outcome.timings.seconds["segmenting"] > 0


def test_a_phase_moved_out_of_another_keeps_the_total() -> None:
    timings = Timings()
    timings.add("reading", 2.0)
    timings.take("segmenting", 0.5, "reading")
    timings.add("later", 1.0)
    assert timings.seconds == {"reading": 1.5, "segmenting": 0.5, "later": 1.0}
    assert timings.total == 3.0
    assert timings.ordered()[-1] == ("later", 1.0)  # an unknown phase comes last


def test_requests_on_a_kept_alive_connection_do_not_stall(fake_mt: FakeMTServer) -> None:
    """One connection, one request after another: each answer arrives at once, not after
    the 40 ms a delayed acknowledgement costs when the server holds back its second write
    (which made a 3,000-paragraph report a second and a half slower)."""
    provider = make_provider("libre", url=fake_mt.url, concurrency=1)
    assert provider is not None
    texts = [f"Проект номер {i}." for i in range(50)]
    started = time.perf_counter()
    report = Dispatcher(provider, "ru", "en", FAST).translate(texts)
    elapsed = time.perf_counter() - started
    assert len(report.translations) == 50
    assert elapsed < 50 * 0.04 / 2, elapsed


def test_the_proxy_settings_of_the_environment_still_apply(
        fake_mt: FakeMTServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The environment is read once per address instead of once per request, but it is
    still read: a proxy nobody answers on fails the request, and ``no_proxy`` bypasses it."""
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    failed = _translate_one(fake_mt)
    assert "unreachable" in failed.explain() and not failed.translations
    assert fake_mt.total_requests == 0
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert _translate_one(fake_mt).translations == {"Город.": "City."}
    assert fake_mt.total_requests == 1


def _translate_one(server: FakeMTServer) -> MTReport:
    provider = make_provider("libre", url=server.url)
    assert provider is not None
    return Dispatcher(provider, "ru", "en", FAST).translate(["Город."])
