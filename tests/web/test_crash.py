"""A server killed in the middle of an upload loses nothing it acknowledged and leaves no row
pointing at a missing or partial file."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from sqlalchemy import select

from contestflow.config import REPOSITORY_ROOT
from contestflow.db import session_scope
from contestflow.db.models import Material
from contestflow.db.session import dispose_engines
from contestflow.store import get_store
from tests.intake import samples
from tests.web.conftest import Intake, open_test_submission


def start_server(workspace: Path) -> tuple[subprocess.Popen[str], str]:
    environment = {**os.environ, "CONTESTFLOW_HOME": str(workspace)}
    process = subprocess.Popen(
        [sys.executable, "-m", "contestflow.web.server", "--port", "0"], cwd=REPOSITORY_ROOT,
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("listening on "), line
    return process, line.split()[-1]


def slow_body(boundary: str, started: threading.Event) -> Iterator[bytes]:
    yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
           f"filename=\"Большой.pdf\"\r\n\r\n").encode() + b"%PDF-1.4\n"
    for _ in range(200):
        yield b"x" * 65536
        started.set()
        time.sleep(0.05)
    yield f"\r\n--{boundary}--\r\n".encode()


def test_killing_the_server_mid_upload_loses_nothing_acknowledged(workspace: Path) -> None:
    submission_id, requests = open_test_submission()
    intake = Intake("", httpx.Client(), workspace, submission_id, requests)
    token = intake.token("presentation-letter")
    request_id = intake.request_id("presentation-letter")
    dispose_engines()
    process, base_url = start_server(workspace)
    acknowledged = []
    try:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            for name, data in (("Письмо.pdf", samples.pdf_bytes()),
                               ("Письмо.docx", samples.docx_bytes())):
                response = client.post(f"/intake/{request_id}", params={"token": token},
                                       files={"file": (name, data)},
                                       headers={"Accept": "application/json"})
                assert response.status_code == 201
                acknowledged.append(response.json())
        started, failure = threading.Event(), []

        def upload() -> None:
            try:
                httpx.post(f"{base_url}/intake/{request_id}", params={"token": token},
                           content=slow_body("cut", started), timeout=30,
                           headers={"Content-Type": "multipart/form-data; boundary=cut",
                                    "Accept": "application/json"})
            except httpx.HTTPError as error:
                failure.append(error)

        uploader = threading.Thread(target=upload)
        uploader.start()
        assert started.wait(10)
        deadline = time.monotonic() + 10
        while not list((workspace / "intake-tmp").glob("upload-*.part")):
            assert time.monotonic() < deadline, "the upload never reached the server"
            time.sleep(0.02)
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        uploader.join(20)
        assert failure, "the cut upload cannot have been acknowledged"
    finally:
        if process.poll() is None:
            process.kill()
    process, base_url = start_server(workspace)
    try:
        with session_scope() as session:
            rows = session.scalars(select(Material).order_by(Material.version)).all()
        assert [(m.version, m.sha256) for m in rows] == [
            (a["version"], a["sha256"]) for a in acknowledged]
        # What the killed upload left half-written is gone at the restart, young as it is.
        assert not list((workspace / "intake-tmp").glob("upload-*.part"))
        store = get_store()
        for row in rows:
            assert hashlib.sha256(store.path(row.sha256).read_bytes()).hexdigest() == row.sha256
        with httpx.Client(base_url=base_url, timeout=30) as client:
            again = client.post(f"/intake/{request_id}", params={"token": token},
                                files={"file": ("Письмо.pdf", samples.pdf_bytes(10))},
                                headers={"Accept": "application/json"})
        assert again.status_code == 201 and again.json()["version"] == 3
    finally:
        process.terminate()
        process.wait(10)
