"""`contestflow memory export` and `contestflow glossary export`: the department's language
resources as files other translators' tools read (TMX 1.4b; TBX-Basic v3, or v2 ``martif``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from contestflow.cli.common import (
    JsonOption,
    console,
    fail,
    language,
    print_json,
    say,
    user_errors,
)
from contestflow.files import write_atomically
from contestflow.i18n import N_, ntr

if TYPE_CHECKING:
    from contestflow.translation.formats import TranslationStore

memory_app = typer.Typer(help=say(N_("The translation memory.")), no_args_is_help=True)
glossary_app = typer.Typer(help=say(N_("The glossary.")), no_args_is_help=True)


class Lang(StrEnum):
    ru = "ru"
    en = "en"


FromOption = Annotated[Lang, typer.Option("--from", help=say(N_("Source language")))]
ToOption = Annotated[Lang, typer.Option("--to", help=say(N_("Target language")))]
OutArgument = Annotated[Path, typer.Argument(help=say(N_("The file to write")))]


def register(main_app: typer.Typer) -> None:
    """Add ``memory`` and ``glossary`` to the ``contestflow`` app."""
    main_app.add_typer(memory_app, name="memory")
    main_app.add_typer(glossary_app, name="glossary")


def _refuse_same(source: Lang, target: Lang) -> None:
    if source == target:
        raise typer.BadParameter(say(N_("--from and --to must differ")), param_hint="--to")


def _write(out: Path, store: TranslationStore, as_json: bool) -> None:
    data = store.serialize()
    try:
        write_atomically(out, data)
    except OSError as error:  # a folder in its place, no permission, a full disk
        fail(say(N_("cannot write %(file)s: %(why)s"), file=out, why=error.strerror or error))
    if as_json:
        print_json({"path": str(out), "format": store.Name, "entries": len(store),
                    "bytes": len(data)})
    else:
        console.print(ntr(language(), "%(file)s: %(count)s entry (%(format)s)",
                          "%(file)s: %(count)s entries (%(format)s)", len(store), file=out,
                          format=store.Name), highlight=False)


@memory_app.command("export", help=say(N_(
    "Write the translation memory for one direction as a TMX 1.4b file.")))
def memory_export(out: OutArgument, source: FromOption = Lang.ru, target: ToOption = Lang.en,
                  as_json: JsonOption = False) -> None:
    from contestflow.db import session_scope
    from contestflow.translation.library import memory_exchange

    _refuse_same(source, target)
    with user_errors(), session_scope() as session:
        store = memory_exchange(session, source.value, target.value)
    _write(out, store, as_json)


@glossary_app.command("export", help=say(N_(
    "Write the glossary for one direction as TBX-Basic (v3; v2 with --tbx2).")))
def glossary_export(
    out: OutArgument,
    source: FromOption = Lang.ru,
    target: ToOption = Lang.en,
    tbx2: Annotated[bool, typer.Option(
        "--tbx2", help=say(N_("TBX v2 (martif) for tools that read no TBX v3")))] = False,
    as_json: JsonOption = False,
) -> None:
    from contestflow.db import session_scope
    from contestflow.translation.glossary import seed_glossary
    from contestflow.translation.library import glossary_exchange

    _refuse_same(source, target)
    with user_errors(), session_scope() as session:
        seed_glossary(session)  # the department's seed terms are part of every glossary
        store = glossary_exchange(session, source.value, target.value, tbx2=tbx2)
    _write(out, store, as_json)
