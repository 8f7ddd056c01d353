"""Send texts to a provider: once each, split to its limit, concurrently, with care.

* a text the provider already answered (in this run or an earlier one) is taken from the
  stored answers (:class:`AnswerCache`) and not sent again; every new answer is stored as
  it arrives, so a run that fails half-way has paid for its first half only once;
* identical texts are sent once; a text over the provider's limit is cut at sentence (then
  word) boundaries and the pieces joined back;
* requests run on a thread pool no wider than the provider's concurrency;
* 429 is the provider asking for a pause, not a failure: every worker of that provider waits
  out its Retry-After (or a backoff), it uses no attempt and never counts toward the breaker;
* 5xx, timeouts and dropped connections are retried with full-jitter exponential backoff, all
  within the run's time budget (``deadline``); a request gives up after ``attempts`` failures
  in a row while no other request got an answer either;
* the circuit breaker opens only on sustained failure: ``breaker_threshold`` failures in a
  row spread over at least ``breaker_window`` seconds (one concurrent burst is not enough),
  so a provider that is really gone ends the run quickly; a fallback provider then takes the
  texts that failed;
* ``terms`` (the glossary terms of each text) go with every request, for the providers that
  read them; ``on_batch`` hears, once per batch and in the caller's thread, how many texts
  are answered and how many failed so far;
* every request is sent inside the provider's request slot (:func:`hold_requests_with`): by
  default none, on a Prefect server a global concurrency limit that all workers share.
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Protocol

from contestflow.translation.mt.base import (
    CircuitOpen,
    MTProvider,
    ProviderError,
    RateLimited,
    TermNote,
)
from contestflow.translation.segment import sentence_spans

RequestSlot = Callable[[str], AbstractContextManager[object]]
"""Given a provider's name, what a request to it holds while it is out (one slot)."""
_request_slot: RequestSlot = lambda _provider: contextlib.nullcontext()  # noqa: E731


def hold_requests_with(slot: RequestSlot) -> None:
    """Make every later request of this process hold ``slot(provider_name)`` while it is out.

    The orchestration layer sets it (the core imports no Prefect): one limit per provider for
    all processes on all hosts, on top of each document's own concurrency and pacing.
    """
    global _request_slot
    _request_slot = slot


HICCUP_ALLOWANCE = 4
"""A request gives up after ``attempts`` failures in a row, or this many times ``attempts``
failures in all however the provider fares meanwhile (a text it can never translate)."""


@dataclass
class MTPolicy:
    """How patiently one document's texts are sent. ``deadline`` is the document's time
    budget in seconds: every wait and retry fits in it, and what is left undone then fails."""

    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    attempts: int = 8
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 30.0
    breaker_threshold: int = 8
    breaker_window: float = 10.0
    breaker_cooldown: float = 30.0
    deadline: float = 600.0
    rate_per_second: float | None = None


class AnswerCache(Protocol):
    """Where a provider's answers are kept, by provider, language pair and exact text sent."""

    def known(self, provider: str, source: str, target: str, texts: list[str]
              ) -> dict[str, str]:
        """The stored answers among ``texts``."""

    def keep(self, provider: str, source: str, target: str, answers: dict[str, str]) -> None:
        """Store new answers; may return before they are written (see ``flush``)."""

    def flush(self) -> bool:
        """Write what ``keep`` queued; False if any answer could not be stored."""


@dataclass
class MTReport:
    translations: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    providers: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    attempts: int = 0
    cached: int = 0
    kept: bool = False
    fatal: str | None = None
    cause: str | None = None
    rate_limited: str | None = None

    def explain(self) -> str:
        """One line on why texts failed: the first real cause, not the breaker's echo."""
        return self.fatal or self.cause or next(iter(self.failures.values()), "")


