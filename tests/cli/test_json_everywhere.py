"""Every command a script may call takes --json (the README promises it), and its JSON parses."""

from __future__ import annotations

import json
from typing import Any

import typer
from typer.testing import CliRunner

from contestflow.cli.main import app

# Not for scripts: they run until stopped, or print the program's version.
LONG_RUNNING_OR_TRIVIAL = {"serve", "worker", "version"}


def _commands(group: Any, prefix: str = "") -> dict[str, Any]:
    """Every leaf command by its path (Typer's groups are its own click's, hence duck typing)."""
    found: dict[str, Any] = {}
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        if hasattr(command, "commands"):
            found |= _commands(command, f"{path} ")
        else:
            found[path] = command
    return found


def test_every_command_takes_json() -> None:
    commands = _commands(typer.main.get_command(app))
    assert len(commands) > 30
    without = sorted(path for path, command in commands.items()
                     if path not in LONG_RUNNING_OR_TRIVIAL
                     and not any("--json" in param.opts for param in command.params))
    assert without == []


def test_confirming_commands_print_json(workspace: object) -> None:
    runner = CliRunner()
    added = runner.invoke(app, ["users", "add", "sidorova", "--role", "readonly",
                                "--password-stdin", "--json"], input="long enough 12345\n")
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout) == {"login": "sidorova", "role": "readonly", "active": True}
    listed = json.loads(runner.invoke(app, ["users", "list", "--json"]).stdout)
    assert [a["login"] for a in listed] == ["sidorova"]
    ended = json.loads(runner.invoke(app, ["users", "deactivate", "sidorova", "--json"]).stdout)
    assert ended == {"login": "sidorova", "active": False}
    opened = json.loads(runner.invoke(app, ["submission", "open", "uclg-culture21", "--edition",
                                            "2028", "--json"]).stdout)
    withdrawn = runner.invoke(app, ["submission", "withdraw", str(opened["id"]), "--reason",
                                    "not this year", "--json"])
    assert json.loads(withdrawn.stdout) == {"id": opened["id"], "state": "withdrawn"}
