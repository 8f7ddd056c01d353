"""MT that rides out ordinary faults, and never pays twice for the same answer.

Each test reproduces a finding of the fault-injection run (issue 14) against the fake
LibreTranslate on 127.0.0.1: a burst of 429 with Retry-After, 503 on every third request, a
provider killed in the middle of a document, answers that cannot be stored.
"""

from __future__ import annotations

import time

import pytest
from fakes.mt_server import FakeMTServer
from samples import build_simple_document

from contestflow.db import session_scope
from contestflow.db.session import get_engine, make_engine
from contestflow.translation.engine import translate_document
from contestflow.translation.errors import MTError
from contestflow.translation.mt import Dispatcher, MTPolicy, MTProvider, make_provider
from contestflow.translation.mt.cache import StoredAnswers

# The production policy, with short backoffs and a short breaker window so tests are quick.
QUICK = MTPolicy(connect_timeout=1.0, read_timeout=2.0, backoff_base=0.02, backoff_max=0.2,
                 breaker_window=0.3)


def provider(server: FakeMTServer, name: str = "libre") -> MTProvider:
    made = make_provider(name, url=server.url + ("/m" if name == "google" else ""))
    assert made is not None
    return made


def sentences(count: int) -> list[str]:
    return [f"Проект номер {i} поддержан жителями города." for i in range(count)]


def test_a_burst_of_twelve_429_is_waited_out_by_every_worker(fake_mt: FakeMTServer) -> None:
    """Issue 14: "failed for 27 of 27 segments" — the first 429s tripped the breaker."""
    fake_mt.retry_after = "1"
    fake_mt.plan(*["429"] * 12)
    started = time.monotonic()
    report = Dispatcher(provider(fake_mt), "ru", "en").translate(sentences(27))
    assert not report.failures and len(report.translations) == 27
    assert time.monotonic() - started >= 1.0
    refusals = [at for at, behaviour in fake_mt.timeline if behaviour == "429"]
    assert len(refusals) == 12
    # Shared: once one worker is told to wait, no worker sends until the second has passed
    # (requests already on their way may still arrive just after the refusal).
    for refused in refusals:
        assert not [at for at, _ in fake_mt.timeline if refused + 0.15 < at < refused + 0.9]


def test_503_on_every_third_request_finishes(fake_mt: FakeMTServer) -> None:
    """Issue 14: one segment used up its three attempts and failed the run every time."""
    fake_mt.every(3, "503")
    policy = MTPolicy(backoff_base=0.02, backoff_max=0.2)  # the production attempts, breaker
    report = Dispatcher(provider(fake_mt), "ru", "en", policy).translate(sentences(90))
    assert not report.failures and len(report.translations) == 90
    assert sum(1 for _, behaviour in fake_mt.timeline if behaviour == "503") >= 30


def test_a_text_the_provider_never_answers_gives_up_in_bounded_time(
        fake_mt: FakeMTServer) -> None:
    fake_mt.default = "500"
    started = time.monotonic()
    report = Dispatcher(provider(fake_mt), "ru", "en", QUICK).translate(sentences(20))
    assert len(report.failures) == 20
    assert "answered HTTP 500" in report.explain()
    assert fake_mt.total_requests < 20 * QUICK.attempts
    assert time.monotonic() - started < 3


def test_a_pause_longer_than_the_time_budget_fails_at_once(fake_mt: FakeMTServer) -> None:
    fake_mt.default, fake_mt.retry_after = "429", "3600"
    started = time.monotonic()
    report = Dispatcher(provider(fake_mt), "ru", "en", MTPolicy(deadline=60)).translate(
        sentences(3))
    assert len(report.failures) == 3
    assert "asked to wait 3600 s" in report.explain()
    assert time.monotonic() - started < 3


def test_429_without_retry_after_backs_off_until_the_time_budget(
        fake_mt: FakeMTServer) -> None:
    fake_mt.default, fake_mt.retry_after = "429", ""
    policy = MTPolicy(deadline=1.0, backoff_base=0.05, backoff_max=0.2)
    started = time.monotonic()
    report = Dispatcher(provider(fake_mt), "ru", "en", policy).translate(sentences(2))
    assert len(report.failures) == 2
    assert "time limit reached" in report.explain() and "429" in report.explain()
    assert 1.0 <= time.monotonic() - started < 3


