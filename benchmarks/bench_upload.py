"""Upload throughput and the server's peak memory, on loopback.

Runs the intake server in a subprocess against a throwaway workspace, then uploads, as a
department would (multipart POST with the link's token):

1. one 20 MB video, then one 200 MB video: the server's peak resident memory (VmHWM) after each
   must be the same within ``FLAT_TOLERANCE_MB``, i.e. memory does not grow with file size;
2. twenty 10 MB videos at once to one request: all accepted, each a new version;
3. the same 200 MB file and batch through a bare HTTP sink that only writes and fsyncs the body,
   measured in the same run: ``ratio_*_vs_raw`` is contestflow's throughput over the sink's
   (1.0 = the intake's checks, hashing and storing cost nothing on top of moving the bytes).

Prints a table, writes ``benchmarks/results/upload.json``, and exits non-zero if memory is not
flat or an upload failed. Usage: ``python benchmarks/bench_upload.py [--keep]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "upload.json"
MiB = 1024 * 1024
FLAT_TOLERANCE_MB = 16
CONCURRENT = 20


class _RawSink(BaseHTTPRequestHandler):
    """The same-run baseline: a bare HTTP server that only writes the body to disk and fsyncs
    it; the distance to it is what the intake's parsing, checks, hashing and storing cost."""

    directory: Path

    def do_POST(self) -> None:
        remaining = int(self.headers["Content-Length"])
        with tempfile.NamedTemporaryFile(dir=self.directory, delete=True) as handle:
            while remaining:
                chunk = self.rfile.read(min(MiB, remaining))
                if not chunk:
                    break
                handle.write(chunk)
                remaining -= len(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        self.send_response(201)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def raw_baseline(work: Path, path: Path, batch: list[Path]) -> tuple[float, float]:
    """Seconds for the 200 MB file and for the concurrent batch through the bare sink."""
    sink_dir = work / "sink"
    sink_dir.mkdir()
    handler = type("Sink", (_RawSink,), {"directory": sink_dir})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        _, single = upload(base_url, 0, "", path)
        started = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENT) as pool:
            list(pool.map(lambda p: upload(base_url, 0, "", p), batch))
        return single, time.perf_counter() - started
    finally:
        server.shutdown()
        server.server_close()


def write_video(path: Path, size: int, seed: int) -> None:
    """A valid MP4 container of ``size`` bytes: ftyp, moov, and an mdat of pseudo-random data
    (distinct per ``seed``, so the content-addressed store cannot take a shortcut)."""
    ftyp = struct.pack(">I4s4sI4s4s", 24, b"ftyp", b"isom", 512, b"isom", b"mp41")
    moov = struct.pack(">I4s", 16, b"moov") + b"\x00" * 8
    payload = size - len(ftyp) - len(moov) - 8
    block = bytes((seed * 131 + i * 7) % 251 for i in range(MiB))
    with path.open("wb") as handle:
        handle.write(ftyp + moov + struct.pack(">I4s", 8 + payload, b"mdat"))
        written = 0
        while written < payload:
            piece = block[: min(MiB, payload - written)]
            handle.write(piece[:8] + struct.pack(">Q", written) + piece[16:])
            written += len(piece)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def prepare(home: Path) -> tuple[int, str]:
    """Open a press-service submission; return the audio/video request and its link token."""
    os.environ["CONTESTFLOW_HOME"] = str(home)
    sys.path.insert(0, str(ROOT))
    from contestflow.db import session_scope
    from contestflow.db.session import dispose_engines
    from contestflow.intake.tokens import current_token
    from contestflow.submission.opening import open_submission

    with session_scope() as session:
        submission = open_submission(session, "iac-city-media", "2026",
                                     nomination="Мы живем в Умном городе")
        request = next(r for r in submission.requests if r.item_id == "audio-video")
        result = request.id, current_token(session, request)
    dispose_engines()
    return result


