"""Headless Chromium for the browser tests: Debian's chromium driven by Playwright.

Missing Chromium skips a browser test on a developer's machine and fails it under CI.
Screenshots for the README tour are written into docs/screenshots only when missing or when
CONTESTFLOW_UPDATE_SCREENSHOTS=1, so an ordinary test run leaves the working tree clean.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from contestflow.config import REPOSITORY_ROOT

CHROMIUM = os.environ.get("CONTESTFLOW_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TOUR = REPOSITORY_ROOT / "docs" / "screenshots"


def chromium_executable() -> str:
    path = CHROMIUM if Path(CHROMIUM).exists() else shutil.which(CHROMIUM)
    if not path:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"headless Chromium is required under CI and is missing at {CHROMIUM}")
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    return path


def screenshot_path(name: str, tmp_path: Path) -> Path:
    """Where to save a tour screenshot: the README's copy only when asked to refresh it."""
    tour = TOUR / name
    if not tour.exists() or os.environ.get("CONTESTFLOW_UPDATE_SCREENSHOTS") == "1":
        tour.parent.mkdir(parents=True, exist_ok=True)
        return tour
    return tmp_path / name
