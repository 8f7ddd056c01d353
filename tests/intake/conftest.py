"""The SMTP server fixture the outbox tests share."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.intake.mailserver import Collector, serving


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Collector]:
    """A live SMTP server that refuses nobody@stavropol.example; CONTESTFLOW_SMTP_URL points
    at it."""
    handler = Collector(refuse="nobody@stavropol.example")
    with serving(handler, monkeypatch):
        yield handler
