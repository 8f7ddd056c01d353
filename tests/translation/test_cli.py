"""`contestflow translate`: figures as JSON, files written, one-line errors, never a traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import typer
from fakes.mt_server import FakeMTServer
from samples import build_simple_document
from typer.testing import CliRunner

from contestflow.cli.translate import register

TMX = """<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"
 o-tmf="t" adminlang="en" srclang="ru" datatype="plaintext"/><body>
<tu><tuv xml:lang="ru"><seg>Форум прошёл успешно.</seg></tuv>
<tuv xml:lang="en"><seg>The forum was a success.</seg></tuv></tu></body></tmx>"""


@pytest.fixture
def app() -> typer.Typer:
    application = typer.Typer(pretty_exceptions_enable=False)
    register(application)

    @application.command("version")
    def version() -> None:  # a second command keeps "translate" a subcommand
        pass

    return application


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    source = tmp_path / "bid.docx"
    source.write_bytes(build_simple_document([
        "Форум прошёл успешно.", "Город реализует проект.", "Решение Ставропольской "
        "городской Думы."]))
    glossary = tmp_path / "terms.csv"
    glossary.write_text("source,target,note\nфорум,forum,\n", encoding="utf-8")
    tmx = tmp_path / "old.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    return {"source": source, "glossary": glossary, "tmx": tmx, "dir": tmp_path}


def invoke(app: typer.Typer, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["translate", *args])


def test_translate_with_everything(app: typer.Typer, files: dict[str, Path],
                                   fake_mt: FakeMTServer) -> None:
    out, review, xliff = (files["dir"] / n for n in ("out.docx", "review.docx", "out.xlf"))
    result = invoke(app, str(files["source"]), "-o", str(out), "--provider", "libre",
                    "--provider-url", fake_mt.url, "--glossary", str(files["glossary"]),
                    "--tm", str(files["tmx"]), "--review", str(review), "--xliff", str(xliff),
                    "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["segments"] == 3 and figures["from_memory"] == 1
    assert figures["from_mt"] == 2 and figures["mt_requests"] == 2
    assert figures["glossary_imported"] == 1 and figures["memory_imported"] == 1
    assert out.is_file() and review.is_file() and xliff.read_bytes().startswith(b"<?xml")


def test_offline_with_memory_only(app: typer.Typer, files: dict[str, Path]) -> None:
    out = files["dir"] / "out.docx"
    result = invoke(app, str(files["source"]), "-o", str(out), "--tm", str(files["tmx"]))
    assert result.exit_code == 0, result.output
    assert "memory 1" in result.stdout and "left for a human 2" in result.stdout


def test_unreachable_provider_is_one_line(app: typer.Typer, files: dict[str, Path]) -> None:
    started = time.monotonic()
    result = invoke(app, str(files["source"]), "-o", str(files["dir"] / "x.docx"),
                    "--provider", "libre", "--provider-url", "http://127.0.0.1:9")
    assert time.monotonic() - started < 20  # the breaker's 10-s window, then it stops
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert "unreachable" in result.stderr and "Traceback" not in result.output
    assert not (files["dir"] / "x.docx").exists()


def test_leave_policy_writes_the_file(app: typer.Typer, files: dict[str, Path]) -> None:
    out = files["dir"] / "x.docx"
    result = invoke(app, str(files["source"]), "-o", str(out), "--provider", "libre",
                    "--provider-url", "http://127.0.0.1:9", "--on-mt-failure", "leave",
                    "--json")
    assert result.exit_code == 0 and out.is_file()
    assert json.loads(result.stdout)["untranslated"] == 3


@pytest.mark.parametrize(("args", "message"), [
    (["missing.docx"], "no such file"),
    (["bad.docx"], "not a .docx"),
    (["bid.docx", "--provider", "babel"], "unknown MT provider"),
    (["bid.docx", "--provider", "deepl"], "needs an API key"),
    (["bid.docx", "--glossary", "terms.txt"], "unknown file type"),
])
def test_errors_are_one_line(app: typer.Typer, files: dict[str, Path], args: list[str],
                             message: str) -> None:
    (files["dir"] / "bad.docx").write_bytes(b"hello")
    (files["dir"] / "terms.txt").write_text("x")
    args = [str(files["dir"] / args[0]), *args[1:]]
    args = [str(files["dir"] / a) if a.endswith(".txt") else a for a in args]
    result = invoke(app, *args, "-o", str(files["dir"] / "o.docx"))
    assert result.exit_code == 1
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_from_review(app: typer.Typer, files: dict[str, Path], fake_mt: FakeMTServer) -> None:
    import io

    import docx

    out, review = files["dir"] / "out.docx", files["dir"] / "review.docx"
    assert invoke(app, str(files["source"]), "-o", str(out), "--provider", "libre",
                  "--provider-url", fake_mt.url, "--review", str(review)).exit_code == 0
    document = docx.Document(str(review))
    for row in document.tables[0].rows[1:]:
        row.cells[6].text = "approved"
    buffer = io.BytesIO()
    document.save(buffer)
    review.write_bytes(buffer.getvalue())
    final = files["dir"] / "final.docx"
    result = invoke(app, str(files["source"]), "-o", str(final), "--from-review", str(review),
                    "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["approved"] == 3 and final.is_file()


def _rows(model: type) -> int:
    from sqlalchemy import func, select

    from contestflow.db import session_scope

    with session_scope(read_only=True) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_rerun_takes_the_answers_already_paid_for(app: typer.Typer, files: dict[str, Path],
                                                    fake_mt: FakeMTServer) -> None:
    out = files["dir"] / "out.docx"
    first = invoke(app, str(files["source"]), "-o", str(out), "--provider", "libre",
                   "--provider-url", fake_mt.url, "--json")
    assert first.exit_code == 0, first.output
    paid = json.loads(first.stdout)
    assert paid["mt_from_cache"] == 0 and paid["mt_requests"] == 3
    with FakeMTServer() as again:
        second = invoke(app, str(files["source"]), "-o", str(out), "--provider", "libre",
                        "--provider-url", again.url, "--json")
    assert second.exit_code == 0, second.output
    figures = json.loads(second.stdout)
    assert again.total_requests == figures["mt_requests"] == 0
    assert figures["mt_from_cache"] == 3 and figures["from_mt"] == paid["from_mt"]


def test_a_translation_whose_output_cannot_be_written_is_not_recorded(
        app: typer.Typer, files: dict[str, Path], fake_mt: FakeMTServer) -> None:
    from contestflow.db.models import Document, Segment

    blocked = files["source"] / "out.docx"  # under a file: the write fails
    result = invoke(app, str(files["source"]), "-o", str(blocked), "--provider", "libre",
                    "--provider-url", fake_mt.url, "--json")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert _rows(Document) == _rows(Segment) == 0
    # What MT answered was kept all the same: with a writable path, nothing is asked again.
    with FakeMTServer() as again:
        written = invoke(app, str(files["source"]), "-o", str(files["dir"] / "out.docx"),
                         "--provider", "libre", "--provider-url", again.url, "--json")
    assert written.exit_code == 0, written.output
    assert again.total_requests == 0 and _rows(Document) == 1 and _rows(Segment) == 3


def test_an_llm_provider_through_the_command(app: typer.Typer, files: dict[str, Path],
                                             fake_mt: FakeMTServer) -> None:
    out = files["dir"] / "llm.docx"
    result = invoke(app, str(files["source"]), "-o", str(out), "--provider", "llm",
                    "--provider-url", fake_mt.url + "/v1", "--model", "local-model",
                    "--api-key", "k", "--json")
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["from_mt"] == 3 and fake_mt.requests["llm"] == 1
    missing = invoke(app, str(files["source"]), "-o", str(out), "--provider", "llm",
                     "--provider-url", fake_mt.url + "/v1")
    assert missing.exit_code == 1 and "needs a model name" in missing.stderr


def test_mt_that_loses_a_term_is_an_error_naming_the_segment(
        app: typer.Typer, files: dict[str, Path], fake_mt: FakeMTServer) -> None:
    fake_mt.default = "strip"
    out = files["dir"] / "x.docx"
    args = [str(files["source"]), "-o", str(out), "--provider", "libre", "--provider-url",
            fake_mt.url]
    result = invoke(app, *args)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "glossary term of 1 segment(s)" in result.stderr and "body:3.1" in result.stderr
    assert not out.exists()
    left = invoke(app, *args, "--on-mt-failure", "leave", "--json")
    assert left.exit_code == 0 and json.loads(left.stdout)["untranslated"] == 1


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664)])
def test_the_translated_files_get_the_usual_mode_not_0600(
        app: typer.Typer, files: dict[str, Path], umask: int, mode: int) -> None:
    import os

    out, review = files["dir"] / "out.docx", files["dir"] / "out.review.docx"
    previous = os.umask(umask)
    try:
        result = invoke(app, str(files["source"]), "-o", str(out), "--review", str(review),
                        "--tm", str(files["tmx"]))
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert (out.stat().st_mode & 0o777, review.stat().st_mode & 0o777) == (mode, mode)
