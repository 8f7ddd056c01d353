"""`contestflow translate`: translate a Word document, or rebuild it from a reviewed file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from contestflow.cli.common import console, fail, language, one_line, print_json, say
from contestflow.files import write_atomically
from contestflow.i18n import N_, ntr

Opt = typer.Option


def _read(path: Path, missing: str) -> bytes:
    """The file's bytes; ``missing`` is the catalogued sentence when it is not there."""
    if not path.is_file():
        raise FileNotFoundError(say(missing, file=path))
    return path.read_bytes()


def _import_resources(glossary: Path | None, memory: Path | None, source: str,
                      target: str) -> dict[str, int]:
    from contestflow.db import session_scope
    from contestflow.translation.glossary import seed_glossary
    from contestflow.translation.library import import_glossary, import_memory

    counts = {}
    with session_scope() as session:
        seed_glossary(session)
        if glossary is not None:
            terms = _read(glossary, N_("%(file)s: no such glossary"))
            counts["glossary_imported"] = import_glossary(session, terms, glossary.name, source,
                                                          target)
        if memory is not None:
            tmx = _read(memory, N_("%(file)s: no such TMX file"))
            counts["memory_imported"] = import_memory(session, tmx, source, target)
    return counts


def _provider(name: str, url: str | None, api_key: str | None, concurrency: int | None,
              model: str | None = None) -> Any:
    from contestflow.translation.mt import make_provider

    key = api_key or os.environ.get("CONTESTFLOW_MT_API_KEY")
    extra = {"model": model or os.environ.get("CONTESTFLOW_MT_MODEL")} if name == "llm" else {}
    return make_provider(name, url=url, api_key=key, concurrency=concurrency, **extra)


def _summary(stats: dict[str, Any], output: Path) -> None:
    segments = ntr(language(), "%(count)s segment", "%(count)s segments", stats["segments"])
    console.print(
        say(N_("%(output)s: %(segments)s (%(distinct)s distinct) — glossary %(glossary)s, "
               "memory %(memory)s, MT %(mt)s (%(requests)s requests, %(cached)s answers kept "
               "from earlier runs), left for a human %(untranslated)s; QA flags %(flags)s"),
            output=output, segments=segments, distinct=stats["unique_segments"],
            glossary=stats["from_glossary"], memory=stats["from_memory"], mt=stats["from_mt"],
            requests=stats["mt_requests"], cached=stats["mt_from_cache"],
            untranslated=stats["untranslated"], flags=stats["qa_flags"]),
        highlight=False, soft_wrap=True)


def translate_command(
    source_file: Annotated[Path, typer.Argument(help=say(N_("The .docx to translate")))],
    output: Annotated[Path, Opt("-o", "--output", help=say(N_("Where to write the translation")))],
    source: Annotated[str, Opt("--source", help=say(N_("Source language")))] = "ru",
    target: Annotated[str, Opt("--target", help=say(N_("Target language")))] = "en",
    provider: Annotated[str, Opt(help=say(N_(
        "MT provider, or none (glossary and memory only); an unknown name is refused with the "
        "list")))] = "none",
    provider_url: Annotated[str | None, Opt(help=say(N_("The provider's base URL")))] = None,
    api_key: Annotated[str | None, Opt(
        help=say(N_("API key (or CONTESTFLOW_MT_API_KEY)")))] = None,
    model: Annotated[str | None, Opt(help=say(N_(
        "The model, for --provider llm (or CONTESTFLOW_MT_MODEL)")))] = None,
    fallback: Annotated[str | None, Opt(
        help=say(N_("Provider to use when the first fails")))] = None,
    fallback_url: Annotated[str | None, Opt(
        help=say(N_("The fallback provider's base URL")))] = None,
    glossary: Annotated[Path | None, Opt(help=say(N_("Import terms (.csv or .tbx) first")))] = None,
    tm: Annotated[Path | None, Opt("--tm", help=say(N_("Import a TMX memory first")))] = None,
    review: Annotated[Path | None, Opt(
        help=say(N_("Also write the bilingual review .docx")))] = None,
    xliff: Annotated[Path | None, Opt(help=say(N_("Also write an XLIFF 2.0 file")))] = None,
    from_review: Annotated[Path | None, Opt(help=say(N_(
        "Rebuild OUTPUT from a reviewed .docx or .xlf; approved rows go to memory")))] = None,
    timeout: Annotated[float, Opt(help=say(N_("Seconds to wait for one MT answer")))] = 20.0,
    concurrency: Annotated[int | None, Opt(help=say(N_("Parallel MT requests")))] = None,
    on_mt_failure: Annotated[str, Opt(help=say(N_(
        "error: stop; leave: keep source, mark for a human")))] = "error",
    personal_data: Annotated[bool, Opt(help=say(N_("The material holds personal data")))] = False,
    allow_public_mt: Annotated[bool, Opt(help=say(N_(
        "The coordinator allows public MT for personal data")))] = False,
    as_json: Annotated[bool, Opt("--json", help=say(N_("Print the figures as JSON")))] = False,
) -> None:
    try:
        data = _read(source_file, N_("%(file)s: no such file"))
        if from_review is not None:
            payload = _apply(data, from_review, output)
        else:
            payload = _translate(data, source_file, output, source, target, locals())
    except typer.Exit:
        raise
    except Exception as error:  # one line, never a traceback
        fail(_message(error))
    if as_json:
        print_json(payload)
    elif from_review is None:
        _summary(payload, output)
    else:
        console.print(ntr(language(), "%(output)s: rebuilt from the review; %(count)s approved "
                          "segment stored in the memory", "%(output)s: rebuilt from the review; "
                          "%(count)s approved segments stored in the memory",
                          payload["approved"], output=output), highlight=False)


