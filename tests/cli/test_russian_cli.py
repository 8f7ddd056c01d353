"""The command line speaks Russian by default: its sentences, tables, refusals and next steps
come from the catalogue, with no English interface word (commands to copy are quoted as they
are typed)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from contestflow.cli.main import app
from contestflow.config import get_settings

runner = CliRunner()
CONTESTFLOW = str(Path(sys.executable).with_name("contestflow"))
CYRILLIC = re.compile(r"[А-яЁё]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# What a Russian sentence quotes as typed: the program and its options, ids and names of data.
QUOTED = re.compile(r"`[^`]*`|--[\w-]+|\S*[._/@:]\S*")
ALLOWED = {"MB", "Word", "PDF", "DOCX", "JSON"}


@pytest.fixture(autouse=True)
def russian(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTESTFLOW_LANGUAGE", "ru")
    get_settings.cache_clear()


def invoke(*args: str, code: int = 0, stdin: str | None = None) -> Result:
    result = runner.invoke(app, list(args), input=stdin)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def english_words(text: str, *data: str) -> set[str]:
    """Latin words a person reads, apart from commands, options and the data quoted."""
    for quoted in data:
        text = text.replace(quoted, " ")
    return set(LATIN_WORD.findall(QUOTED.sub(" ", text))) - ALLOWED


def test_opening_and_status_are_russian(workspace: Path) -> None:
    opened = invoke("submission", "open", "uclg-culture21", "--edition", "2028")
    assert opened.stdout.startswith("Открыта заявка 1: 13 запросов материалов")
    assert opened.stdout.rstrip().splitlines()[-1] == (
        "Дальше: `contestflow submission advance 1` разошлёт запросы подразделениям.")
    assert not english_words(opened.stdout)

    status = invoke("submission", "status", "1")
    assert "Состояние: черновик" in status.stdout
    assert "запрос" in status.stdout and "подразделение" in status.stdout
    assert not english_words(status.stdout, "UCLG", "Culture"), status.stdout

    listed = invoke("submission", "list")
    assert "черновик" in listed.stdout
    assert not english_words(listed.stdout, "uclg", "culture21")


def test_refusals_are_russian_and_one_line(workspace: Path) -> None:
    missing = invoke("submission", "status", "99", code=1)
    assert missing.stderr.startswith("ошибка: ")
    assert len(missing.stderr.strip().splitlines()) == 1

    invoke("submission", "open", "uclg-culture21", "--edition", "2028")
    no_reason = invoke("submission", "withdraw", "1", "--reason", " ", code=1)
    assert no_reason.stderr.strip() == "ошибка: укажите, почему заявка отозвана"

    not_in_review = invoke("submission", "review", "1", "--approve", code=1)
    assert not_in_review.stderr.strip().startswith(
        "ошибка: заявка 1 сейчас в состоянии «черновик», а не «на проверке»")
    assert len(not_in_review.stderr.strip().splitlines()) == 1


def test_accounts_are_russian(workspace: Path) -> None:
    short = invoke("users", "add", "petrova", "--role", "reviewer", "--password-stdin",
                   stdin="short\n", code=1)
    assert short.stderr.strip() == "ошибка: пароль должен быть не короче 10 знаков"
    added = invoke("users", "add", "petrova", "--role", "reviewer", "--name", "Петрова А. А.",
                   "--password-stdin", stdin="a long enough password 1\n")
    assert added.stdout.startswith("Учётная запись petrova (")
    assert not english_words(added.stdout, "petrova")
    listed = invoke("users", "list")
    assert "логин" in listed.stdout and "да" in listed.stdout
    assert not english_words(listed.stdout, "petrova")


def run(*args: str, language: str | None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    env.pop("CONTESTFLOW_LANGUAGE", None)
    if language is not None:
        env["CONTESTFLOW_LANGUAGE"] = language
    return subprocess.run([CONTESTFLOW, *args], capture_output=True, text=True, env=env,
                          timeout=120)


def help_page(*command: str, language: str | None = "ru") -> str:
    """`contestflow … --help` from a process of its own: help is said when the commands are
    imported, in the language of that moment."""
    done = run(*command, "--help", language=language)
    assert done.returncode == 0, done.stderr
    return done.stdout


# What Click and Typer print themselves (not from our catalogue), and the names typed as they
# are: the metavars and the argument's name.
LIBRARY_CHROME = re.compile(
    r"Usage:|\[OPTIONS\]|COMMAND \[ARGS\]\.\.\.|\[required\]|<\w+>|\{\w+\}|"
    r"Show this message and exit\.|Install completion for the current shell\.|"
    r"Show completion for the current shell, to copy it or customize the installation\.|"
    r"\b(?:Arguments|Options|Commands)\b")
COMMANDS = ("contestflow", "calendar", "translate", "serve", "version", "worker", "deploy",
            "contests", "submission", "material", "departments", "users", "results", "memory",
            "glossary", "intake", "open", "status", "list", "advance", "review", "confirm",
            "mark-sent", "send", "withdraw", "apply-review", "contest", "Prefect", "online-form",
            "shortlist", "nominated")


@pytest.mark.parametrize(("command", "said"), [
    ((), "Заявки города на международные конкурсы — на двух языках и в срок."),
    (("submission",), "Отозвать ещё не отправленную заявку."),
    (("submission", "open"), "Выпуск, обычно год"),
], ids=["contestflow", "submission", "submission-open"])
def test_help_is_russian(command: tuple[str, ...], said: str) -> None:
    page = help_page(*command)
    assert said in page
    ours = LIBRARY_CHROME.sub(" ", page)
    assert not english_words(ours, *sorted(COMMANDS, key=len, reverse=True)), page


def test_help_is_english_when_asked() -> None:
    page = help_page("submission", language="en")
    assert "Submissions: one city entry to one contest edition." in page
    assert "Withdraw a submission that has not been sent." in page
    assert not CYRILLIC.search(page), page


@pytest.mark.parametrize("language", [None, "de"], ids=["unset", "refused"])
def test_help_is_russian_without_a_usable_language(language: str | None) -> None:
    """No setting, or one the settings would refuse: `--help` still answers, in Russian."""
    page = help_page("submission", language=language)
    assert "Заявки: одна заявка города на один выпуск конкурса." in page


def russian_plural(count: int, one: str, few: str, many: str) -> str:
    if count % 10 == 1 and count % 100 != 11:
        return one
    return few if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14 else many


def test_translation_and_exports_are_russian(workspace: Path, tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for text in ("Форум прошёл успешно.", "Город реализует проект.", "Форум прошёл успешно."):
        document.add_paragraph(text)
    source, out = tmp_path / "bid.docx", tmp_path / "out.docx"
    document.save(source)
    translated = invoke("translate", str(source), "-o", str(out))
    summary = " ".join(translated.stdout.split())
    assert f"{out}: 3 сегмента (различных: 2) — из глоссария: 0" in summary, summary
    assert not english_words(translated.stdout, str(out)), translated.stdout

    missing = invoke("translate", str(tmp_path / "none.docx"), "-o", str(out), code=1)
    assert missing.stderr.strip() == f"ошибка: {tmp_path / 'none.docx'}: такого файла нет"
    policy = invoke("translate", str(source), "-o", str(out), "--on-mt-failure", "ask", code=1)
    assert policy.stderr.strip() == "ошибка: --on-mt-failure должен быть error или leave"

    glossary = tmp_path / "terms.tbx"
    exported = invoke("glossary", "export", str(glossary))
    # the console wraps at the terminal's width; the seed glossary's size is its own business
    said = re.fullmatch(rf"{re.escape(str(glossary))}: (\d+) (\w+) \(TBX-Basic v3\)",
                        " ".join(exported.stdout.split()))
    assert said, exported.stdout
    assert said[2] == russian_plural(int(said[1]), "запись", "записи", "записей")
    memory = invoke("memory", "export", str(tmp_path / "m.tmx"))
    assert " ".join(memory.stdout.split()) == f"{tmp_path / 'm.tmx'}: 0 записей (TMX 1.4b)"
    same = invoke("memory", "export", str(tmp_path / "m.tmx"), "--from", "ru", "--to", "ru",
                  code=2)
    assert "--from и --to должны различаться" in same.stderr


def test_a_refused_language_is_russian_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from contestflow.cli.common import language

    for wanted, said in (("en", "en"), ("ru", "ru"), ("de", "ru"), ("", "ru"), ("EN", "ru")):
        monkeypatch.setenv("CONTESTFLOW_LANGUAGE", wanted)
        assert language() == said, wanted
    monkeypatch.delenv("CONTESTFLOW_LANGUAGE")
    assert language() == "ru"


def test_a_command_refuses_an_unknown_language_in_one_line(workspace: Path) -> None:
    refused = run("submission", "list", language="de")
    assert refused.returncode == 2, refused.stderr
    assert refused.stderr == ("ошибка: CONTESTFLOW_LANGUAGE должен быть ru или en (сейчас 'de')"
                              " / CONTESTFLOW_LANGUAGE must be ru or en (it is 'de')\n")
    assert not (workspace / "contestflow.db").exists()