def start_server(home: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "contestflow.web.server", "--port", "0"], cwd=ROOT,
        env={**os.environ, "CONTESTFLOW_HOME": str(home)}, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("listening on "):
        process.kill()
        raise SystemExit(f"the server did not start: {line!r}")
    return process, line.split()[-1]


def upload(base_url: str, request_id: int, token: str, path: Path) -> tuple[int, float]:
    started = time.perf_counter()
    with httpx.Client(timeout=httpx.Timeout(60, read=600, write=600)) as client, \
            path.open("rb") as handle:
        response = client.post(f"{base_url}/intake/{request_id}", params={"token": token},
                               files={"file": (path.name, handle, "video/mp4")},
                               headers={"Accept": "application/json"})
    return response.status_code, time.perf_counter() - started


def run(work: Path) -> dict[str, float | int | bool]:
    home, files = work / "workspace", work / "files"
    files.mkdir(parents=True)
    request_id, token = prepare(home)
    small, large = files / "Видео 20 МБ.mp4", files / "Видео 200 МБ.mp4"
    write_video(small, 20 * MiB, 1)
    write_video(large, 200 * MiB, 2)
    batch = [files / f"Ролик {n:02d}.mp4" for n in range(CONCURRENT)]
    for n, path in enumerate(batch):
        write_video(path, 10 * MiB, 100 + n)
    process, base_url = start_server(home)
    try:
        warm_status, _ = upload(base_url, request_id, token, batch[0])
        idle = peak_rss_mb(process.pid)
        small_status, small_seconds = upload(base_url, request_id, token, small)
        after_small = peak_rss_mb(process.pid)
        large_status, large_seconds = upload(base_url, request_id, token, large)
        after_large = peak_rss_mb(process.pid)
        started = time.perf_counter()
        with ThreadPoolExecutor(CONCURRENT) as pool:
            outcomes = list(pool.map(lambda p: upload(base_url, request_id, token, p), batch))
        concurrent_seconds = time.perf_counter() - started
        after_concurrent = peak_rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(30)
    statuses = [warm_status, small_status, large_status, *(s for s, _ in outcomes)]
    raw_single, raw_concurrent = raw_baseline(work, large, batch)
    return {
        "baseline_raw_200mb_mb_s": round(200 / raw_single, 1),
        "baseline_raw_20x10mb_mb_s": round(CONCURRENT * 10 / raw_concurrent, 1),
        "ratio_200mb_vs_raw": round(raw_single / large_seconds, 2),
        "ratio_20x10mb_vs_raw": round(raw_concurrent / concurrent_seconds, 2),
        "single_20mb_mb_s": round(20 / small_seconds, 1),
        "single_200mb_mb_s": round(200 / large_seconds, 1),
        "single_200mb_seconds": round(large_seconds, 2),
        "concurrent_20x10mb_mb_s": round(CONCURRENT * 10 / concurrent_seconds, 1),
        "concurrent_20x10mb_seconds": round(concurrent_seconds, 2),
        "peak_rss_idle_mb": round(idle, 1),
        "peak_rss_after_20mb_mb": round(after_small, 1),
        "peak_rss_after_200mb_mb": round(after_large, 1),
        "peak_rss_after_concurrent_mb": round(after_concurrent, 1),
        "memory_growth_20mb_to_200mb_mb": round(after_large - after_small, 1),
        "all_accepted": all(status == 201 for status in statuses),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="contestflow-bench-upload-"))
    try:
        figures = run(work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        print(f"{key:<{width}}  {value}")
    flat = figures["memory_growth_20mb_to_200mb_mb"] <= FLAT_TOLERANCE_MB  # type: ignore[operator]
    if not flat:
        print(f"FAIL: peak memory grew by more than {FLAT_TOLERANCE_MB} MB with file size")
    if not figures["all_accepted"]:
        print("FAIL: an upload was not accepted")
    return 0 if flat and figures["all_accepted"] else 1


if __name__ == "__main__":
    sys.exit(main())
