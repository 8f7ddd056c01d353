"""The command line: the front door for coordinators and scripts."""

from contestflow.cli.main import app, main

__all__ = ["app", "main"]
