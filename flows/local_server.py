"""The Prefect API server `contestflow serve` keeps for its workspace, and how commands find it.

Without a configured Prefect server, every process that runs a flow first starts Prefect's
ephemeral API server (~7 s on these machines, more under load). `contestflow serve` starts one
as it starts, runs its own flows on it, and writes its address to the workspace
(``prefect-server.json``) once it answers. A command of the same workspace that must run a
flow reads that file and, when the process that wrote it is alive and the server answers its
health check, runs the flow on it, in its own process as before; otherwise it falls back to
the ephemeral mode. Nothing changes with a configured server (``CONTESTFLOW_PREFECT_API_URL``).

The server is a child of `serve` that dies with it, also when `serve` is killed (Linux's
parent-death signal); the address it leaves behind then names a dead process and is ignored.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from contestflow.config import Settings, get_settings, prepare_prefect_environment
from contestflow.files import write_atomically

logger = logging.getLogger("contestflow.flows")

ADDRESS_FILE = "prefect-server.json"
HEALTH_TIMEOUT_SECONDS = 1.0


@dataclass
class _KeptServer:
    process: subprocess.Popen[bytes]
    api_url: str
    address_file: Path
    ready: threading.Event


_kept: _KeptServer | None = None


def address_file(settings: Settings | None = None) -> Path:
    return (settings or get_settings()).home / ADDRESS_FILE


def start_local_server(settings: Settings | None = None) -> str | None:
    """Start a Prefect API server for this process's flows and for the workspace's commands;
    returns its API address at once (it publishes it when it answers), or None when this
    process cannot use one (a server is configured, or Prefect was imported already).

    ``flows.run.keep_local_server`` calls it with Prefect's logging quietened first.
    """
    global _kept
    settings = settings or get_settings()
    if settings.prefect_api_url or os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return None  # Prefect reads PREFECT_API_URL when it is imported
    if _kept is not None:
        return _kept.api_url
    prepare_prefect_environment(settings)
    port = _free_port()
    log = open(Path(os.environ["PREFECT_HOME"]) / "local-server.log", "ab")  # noqa: SIM115
    # Started from the calling (main) thread: the parent-death signal follows the thread that
    # started the child, and a helper thread would end long before `serve` does.
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "prefect.server.api.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "error", "--lifespan", "on"],
        env={**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
             "PREFECT__SERVER_FINAL": "1"},
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=_die_with_parent)
    log.close()
    api_url = f"http://127.0.0.1:{port}/api"
    os.environ["PREFECT_API_URL"] = api_url
    _kept = _KeptServer(process, api_url, address_file(settings), threading.Event())
    atexit.register(stop_local_server)
    threading.Thread(target=_publish_when_ready, args=(_kept,), name="contestflow-prefect",
                     daemon=True).start()
    return api_url


def use_local_server(settings: Settings | None = None) -> str | None:
    """Point this process's flow runs at the workspace's local server, if one answers; returns
    its API address, or None (then Prefect starts its ephemeral server as before)."""
    settings = settings or get_settings()
    if _kept is not None:  # this process keeps it: wait until it answers (or gave up)
        _kept.ready.wait()
        return os.environ.get("PREFECT_API_URL")
    if settings.prefect_api_url or os.environ.get("PREFECT_API_URL") or "prefect" in sys.modules:
        return None
    api_url = answering_local_server(settings)
    if api_url:
        os.environ["PREFECT_API_URL"] = api_url
    return api_url


def answering_local_server(settings: Settings | None = None) -> str | None:
    """The API address in the workspace's address file, when the process that wrote it is
    alive and the server answers its health check; None otherwise."""
    try:
        published = json.loads(address_file(settings).read_text(encoding="utf-8"))
        pid, api_url = int(published["pid"]), str(published["api_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _alive(pid) or not _healthy(api_url):
        return None
    return api_url


def stop_local_server() -> None:
    """Withdraw the address and stop the server this process keeps, if it keeps one."""
    global _kept
    kept, _kept = _kept, None
    if kept is None:
        return
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
        if json.loads(kept.address_file.read_text(encoding="utf-8"))["pid"] == os.getpid():
            kept.address_file.unlink()
    kept.process.terminate()
    try:
        kept.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        kept.process.kill()
        kept.process.wait()
    kept.ready.set()


def _publish_when_ready(kept: _KeptServer) -> None:
    # Not through Prefect's settings: importing Prefect here would fix PREFECT_API_URL for
    # this process's flows before we know whether the server answers.
    wait = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS") or 120)
    deadline = time.monotonic() + wait
    try:
        while time.monotonic() < deadline and kept.process.poll() is None:
            if _healthy(kept.api_url):
                write_atomically(kept.address_file, json.dumps(
                    {"pid": os.getpid(), "api_url": kept.api_url}).encode("utf-8"))
                return
            time.sleep(0.2)
        # This process's flows go back to the ephemeral mode; nothing was published.
        logger.warning("the local Prefect API server did not answer; flows start their own")
        os.environ.pop("PREFECT_API_URL", None)
        kept.process.kill()
    finally:
        kept.ready.set()


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=HEALTH_TIMEOUT_SECONDS) as answer:
            return bool(answer.status == 200)
    except (OSError, ValueError):
        return False


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _die_with_parent() -> None:
    """In the child, before it runs: ask Linux for SIGTERM when the parent dies."""
    if sys.platform == "linux":
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