class CircuitBreaker:
    """Opens after ``threshold`` failures in a row spanning at least ``window`` seconds.

    The window is what keeps a burst from tripping it: eight workers that fail together in
    the same second are one bad moment, not a dead provider. Any success closes it again.
    """

    def __init__(self, threshold: int, cooldown: float, window: float = 0.0) -> None:
        self.threshold, self.cooldown, self.window = threshold, cooldown, window
        self._failures = 0
        self._first_failure: float | None = None
        self._opened_at: float | None = None
        self._lock = threading.Lock()
        self._tripped = threading.Event()
        self.successes = 0

    def check(self, label: str) -> None:
        with self._lock:
            if self._opened_at is None:
                return
            if time.monotonic() - self._opened_at >= self.cooldown:
                self._opened_at = None  # half-open: let one request through
                self._failures = self.threshold - 1
                self._tripped.clear()
                return
        raise CircuitOpen(f"{label} kept failing for {self.window:g} s; not asking again")

    def success(self) -> None:
        with self._lock:
            self._failures, self._first_failure, self._opened_at = 0, None, None
            self._tripped.clear()
            self.successes += 1

    def failure(self) -> None:
        with self._lock:
            now = time.monotonic()
            self._failures += 1
            if self._first_failure is None:
                self._first_failure = now
            sustained = now - self._first_failure >= self.window
            if self._failures >= self.threshold and sustained and self._opened_at is None:
                self._opened_at = now
                self._tripped.set()

    def sleep(self, seconds: float) -> None:
        """Sleep, but wake as soon as the breaker opens: a backoff must not delay the end
        of a run whose provider is gone."""
        if seconds > 0:
            self._tripped.wait(seconds)

    @property
    def open(self) -> bool:
        return self._opened_at is not None


