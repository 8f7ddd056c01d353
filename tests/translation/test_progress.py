"""How far a translation is: the engine's reports on a real .docx, and the CLI's plain lines."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import typer
from fakes.mt_server import FakeMTServer
from samples import build_simple_document
from typer.testing import CliRunner

from contestflow.cli.translate import register
from contestflow.config import get_settings
from contestflow.db.session import session_scope
from contestflow.translation.engine import translate_document
from contestflow.translation.glossary import seed_glossary
from contestflow.translation.mt import MTPolicy, make_provider
from contestflow.translation.records import TranslateOptions, TranslationProgress

FAST = MTPolicy(read_timeout=2.0, connect_timeout=1.0, backoff_base=0.02, backoff_max=0.1,
                attempts=2)
# 45 distinct sentences (the LLM takes 20 a request: 3 batches), one repeated, and a
# paragraph that is a glossary term whole.
SENTENCES = [f"Город реализует проект номер {n} в районе." for n in range(45)]
PARAGRAPHS = [*SENTENCES, SENTENCES[0], "Ставропольская городская Дума"]


def translate(url: str, provider: object, reports: list[TranslationProgress],
              **options: object):  # type: ignore[no-untyped-def]
    with session_scope(url) as session:
        seed_glossary(session)
        return translate_document(session, build_simple_document(PARAGRAPHS),
                                  source_lang="ru", target_lang="en",
                                  provider=provider,  # type: ignore[arg-type]
                                  options=TranslateOptions(policy=FAST, **options),  # type: ignore[arg-type]
                                  progress=reports.append)


def test_reports_come_per_batch_and_end_with_the_figures(sqlite_url: str,
                                                         fake_mt: FakeMTServer) -> None:
    reports: list[TranslationProgress] = []
    provider = make_provider("llm", url=fake_mt.url + "/v1", api_key="k", model="m")
    outcome = translate(sqlite_url, provider, reports)
    assert fake_mt.requests["llm"] == 3
    # After the lookups, before any answer, after each of the 3 batches, at the end: never
    # once a segment.
    assert len(reports) == 6
    assert {r.total for r in reports} == {46}
    assert [r.mt for r in reports] == [0, 0, 20, 40, 45, 45]
    assert [r.done for r in reports] == [1, 1, 21, 41, 46, 46]
    # Counted in distinct segments: the repeated sentence is one.
    origins = Counter({r.source: r.origin for r in outcome.segments}.values())
    assert reports[-1] == TranslationProgress(46, 46, origins["glossary"], origins["mt"], 0)
    assert origins == {"mt": 45, "glossary": 1} and outcome.stats["from_mt"] == 46


def test_failed_batches_count_as_waiting_for_a_person(sqlite_url: str,
                                                      fake_mt: FakeMTServer) -> None:
    fake_mt.plan("500", "500")  # the first batch fails both its attempts
    reports: list[TranslationProgress] = []
    provider = make_provider("llm", url=fake_mt.url + "/v1", api_key="k", model="m",
                             concurrency=1)
    outcome = translate(sqlite_url, provider, reports, on_mt_failure="leave")
    assert outcome.stats["untranslated"] == 21  # 20 distinct, one of them twice
    assert [(r.mt, r.waiting) for r in reports] == [(0, 0), (0, 0), (0, 20), (20, 20),
                                                   (25, 20), (25, 20)]
    assert all(r.done == r.memory + r.mt + r.waiting <= r.total for r in reports)


def test_without_mt_everything_not_in_the_glossary_waits(sqlite_url: str) -> None:
    reports: list[TranslationProgress] = []
    translate(sqlite_url, None, reports)
    assert reports[-1] == TranslationProgress(46, 46, memory=1, mt=0, waiting=45)


def test_the_cli_writes_plain_lines_when_not_on_a_terminal(tmp_path: Path,
                                                           fake_mt: FakeMTServer) -> None:
    app = typer.Typer(pretty_exceptions_enable=False)
    register(app)
    app.command("version")(lambda: None)
    source = tmp_path / "bid.docx"
    source.write_bytes(build_simple_document(PARAGRAPHS))
    result = CliRunner().invoke(app, ["translate", str(source), "-o", str(tmp_path / "o.docx"),
                                      "--provider", "llm", "--provider-url",
                                      fake_mt.url + "/v1", "--api-key", "k", "--model", "m"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.startswith("segments: ")]
    assert lines == [
        "segments: 1 of 46 done; memory 1, MT 0, waiting for a person 0",
        "segments: 21 of 46 done; memory 1, MT 20, waiting for a person 0",
        "segments: 41 of 46 done; memory 1, MT 40, waiting for a person 0",
        "segments: 46 of 46 done; memory 1, MT 45, waiting for a person 0",
    ]
    assert "\x1b[" not in result.stdout  # no bar, no colour codes in a log


def test_the_cli_speaks_russian_and_json_stays_clean(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTESTFLOW_LANGUAGE", "ru")
    get_settings.cache_clear()
    app = typer.Typer(pretty_exceptions_enable=False)
    register(app)
    app.command("version")(lambda: None)
    source = tmp_path / "bid.docx"
    source.write_bytes(build_simple_document(PARAGRAPHS[:3]))
    runner = CliRunner()
    args = ["translate", str(source), "-o", str(tmp_path / "o.docx")]
    plain = runner.invoke(app, args)
    assert plain.exit_code == 0, plain.output
    assert ("сегменты: готово 3 из 3; из памяти 0, машинный перевод 0, ждут человека 3"
            in plain.stdout)
    quiet = runner.invoke(app, [*args, "--json"])
    assert quiet.exit_code == 0 and "сегменты:" not in quiet.output


def test_on_a_terminal_a_bar_shows_the_figures() -> None:
    import io
    import re

    from rich.console import Console

    from contestflow.cli.progress import translation_progress

    screen = io.StringIO()
    with translation_progress(console=Console(file=screen, force_terminal=True,
                                              width=120)) as show:
        assert show is not None
        show(TranslationProgress(46, 21, 1, 20, 0))
        show(TranslationProgress(46, 46, 1, 45, 0))
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "46/46 memory 1, MT 45, waiting for a person 0" in text
    assert "segments:" not in text  # the bar, not the plain lines
