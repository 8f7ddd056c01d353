"""The command line speaks Russian by default: its sentences, tables, refusals and next steps
come from the catalogue, with no English interface word (commands to copy are quoted as they
are typed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from contestflow.cli.main import app
from contestflow.config import get_settings

runner = CliRunner()
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# What a Russian sentence quotes as typed: the program and its options, ids and names of data.
QUOTED = re.compile(r"`[^`]*`|--[\w-]+|\S*[._/@:]\S*")
ALLOWED = {"MB", "Word", "PDF", "DOCX"}


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
    assert not_in_review.stderr.strip() == (
        "ошибка: заявка 1 — «черновик», а не на проверке")


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
