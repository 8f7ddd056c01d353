"""Send texts to a provider: once each, split to its limit, concurrently, with care.

* identical texts are sent once; a text over the provider's limit is cut at sentence (then
  word) boundaries and the pieces joined back;
* requests run on a thread pool no wider than the provider's concurrency;
* 429 and 5xx, timeouts and dropped connections are retried with full-jitter exponential
  backoff; a Retry-After header pauses every worker of that provider until it has passed;
* a circuit breaker opens after consecutive failures, so a dead provider is not hammered and
  the run ends quickly; a fallback provider then takes the texts that failed;
* a deadline bounds the whole run.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from contestflow.translation.mt.base import CircuitOpen, MTProvider, ProviderError
from contestflow.translation.segment import sentence_spans


@dataclass
class MTPolicy:
    connect_timeout: float = 5.0
    read_timeout: float = 20.0
    attempts: int = 3
    backoff_base: float = 0.5
    backoff_max: float = 8.0
    max_retry_after: float = 30.0
    breaker_threshold: int = 5
    breaker_cooldown: float = 30.0
    deadline: float = 600.0
    rate_per_second: float | None = None


@dataclass
class MTReport:
    translations: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    providers: dict[str, str] = field(default_factory=dict)
    requests: int = 0
    attempts: int = 0
    fatal: str | None = None
    cause: str | None = None

    def explain(self) -> str:
        """One line on why texts failed: the first real cause, not the breaker's echo."""
        return self.fatal or self.cause or next(iter(self.failures.values()), "")


class CircuitBreaker:
    def __init__(self, threshold: int, cooldown: float) -> None:
        self.threshold, self.cooldown = threshold, cooldown
        self._failures = 0
        self._opened_at: float | None = None
        self._lock = threading.Lock()

    def check(self, label: str) -> None:
        with self._lock:
            if self._opened_at is None:
                return
            if time.monotonic() - self._opened_at >= self.cooldown:
                self._opened_at = None  # half-open: let one request through
                self._failures = self.threshold - 1
                return
        raise CircuitOpen(f"{label} failed {self.threshold} times in a row; not asking again")

    def success(self) -> None:
        with self._lock:
            self._failures, self._opened_at = 0, None

    def failure(self) -> None:
        with self._lock:
            self._failures += 1
            if self._failures >= self.threshold and self._opened_at is None:
                self._opened_at = time.monotonic()

    @property
    def open(self) -> bool:
        return self._opened_at is not None


class _Pacer:
    """Shared waits of one provider: Retry-After pauses and an optional token bucket."""

    def __init__(self, rate: float | None) -> None:
        self._lock = threading.Lock()
        self._pause_until = 0.0
        self._interval = 1.0 / rate if rate else 0.0
        self._next_slot = 0.0

    def pause(self, seconds: float) -> None:
        with self._lock:
            self._pause_until = max(self._pause_until, time.monotonic() + seconds)

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
                 policy: MTPolicy | None = None, fallback: Dispatcher | None = None) -> None:
        self.provider, self.source, self.target = provider, source, target
        self.policy = policy or MTPolicy()
        self.fallback = fallback
        self.breaker = CircuitBreaker(self.policy.breaker_threshold, self.policy.breaker_cooldown)
        self._pacer = _Pacer(self.policy.rate_per_second)
        self._lock = threading.Lock()
        self._report = MTReport()

    def translate(self, texts: list[str], *, deadline: float | None = None) -> MTReport:
        deadline = deadline or time.monotonic() + self.policy.deadline
        self._report = MTReport()
        unique = list(dict.fromkeys(t for t in texts if t.strip()))
        pieces = {text: split_text(text, self.provider.max_chars, self.source) for text in unique}
        chunks = list(dict.fromkeys(p for parts in pieces.values() for p in parts))
        size = self.provider.batch_size
        batches = [chunks[i : i + size] for i in range(0, len(chunks), size)]
        done: dict[str, str] = {}
        failed: dict[str, str] = {}
        with ThreadPoolExecutor(max_workers=self.provider.concurrency,
                                thread_name_prefix=f"mt-{self.provider.name}") as pool:
            for batch, outcome in zip(batches, pool.map(
                    lambda b: self._run(b, deadline), batches), strict=True):
                if isinstance(outcome, ProviderError):
                    failed.update(dict.fromkeys(batch, str(outcome)))
                    if outcome.fatal:
                        self._report.fatal = str(outcome)
                else:
                    done.update(zip(batch, outcome, strict=True))
        self._assemble(pieces, done, failed)
        self._use_fallback(deadline)
        return self._report

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
        second = self.fallback.translate(list(self._report.failures), deadline=deadline)
        self._report.requests += second.requests
        self._report.attempts += second.attempts
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
        last: ProviderError | None = None
        for attempt in range(self.policy.attempts):
            try:
                self.breaker.check(self.provider.describe())
                if time.monotonic() >= deadline:
                    raise CircuitOpen(f"{self.provider.describe()}: time limit reached")
                self._pacer.wait(deadline)
                with self._lock:
                    self._report.attempts += 1
                result = self._call(batch, deadline)
                self.breaker.success()
                return result
            except ProviderError as error:
                last = error
                if isinstance(error, CircuitOpen) or error.fatal:
                    return error
                with self._lock:
                    self._report.cause = self._report.cause or str(error)
                self.breaker.failure()
                if not error.retryable or attempt + 1 >= self.policy.attempts:
                    return error
                self._back_off(attempt, error, deadline)
        assert last is not None
        return last

    def _call(self, batch: list[str], deadline: float) -> list[str]:
        remaining = max(0.5, deadline - time.monotonic())
        timeout = (min(self.policy.connect_timeout, remaining),
                   min(self.policy.read_timeout, remaining))
        return self.provider.translate_batch(batch, self.source, self.target, timeout)

    def _back_off(self, attempt: int, error: ProviderError, deadline: float) -> None:
        ceiling = min(self.policy.backoff_max, self.policy.backoff_base * 2**attempt)
        delay = random.uniform(0, ceiling)
        if error.retry_after is not None:
            wait = min(error.retry_after, self.policy.max_retry_after)
            self._pacer.pause(wait)
            delay = max(delay, wait)
        time.sleep(max(0.0, min(delay, deadline - time.monotonic())))


Factory = Callable[..., MTProvider]
