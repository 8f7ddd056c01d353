"""`contestflow intake ...` and `contestflow serve`, and the web app's background jobs."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import httpx
from typer.testing import CliRunner

from contestflow.cli.main import app
from contestflow.web.background import Background
from tests.web.conftest import open_test_submission

runner = CliRunner()


def test_intake_commands_from_link_to_delivered_mail(workspace: Path) -> None:
    submission_id, requests = open_test_submission()
    project = requests["project"][0]
    link = runner.invoke(app, ["intake", "link", str(project)])
    assert link.exit_code == 0 and f"/intake/{project}?token=" in link.output
    assert runner.invoke(app, ["intake", "link", str(project)]).output == link.output
    revoked = runner.invoke(app, ["intake", "revoke", str(project)])
    assert revoked.exit_code == 0 and "1 link revoked" in revoked.output
    notified = runner.invoke(app, ["intake", "notify", str(submission_id)])
    assert "4 messages queued" in notified.output
    assert "0 messages queued" in runner.invoke(app, ["intake", "notify",
                                                        str(submission_id)]).output
    delivered = runner.invoke(app, ["intake", "deliver"])
    assert "4 messages delivered" in delivered.output
    assert len(list((workspace / "outbox").glob("*.eml"))) == 4
    remind = runner.invoke(app, ["intake", "remind", "--today", "2028-02-14"])
    assert remind.exit_code == 0 and re.search(r"\d+ reminders? queued", remind.output)
    bad = runner.invoke(app, ["intake", "remind", "--today", "3 March"])
    assert bad.exit_code == 1 and "YYYY-MM-DD" in bad.output
    missing = runner.invoke(app, ["intake", "link", "999"])
    assert missing.exit_code == 1 and "no material request 999" in missing.output
    login = runner.invoke(app, ["intake", "coordinator-link"])
    assert "/coordinator/login?token=" in login.output


def test_serve_serves_a_department_its_upload_page(workspace: Path) -> None:
    """`contestflow serve` as a coordinator starts it: a real process on a free port, a page
    opened through a department's link, then stopped with SIGTERM like a service manager."""
    _, requests = open_test_submission()
    project = requests["project"][0]
    link = runner.invoke(app, ["intake", "link", str(project)]).output.strip().splitlines()[-1]
    path = link[link.index("/intake/"):]
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("contestflow")), "serve", "--port", "0",
         "--no-schedule"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = None
        assert server.stdout is not None
        for line in server.stdout:  # the login link first, then "listening on …" once bound
            if line.startswith("listening on "):
                base = line.split()[-1]
                break
        assert base, "the server never said where it listens"
        page = httpx.get(base + path, follow_redirects=True, timeout=30)
        assert page.status_code == 200
        assert "Материалы для заявки" in page.text and "text/html" in page.headers["content-type"]
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) is not None


def test_background_jobs_never_fail_the_caller_and_coalesce() -> None:
    release, calls = threading.Event(), []

    def advance(submission_id: int) -> None:
        release.wait(5)
        calls.append(submission_id)
        raise RuntimeError("the flow failed")  # logged, never raised to the web request

    background = Background(advance=advance, deliver=lambda: None)
    first = background.advance(7)
    background.advance(8)
    assert background.advance(8) is None  # already queued: not queued twice
    release.set()
    assert first is not None and first.result(5) is None
    background.shutdown()
    assert calls == [7, 8]


def test_the_embedded_schedule_ticks() -> None:
    ticked = threading.Event()
    background = Background(advance=lambda _id: None, reminders=ticked.set,
                            reminder_interval=0.05)
    background.start_schedule()
    assert ticked.wait(5)
    background.shutdown()
