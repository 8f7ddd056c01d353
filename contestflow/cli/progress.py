"""How far `contestflow translate` is: a bar on a terminal, plain lines in a log.

Both go to stdout with the command's summary, so stderr keeps only the one-line error a
script looks for; with ``--json`` there is none, so stdout stays parseable. The engine
reports after its lookups, after each MT batch and at the end (see
``TranslateOptions.progress``); plain lines are written at the first report, every tenth of
the way and at the end, so a log of a 3,000-segment document gets a dozen lines, not one
per batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from contestflow.cli.common import console as default_console
from contestflow.cli.common import language, say
from contestflow.i18n import N_

if TYPE_CHECKING:  # the CLI starts without loading the translation engine
    from contestflow.translation.records import TranslationProgress

Listener = Callable[["TranslationProgress"], None]
STEPS = 10  # plain lines: one every tenth of the way


class PlainLines:
    """Writes a line when the translation has gone another tenth of the way, and at the end."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.last: TranslationProgress | None = None

    def __call__(self, report: TranslationProgress) -> None:
        step = max(1, report.total // STEPS)
        last = self.last
        if last is not None and (report == last or (
                report.done < report.total and report.done - last.done < step)):
            return
        self.last = report
        self.console.print(report.describe(language()), highlight=False, soft_wrap=True)


@contextmanager
def translation_progress(*, quiet: bool = False,
                         console: Console | None = None) -> Iterator[Listener | None]:
    """The listener to pass as ``progress=`` to ``translate_document`` (``None`` if quiet)."""
    console = console or default_console
    if quiet:
        yield None
        return
    if not console.is_terminal:
        yield PlainLines(console)
        return
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
                  console=console) as bar:
        task = bar.add_task(say(N_("Translating")), total=None, detail="")

        def show(report: TranslationProgress) -> None:
            bar.update(task, total=report.total, completed=report.done, detail=say(
                N_("memory %(memory)d, MT %(mt)d, waiting for a person %(waiting)d"),
                memory=report.memory, mt=report.mt, waiting=report.waiting))

        yield show
