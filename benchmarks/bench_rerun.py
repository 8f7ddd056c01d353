"""Rerun benchmark: what a document costs again after its MT provider died half-way.

    .venv/bin/python benchmarks/bench_rerun.py [--paragraphs 3000] [--quick]

1. Builds the same 3,000-paragraph report as bench_translation.py and runs the fake
   LibreTranslate (20 ms a request) in its own process, told to die after answering half of
   the report's distinct texts. The engine stops with its one-line error.
2. Reruns the document against a healthy fake: only what was never answered is sent, the rest
   comes from the stored MT answers (``mt_answers``).
3. Baseline, in the same run: the rerun as it was before answers were stored, i.e. the whole
   document sent again (a database without stored answers).
4. The cost of storing: a clean run at 0 ms storing its answers against the same run with
   storing switched off.

Targets (issue 14): the rerun sends exactly the texts never answered (half the baseline's
requests) and takes under 0.8 of its time (extraction, QA and rendering are paid on every
run); storing answers costs a clean run under 25%.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_translation import build_report, fake_service

CONCURRENCY = 16


class _Forget:
    """An answer store that keeps nothing: the engine as it was before."""

    def known(self, provider: str, source: str, target: str, texts: list[str]
              ) -> dict[str, str]:
        return {}

    def keep(self, provider: str, source: str, target: str, answers: dict[str, str]) -> None:
        pass

    def flush(self) -> bool:
        return False


def run(source: bytes, url: str, db_url: str, **options: object) -> dict:
    from contestflow.db.session import session_scope
    from contestflow.translation.engine import translate_document
    from contestflow.translation.errors import MTError
    from contestflow.translation.glossary import seed_glossary
    from contestflow.translation.mt import MTPolicy, make_provider

    with session_scope(db_url) as session:
        seed_glossary(session)
    provider = make_provider("libre", url=url, concurrency=CONCURRENCY)
    policy = MTPolicy(breaker_window=2.0)  # the production policy, a shorter breaker window
    started = time.perf_counter()
    try:
        with session_scope(db_url, read_only=True) as session:
            outcome = translate_document(session, source, source_lang="ru", target_lang="en",
                                         provider=provider, policy=policy, **options)
    except MTError as error:
        return {"seconds": time.perf_counter() - started, "error": str(error)}
    return {"seconds": time.perf_counter() - started, **outcome.stats}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=3000)
    parser.add_argument("--quick", action="store_true", help="300 paragraphs")
    args = parser.parse_args()
    paragraphs = 300 if args.quick else args.paragraphs
    source, _ = build_report(paragraphs, random.Random(2024))
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        with fake_service() as server:  # how many distinct texts MT gets; warms everything up
            clean = run(source, server.url, f"sqlite:///{folder}/count.db")
        distinct = server.total_requests
        half = distinct // 2
        print(f"report: {paragraphs} paragraphs, {clean['segments']} segments, "
              f"{distinct} distinct texts for MT")

        with fake_service(0.02, die_after=half) as server:
            killed = run(source, server.url, f"sqlite:///{folder}/rerun.db")
        print(f"\nprovider killed after {half} answers: stopped in {killed['seconds']:.2f} s "
              f"(the breaker's window included)\n  {killed.get('error', 'no error?')}")
        with fake_service(0.02) as server:
            rerun = run(source, server.url, f"sqlite:///{folder}/rerun.db")
        rerun_requests = server.total_requests
        with fake_service(0.02) as server:
            base = run(source, server.url, f"sqlite:///{folder}/baseline.db")
        base_requests = server.total_requests
        ratio = rerun["seconds"] / base["seconds"]
        print("\nrerun at 20 ms per request")
        print(f"  baseline (nothing kept, all sent again): {base['seconds']:6.2f} s, "
              f"{base_requests} requests")
        print(f"  with stored answers:                     {rerun['seconds']:6.2f} s, "
              f"{rerun_requests} requests, {rerun['mt_from_cache']} answers from the store")
        print(f"  rerun / baseline: {ratio:.3f}   requests: {rerun_requests / base_requests:.3f}")
        ok &= rerun_requests == distinct - half and rerun["untranslated"] == 0
        ok &= ratio < 0.8 and "error" in killed

        with fake_service() as server:
            storing = run(source, server.url, f"sqlite:///{folder}/storing.db")
        with fake_service() as server:
            forgetting = run(source, server.url, f"sqlite:///{folder}/forgetting.db",
                             answers=_Forget())
        cost = storing["seconds"] / forgetting["seconds"]
        print("\nclean run at 0 ms per request")
        print(f"  answers not stored: {forgetting['seconds']:6.2f} s")
        print(f"  answers stored:     {storing['seconds']:6.2f} s   stored / not: {cost:.3f}")
        ok &= cost < 1.25
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