@pytest.mark.parametrize("retry_after", ["0", "-5", "Wed, 21 Oct 2015 07:28:00 GMT", "soon"])
def test_a_provider_that_refuses_without_a_usable_pause_is_not_hammered(
        fake_mt: FakeMTServer, retry_after: str) -> None:
    fake_mt.default, fake_mt.retry_after = "429", retry_after
    policy = MTPolicy(deadline=1.0, backoff_base=0.1, backoff_max=0.2)
    report = Dispatcher(provider(fake_mt), "ru", "en", policy).translate(sentences(2))
    assert len(report.failures) == 2 and "429" in report.explain()
    assert fake_mt.total_requests <= 2 * (1.0 / policy.backoff_base + 2)


def test_a_provider_killed_mid_document_then_a_rerun_sends_only_the_rest(
        database_url: str, fake_mt: FakeMTServer) -> None:
    """Issue 14: the provider died at request 300 of 685 and the rerun sent all 685."""
    source = build_simple_document(sentences(40))
    fake_mt.die_after(15)
    with session_scope(read_only=True) as session, pytest.raises(MTError) as stopped:
        translate_document(session, source, source_lang="ru", target_lang="en",
                           provider=provider(fake_mt), policy=QUICK)
    assert "segments translated and kept: 15 of 40" in str(stopped.value)
    assert "sends only the other 25" in str(stopped.value)
    answered = set(fake_mt.texts)
    assert len(answered) == 15
    with FakeMTServer() as again, session_scope(read_only=True) as session:
        outcome = translate_document(session, source, source_lang="ru", target_lang="en",
                                     provider=provider(again), policy=QUICK)
    assert again.total_requests == 25
    assert answered.isdisjoint(again.texts) and len(answered | set(again.texts)) == 40
    assert outcome.stats["mt_from_cache"] == 15
    assert outcome.stats["from_mt"] == 40 and outcome.stats["untranslated"] == 0


def test_only_real_answers_are_kept_and_only_for_their_provider(
        database_url: str, fake_mt: FakeMTServer) -> None:
    cache = StoredAnswers(get_engine())
    fake_mt.default = "garbage"
    first = Dispatcher(provider(fake_mt), "ru", "en", QUICK, cache=cache).translate(["Город."])
    assert first.failures and first.kept
    fake_mt.default = "ok"
    texts = ["Город.", "Форум."]
    second = Dispatcher(provider(fake_mt), "ru", "en", QUICK, cache=cache).translate(texts)
    assert second.requests == 2 and second.cached == 0
    third = Dispatcher(provider(fake_mt), "ru", "en", QUICK, cache=cache).translate(texts)
    assert third.requests == 0 and third.cached == 2
    assert third.translations == second.translations
    other_pair = Dispatcher(provider(fake_mt), "ru", "de", QUICK, cache=cache).translate(texts)
    other_provider = Dispatcher(provider(fake_mt, "google"), "ru", "en", QUICK,
                                cache=cache).translate(texts)
    assert other_pair.requests == other_provider.requests == 2


def test_a_split_text_is_kept_piece_by_piece(database_url: str, fake_mt: FakeMTServer) -> None:
    long_text = " ".join(sentences(12))
    mymemory = make_provider("mymemory", url=fake_mt.url + "/get")
    cache = StoredAnswers(get_engine())
    first = Dispatcher(mymemory, "ru", "en", QUICK, cache=cache).translate([long_text])
    assert first.requests > 1
    again = Dispatcher(mymemory, "ru", "en", QUICK, cache=cache).translate([long_text])
    assert again.requests == 0 and again.translations == first.translations


def test_answers_that_cannot_be_stored_do_not_stop_the_translation(
        workspace, fake_mt: FakeMTServer) -> None:
    unmigrated = make_engine(f"sqlite:///{workspace / 'no-tables.db'}")
    cache = StoredAnswers(unmigrated)
    report = Dispatcher(provider(fake_mt), "ru", "en", QUICK, cache=cache).translate(
        sentences(3))
    assert len(report.translations) == 3 and report.kept is False
    unmigrated.dispose()
