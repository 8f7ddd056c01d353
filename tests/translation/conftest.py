"""Fixtures for the translation tests: a fake MT service, a SQLite database, sample files."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
for folder in (TESTS, TESTS / "translation"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from fakes.mt_server import FakeMTServer  # noqa: E402


@pytest.fixture
def fake_mt() -> Iterator[FakeMTServer]:
    """A fake MT service on 127.0.0.1 speaking every provider's API."""
    with FakeMTServer(hang_seconds=5) as server:
        yield server


@pytest.fixture
def sqlite_url(workspace: Path) -> str:
    """A fresh SQLite database (most tests need one backend only; memory tests use both)."""
    return f"sqlite:///{workspace / 'translation.db'}"


@pytest.fixture(scope="session")
def full_docx() -> bytes:
    from samples import build_full_document

    return build_full_document()