class _Pacer:
    """Shared waits of one provider: Retry-After pauses and an optional token bucket."""

    def __init__(self, rate: float | None) -> None:
        self._lock = threading.Lock()
        self._pause_until = 0.0
        self.told_until = 0.0  # the part of the pause the provider asked for (Retry-After)
        self._interval = 1.0 / rate if rate else 0.0
        self._next_slot = 0.0

    def pause(self, seconds: float, *, told: bool = False) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            self._pause_until = max(self._pause_until, until)
            if told:
                self.told_until = max(self.told_until, until)

    def wait(self, deadline: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._pause_until, self._next_slot)
            self._next_slot = start + self._interval
        delay = min(start, deadline) - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def split_text(text: str, limit: int, lang: str) -> list[str]:
    """Pieces of ``text`` no longer than ``limit``, cut at sentence, then word boundaries."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    for start, end in sentence_spans(text, lang) or [(0, len(text))]:
        sentence = text[start:end]
        while len(sentence) > limit:
            cut = max(sentence.rfind(" ", 0, limit), sentence.rfind(",", 0, limit) + 1)
            cut = cut if cut > limit // 3 else limit
            pieces.append(sentence[:cut].strip())
            sentence = sentence[cut:].strip()
        if pieces and len(pieces[-1]) + 1 + len(sentence) <= limit:
            pieces[-1] = f"{pieces[-1]} {sentence}"
        elif sentence:
            pieces.append(sentence)
    return pieces


class Dispatcher:
    """Translates many texts through one provider (and, failing that, a fallback)."""

    def __init__(self, provider: MTProvider, source: str, target: str,
                 policy: MTPolicy | None = None, fallback: Dispatcher | None = None,
                 cache: AnswerCache | None = None) -> None:
        self.provider, self.source, self.target = provider, source, target
        self.policy = policy or MTPolicy()
        self.fallback = fallback
        self.cache = cache
        self.breaker = CircuitBreaker(self.policy.breaker_threshold,
                                      self.policy.breaker_cooldown, self.policy.breaker_window)
        self._pacer = _Pacer(self.policy.rate_per_second)
        self._lock = threading.Lock()
        self._report = MTReport()
        self._terms: dict[str, Sequence[TermNote]] = {}  # by piece sent
        self._text_terms: dict[str, Sequence[TermNote]] = {}

    def translate(self, texts: list[str], *, deadline: float | None = None,
                  terms: Mapping[str, Sequence[TermNote]] | None = None,
                  on_batch: Callable[[int, int], None] | None = None) -> MTReport:
        """``terms``: the glossary terms of each text; ``on_batch(answered, failed)``: texts
        answered (stored answers included) and texts failed so far, after each batch."""
        deadline = deadline or time.monotonic() + self.policy.deadline
        self._report = MTReport()
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        pieces = {text: split_text(text, self.provider.max_chars, self.source) for text in unique}
        self._text_terms = dict(terms or {})
        self._terms = {p: notes for text, notes in self._text_terms.items()
                       for p in pieces.get(text, ())}
        chunks = list(dict.fromkeys(p for parts in pieces.values() for p in parts))
        done = self._known(chunks)
        self._report.cached = sum(1 for parts in pieces.values()
                                  if all(p in done for p in parts))
        size = self.provider.batch_size
        todo = [c for c in chunks if c not in done]
        batches = [todo[i : i + size] for i in range(0, len(todo), size)]
        failed: dict[str, str] = {}
        tally = _Tally(pieces, done, on_batch)
        try:
            with ThreadPoolExecutor(max_workers=self.provider.concurrency,
                                    thread_name_prefix=f"mt-{self.provider.name}") as pool:
                for batch, outcome in zip(batches, pool.map(
                        lambda b: self._run(b, deadline), batches), strict=True):
                    if isinstance(outcome, ProviderError):
                        failed.update(dict.fromkeys(batch, str(outcome)))
                        if outcome.fatal:
                            self._report.fatal = str(outcome)
                        tally.settle(batch, answered=False)
                    else:
                        done.update(zip(batch, outcome, strict=True))
                        tally.settle(batch, answered=True)
        finally:
            self._report.kept = self.cache is not None and self.cache.flush()
        self._assemble(pieces, done, failed)
        self._use_fallback(deadline)
        return self._report

    def _terms_of(self, texts: Mapping[str, str]) -> dict[str, Sequence[TermNote]]:
        return {text: self._text_terms[text] for text in texts if text in self._text_terms}

    def _known(self, chunks: list[str]) -> dict[str, str]:
        if self.cache is None or not chunks:
            return {}
        return self.cache.known(self.provider.name, self.source, self.target, chunks)

    def _assemble(self, pieces: dict[str, list[str]], done: dict[str, str],
                  failed: dict[str, str]) -> None:
        for text, parts in pieces.items():
            missing = [p for p in parts if p not in done]
            if missing:
                self._report.failures[text] = failed.get(missing[0], "not translated")
            else:
                self._report.translations[text] = " ".join(done[p] for p in parts)
                self._report.providers[text] = self.provider.name

    def _use_fallback(self, deadline: float) -> None:
        if self.fallback is None or not self._report.failures:
            return
        second = self.fallback.translate(list(self._report.failures), deadline=deadline,
                                         terms=self._terms_of(self._report.failures))
        self._report.requests += second.requests
        self._report.attempts += second.attempts
        self._report.cached += second.cached
        self._report.kept = self._report.kept and second.kept
        for text, value in second.translations.items():
            self._report.translations[text] = value
            self._report.providers[text] = second.providers[text]
            del self._report.failures[text]
        for text, reason in second.failures.items():
            self._report.failures[text] = f"{self._report.failures[text]}; fallback: {reason}"
        self._report.fatal = self._report.fatal if self._report.failures else None
        if second.cause and self._report.failures:
            self._report.cause = f"{self._report.cause}; fallback: {second.cause}"

    def _run(self, batch: list[str], deadline: float) -> list[str] | ProviderError:
        with self._lock:
            self._report.requests += 1
        failures = streak = 0
        seen = self.breaker.successes
        while True:
            try:
                self._may_send(deadline)
                with self._lock:
                    self._report.attempts += 1
                result = self._call(batch, deadline)
            except ProviderError as error:
                if isinstance(error, CircuitOpen) or error.fatal:
                    return error
                if isinstance(error, RateLimited):
                    self._pause(error)  # asked to wait: not a failure
                    continue
                with self._lock:
                    self._report.cause = self._report.cause or str(error)
                self.breaker.failure()
                # Failures while other requests get answers are the provider's hiccups
                # (503 on every third request), not this text's fault: the streak restarts.
                failures += 1
                streak = 1 if self.breaker.successes != seen else streak + 1
                seen = self.breaker.successes
                if (not error.retryable or streak >= self.policy.attempts
                        or failures >= self.policy.attempts * HICCUP_ALLOWANCE):
                    return error
                self._back_off(streak - 1, error, deadline)
                continue
            self.breaker.success()
            if self.cache is not None:
                self.cache.keep(self.provider.name, self.source, self.target,
                                dict(zip(batch, result, strict=True)))
            return result

    def _may_send(self, deadline: float) -> None:
        """Raises CircuitOpen when no request may go out now (breaker, time budget)."""
        label = self.provider.describe()
        self.breaker.check(label)
        wait = self._pacer.told_until - time.monotonic()
        if self._pacer.told_until > deadline and wait >= 1:  # a short one just runs out
            raise CircuitOpen(f"{label} asked to wait {wait:.0f} s, beyond the time limit "
                              f"({self.policy.deadline:g} s a document)")
        self._pacer.wait(deadline)
        if time.monotonic() >= deadline:
            last = f"; last answer: {self._report.rate_limited}" \
                if self._report.rate_limited else ""
            raise CircuitOpen(f"{label}: time limit reached "
                              f"({self.policy.deadline:g} s a document){last}")

    def _call(self, batch: list[str], deadline: float) -> list[str]:
        remaining = max(0.5, deadline - time.monotonic())
        timeout = (min(self.policy.connect_timeout, remaining),
                   min(self.policy.read_timeout, remaining))
        with _request_slot(self.provider.name):
            return self.provider.translate_with_terms(
                batch, self.source, self.target, timeout, [self._terms.get(c, ()) for c in batch])

    def _pause(self, error: ProviderError) -> None:
        """Every worker of this provider waits: one 429 speaks for all of them. A pause
        longer than the time left is honoured too, by failing what is left (``_may_send``)."""
        with self._lock:
            self._report.rate_limited = self._report.rate_limited or str(error)
        if error.retry_after is not None:
            # "Retry-After: 0" (or a date gone by) from a provider that keeps refusing would
            # be a busy loop: wait at least the first backoff step.
            self._pacer.pause(max(error.retry_after, self.policy.backoff_base), told=True)
        else:
            self._pacer.pause(random.uniform(self.policy.backoff_base, self.policy.backoff_max))

    def _back_off(self, attempt: int, error: ProviderError, deadline: float) -> None:
        ceiling = min(self.policy.backoff_max, self.policy.backoff_base * 2**attempt)
        delay = random.uniform(0, ceiling)
        if error.retry_after is not None:
            wait = min(error.retry_after, self.policy.max_retry_after)
            self._pacer.pause(wait)
            delay = max(delay, wait)
        self.breaker.sleep(min(delay, deadline - time.monotonic()))


class _Tally:
    """Texts answered and failed so far, for ``on_batch``: a text cut in pieces counts once
    all its pieces are settled, and a piece shared by several texts settles each of them."""

    def __init__(self, pieces: dict[str, list[str]], done: dict[str, str],
                 listener: Callable[[int, int], None] | None) -> None:
        self.listener = listener
        self.answered = self.failed = 0
        self._left: dict[str, int] = {}
        self._texts: dict[str, list[str]] = {}
        self._broken: set[str] = set()
        if listener is None:
            return
        for text, parts in pieces.items():
            waiting = [p for p in dict.fromkeys(parts) if p not in done]
            if not waiting:
                self.answered += 1
            self._left[text] = len(waiting)
            for part in waiting:
                self._texts.setdefault(part, []).append(text)
        listener(self.answered, self.failed)

    def settle(self, batch: list[str], *, answered: bool) -> None:
        if self.listener is None:
            return
        for chunk in batch:
            for text in self._texts.get(chunk, ()):
                if not answered:
                    self._broken.add(text)
                self._left[text] -= 1
                if self._left[text] == 0:
                    if text in self._broken:
                        self.failed += 1
                    else:
                        self.answered += 1
        self.listener(self.answered, self.failed)


Factory = Callable[..., MTProvider]
