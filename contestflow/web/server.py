"""Running the web app: in a background thread on a free port (tests, the demo), or in the
foreground (``contestflow serve``, ``python -m contestflow.web.server``).

Port 0 lets the operating system pick a free port; the real one is read back after start-up,
so nothing ever binds a fixed port by accident. In the foreground the socket is bound before
the app starts (``listen``), so what is printed names the port really listened on, and
SIGTERM or Ctrl-C stops the children this process started (Prefect's ephemeral API server)
with it.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import socket
import sys
import threading
import time
from types import FrameType, TracebackType
from typing import Any

import uvicorn

from contestflow.i18n import N_, tr

OPEN_BIND = N_("%(host)s is not this machine's own address: in development the server listens "
               "only on 127.0.0.1 or localhost. To open it to others, set "
               "CONTESTFLOW_ENVIRONMENT=production with its own CONTESTFLOW_SECRET_KEY")
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class BackgroundServer:
    """``with BackgroundServer(app) as server: httpx.get(server.base_url + "/health")``."""

    def __init__(self, app: Any = None, host: str = "127.0.0.1", port: int = 0,
                 timeout: float = 30.0) -> None:
        if app is None:
            from contestflow.web.app import create_app

            app = create_app()
        self.app = app
        self.host = host
        self.port = port
        self.timeout = timeout
        config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                                access_log=False)
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> BackgroundServer:
        self._thread = threading.Thread(target=self._server.run, name="contestflow-web",
                                        daemon=True)
        self._thread.start()
        deadline = time.monotonic() + self.timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the intake web server did not start")
            time.sleep(0.02)
        self.port = bound_port(self._server) or self.port
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(self.timeout)
            self._thread = None

    def __enter__(self) -> BackgroundServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()


def bound_port(server: uvicorn.Server) -> int | None:
    for listener in getattr(server, "servers", []):
        for sock in listener.sockets:
            return int(sock.getsockname()[1])
    return None


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (0: a free port); raises ``OSError`` when the
    port is taken or not allowed."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family)


def is_loopback(host: str) -> bool:
    """Whether every address ``host`` names is this machine's own (127.0.0.0/8, ::1): in
    development nobody else may reach the server. A name that does not resolve is not."""
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    return bool(found) and all(
        ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]).is_loopback for info in found)


def open_bind_refusal(host: str, *, production: bool) -> str | None:
    """Why the server may not listen on ``host`` (one line, Russian first), or None."""
    if production or is_loopback(host):
        return None
    return f"{tr('ru', OPEN_BIND, host=host)} / {tr('en', OPEN_BIND, host=host)}"


def browsable_url(host: str, port: int) -> str:
    """``http://host:port`` as a browser on this machine reaches a server bound there: an
    "any address" bind (0.0.0.0, ::) is not an address to browse to."""
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve_forever(host: str, port: int, *, schedule: bool = False, announce: bool = True,
                  listener: socket.socket | None = None) -> None:
    """Serve until interrupted; prints ``listening on http://host:port`` once bound.

    ``listener``: a socket already bound by ``listen`` (the caller then knows the port before
    the app starts); otherwise ``host:port`` is bound here.
    """
    from contestflow.web.app import PENDING_INTERVAL_SECONDS, create_app
    from flows.run import stop_embedded_server

    app = create_app(schedule_reminders=schedule, pending_interval=PENDING_INTERVAL_SECONDS)
    listener = listener or listen(host, port)
    port = int(listener.getsockname()[1])
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on",
                            access_log=False)
    server = uvicorn.Server(config)

    if announce:
        def report() -> None:
            while not server.started and not server.should_exit:
                time.sleep(0.02)
            if server.started:
                print(f"listening on {browsable_url(host, port)}", flush=True)

        threading.Thread(target=report, daemon=True).start()
    # uvicorn stops gracefully on SIGTERM and Ctrl-C (SIGINT), then raises the signal again
    # under the handler it found: the default one would kill this process right there (or,
    # for Ctrl-C, unwind to an exit that first waits for a flow still running on the
    # background thread, which may start Prefect's API server again), and leave the Prefect
    # API server it started (a child process that Prefect stops at exit) running. This
    # handler only takes note (and stops a server still starting up); the children are stopped
    # below, and then the process ends of the signal, as a service manager or a shell expects.
    stopped_by: list[int] = []

    def note_signal(signum: int, frame: FrameType | None) -> None:
        stopped_by.append(signum)
        server.should_exit = True

    main_thread = threading.current_thread() is threading.main_thread()
    if main_thread:  # signals reach the main thread only
        for signum in STOP_SIGNALS:
            signal.signal(signum, note_signal)
    try:
        server.run(sockets=[listener])
    finally:
        stop_embedded_server()
    if stopped_by and main_thread:
        signal.signal(stopped_by[0], signal.SIG_DFL)
        signal.raise_signal(stopped_by[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the contestflow intake web app.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--schedule", action="store_true", help="send reminders on a timer")
    args = parser.parse_args(argv)
    from contestflow.config import get_settings

    refusal = open_bind_refusal(args.host, production=get_settings().production)
    if refusal:
        parser.exit(1, f"error: {refusal}\n")
    serve_forever(args.host, args.port, schedule=args.schedule)
    return 0


if __name__ == "__main__":
    sys.exit(main())
