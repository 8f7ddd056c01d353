"""CLI benchmark: what `contestflow submission advance` costs in the embedded default.

    .venv/bin/python benchmarks/bench_cli.py [--repeat 5]

Every figure is a whole command (a subprocess of the installed `contestflow` script, the
median of ``--repeat`` runs) in a fresh workspace with a fresh Prefect home:

1. The first run of the flow (Prefect creates its database): paid once per workspace.
2. `submission advance` with nothing to do (a submission collecting, an item missing, no mail
   due) against `submission status` of the same submission, measured alternately in the same
   run; and, as the baseline, the same command with the database's answer switched off (the
   flow runs, as before issue 12).
3. `submission advance` with work to do (sending the requests of a new submission): in the
   ephemeral mode, and with `contestflow serve` running, whose Prefect server the command uses.

Target (issue 12): advance with nothing to do / status <= 3.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CONTESTFLOW = str(Path(sys.executable).with_name("contestflow"))
CONTEST, EDITION = "uclg-culture21", "2028"
TARGET = 3.0
# The command as it was before: the flow runs even when the database says it would do nothing.
WITHOUT_ANSWER = (
    "import sys, flows.run as run\n"
    "run.answer_at_once = lambda name, parameters: None\n"
    "from contestflow.cli.main import app\n"
    "app(sys.argv[1:])\n"
)


def timed(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args[1:])} failed: {done.stderr.strip()}")
    return seconds, done.stdout


def cli(*args: str) -> list[str]:
    return [CONTESTFLOW, *args, "--json"]


def median_of(repeat: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    runs = [measure() for _ in range(repeat)]
    return statistics.median(runs), runs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    repeat = max(1, args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "workspace"
        env = {**os.environ, "CONTESTFLOW_HOME": str(home), "CONTESTFLOW_LANGUAGE": "en",
               "PREFECT_HOME": str(Path(folder) / "prefect")}
        env.pop("CONTESTFLOW_DATABASE_URL", None)
        env.pop("PREFECT_API_URL", None)
        opened = 0

        def open_one() -> int:
            nonlocal opened
            opened += 1
            _, out = timed(cli("submission", "open", CONTEST, "--edition", EDITION,
                               "--nomination", f"bench {opened}"), env)
            return int(json.loads(out)["id"])

        def advance(sid: int, expected: str, *, program: tuple[str, ...] = (CONTESTFLOW,)
                    ) -> float:
            seconds, out = timed([*program, "submission", "advance", str(sid), "--json"], env)
            assert json.loads(out)["state"] == expected, out
            return seconds

        idle = open_one()
        first = advance(idle, "collecting")
        print(f"first flow run in a fresh Prefect home: {first:6.2f} s (once per workspace)")

        def status() -> float:
            return timed(cli("submission", "status", str(idle)), env)[0]

        statuses, idles = [], []
        for _ in range(repeat):  # alternately, so both see the same load
            statuses.append(status())
            idles.append(advance(idle, "collecting"))
        status_s, idle_s = statistics.median(statuses), statistics.median(idles)
        before_s, _ = median_of(max(2, repeat // 2), lambda: advance(
            idle, "collecting", program=(sys.executable, "-c", WITHOUT_ANSWER)))
        ratio = idle_s / status_s
        print(f"\nnothing to do (median of {repeat}, alternating)")
        print(f"  submission status:                  {status_s:6.2f} s")
        print(f"  submission advance:                 {idle_s:6.2f} s   "
              f"advance / status: {ratio:.2f} (target <= {TARGET:g})")
        print(f"  advance as before (the flow runs):  {before_s:6.2f} s   "
              f"before / now: {before_s / idle_s:.1f}")

        work = max(2, repeat // 2)
        ephemeral_s, _ = median_of(work, lambda: advance(open_one(), "collecting"))
        served_s, ready_s = _with_serve(env, home, lambda: median_of(
            work, lambda: advance(open_one(), "collecting"))[0])
        print(f"\nwork to do: sending a new submission's requests (median of {work})")
        print(f"  ephemeral Prefect (no serve):       {ephemeral_s:6.2f} s")
        print(f"  on `contestflow serve`'s server:    {served_s:6.2f} s   "
              f"ephemeral / served: {ephemeral_s / served_s:.1f}  "
              f"(serve's server answered {ready_s:.1f} s after start)")
    ok = ratio <= TARGET
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


def _with_serve(env: dict[str, str], home: Path, measure: Callable[[], float]
                ) -> tuple[float, float]:
    """``measure()`` while `contestflow serve` runs, once its Prefect server answers."""
    address = home / "prefect-server.json"
    started = time.perf_counter()
    serve = subprocess.Popen([CONTESTFLOW, "serve", "--port", "0", "--no-schedule"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while not address.exists():
            if serve.poll() is not None or time.perf_counter() - started > 300:
                raise SystemExit("contestflow serve's Prefect server did not answer")
            time.sleep(0.2)
        ready = time.perf_counter() - started
        return measure(), ready
    finally:
        serve.terminate()
        serve.wait(30)


if __name__ == "__main__":
    raise SystemExit(main())
