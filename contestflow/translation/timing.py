"""Where one document's translation spends its time, phase by phase, for ``make bench``.

The engine times its own phases with :class:`Timings` (two ``perf_counter`` calls a phase, a
few per paragraph while reading), so the figures come from the code that runs, not from a
second, instrumented path. ``outcome.timings`` holds them; the benchmark prints them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

PHASES = ("start-up", "reading", "segmenting", "lookup", "MT", "checks", "writing", "storing")
"""In the order a run goes through them: start-up is the glossary, the memory and the stored
answers loaded; reading is the .docx opened and its paragraphs extracted (without cutting
them into sentences, which is segmenting); lookup the glossary and memory consulted; MT the
requests sent and answers checked; checks the QA; writing the new .docx built and verified;
storing the document and its segments written to the database."""


@dataclass
class Timings:
    """Seconds spent in each phase (a phase entered several times adds up)."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def take(self, name: str, seconds: float, from_phase: str) -> None:
        """Move ``seconds`` measured inside ``from_phase`` to ``name``."""
        self.add(name, seconds)
        self.add(from_phase, -seconds)

    @property
    def total(self) -> float:
        return sum(self.seconds.values())

    def ordered(self) -> list[tuple[str, float]]:
        known = [(name, self.seconds[name]) for name in PHASES if name in self.seconds]
        return known + sorted((n, s) for n, s in self.seconds.items() if n not in PHASES)