def _message(error: Exception) -> str:
    from contestflow.translation.errors import TranslationError

    if isinstance(error, TranslationError | FileNotFoundError | PermissionError):
        return str(error).strip("'\"")
    if isinstance(error, OSError):
        return f"{getattr(error, 'filename', '') or ''} {error.strerror or error}".strip()
    return one_line(error)  # a full or lost database says so, without SQLAlchemy's links


def _translate(data: bytes, source_file: Path, output: Path, source: str, target: str,
               args: dict[str, Any]) -> dict[str, Any]:
    from contestflow.cli.progress import translation_progress
    from contestflow.db import session_scope
    from contestflow.translation.engine import persist, translate_document
    from contestflow.translation.mt import MTPolicy
    from contestflow.translation.records import TranslateOptions
    from contestflow.translation.review import export_xliff, write_review

    if args["on_mt_failure"] not in ("error", "leave"):
        fail(say(N_("--on-mt-failure must be error or leave")))
    imported = _import_resources(args["glossary"], args["tm"], source, target)
    primary = _provider(args["provider"], args["provider_url"], args["api_key"],
                        args["concurrency"], args["model"])
    second = _provider(args["fallback"], args["fallback_url"], args["api_key"],
                       args["concurrency"], args["model"]) if args["fallback"] else None
    options = TranslateOptions(
        personal_data=args["personal_data"], allow_public_mt=args["allow_public_mt"],
        on_mt_failure=args["on_mt_failure"], fallback=second,
        policy=MTPolicy(read_timeout=args["timeout"], deadline=max(60.0, args["timeout"] * 6)),
        title=source_file.name)
    # The run waits on MT for minutes: it reads only (MT answers are kept on their own), and
    # the document is recorded once its files are written, so a failed write records nothing.
    with translation_progress(quiet=args["as_json"]) as progress, \
            session_scope(read_only=True) as session:
        outcome = translate_document(session, data, source_lang=source, target_lang=target,
                                     provider=primary, options=options, progress=progress)
    write_atomically(output, outcome.output)
    if args["review"] is not None:
        write_atomically(args["review"], write_review(outcome, title=source_file.name))
    if args["xliff"] is not None:
        write_atomically(args["xliff"], export_xliff(outcome, original=source_file.name))
    with session_scope() as session:
        outcome.document_id = persist(session, outcome, None)
    return {**outcome.stats, **imported, "output": str(output),
            "document_id": outcome.document_id}


def _apply(data: bytes, review_file: Path, output: Path) -> dict[str, Any]:
    from contestflow.db import session_scope
    from contestflow.translation.review import apply_review

    review = _read(review_file, N_("%(file)s: no such review file"))
    with session_scope() as session:
        outcome = apply_review(session, source=data, review=review, reviewer="cli")
    write_atomically(output, outcome.output)
    return {**outcome.stats, "stored_units": outcome.stored_units, "output": str(output)}


def register(app: typer.Typer) -> None:
    """Add the ``translate`` command to the main CLI."""
    app.command("translate", help=say(N_(
        "Translate SRC.docx (ru↔en) keeping its formatting: glossary, memory, MT, QA, review."
    )))(translate_command)
