"""`contestflow translate`: translate a Word document, or rebuild it from a reviewed file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import typer

from contestflow.cli.common import console, fail, one_line, print_json
from contestflow.files import write_atomically

Opt = typer.Option


def _read(path: Path, what: str) -> bytes:
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such {what}")
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
            counts["glossary_imported"] = import_glossary(
                session, _read(glossary, "glossary"), glossary.name, source, target)
        if memory is not None:
            counts["memory_imported"] = import_memory(session, _read(memory, "TMX file"),
                                                      source, target)
    return counts


def _provider(name: str, url: str | None, api_key: str | None, concurrency: int | None,
              model: str | None = None) -> Any:
    from contestflow.translation.mt import make_provider

    key = api_key or os.environ.get("CONTESTFLOW_MT_API_KEY")
    extra = {"model": model or os.environ.get("CONTESTFLOW_MT_MODEL")} if name == "llm" else {}
    return make_provider(name, url=url, api_key=key, concurrency=concurrency, **extra)


def _summary(stats: dict[str, Any], output: Path) -> None:
    console.print(
        f"{output}: {stats['segments']} segments ({stats['unique_segments']} distinct) — "
        f"glossary {stats['from_glossary']}, memory {stats['from_memory']}, "
        f"MT {stats['from_mt']} ({stats['mt_requests']} requests, "
        f"{stats['mt_from_cache']} answers kept from earlier runs), "
        f"left for a human {stats['untranslated']}; QA flags {stats['qa_flags']}",
        highlight=False, soft_wrap=True)


def translate_command(
    source_file: Annotated[Path, typer.Argument(help="The .docx to translate")],
    output: Annotated[Path, Opt("-o", "--output", help="Where to write the translation")],
    source: Annotated[str, Opt("--source", help="Source language")] = "ru",
    target: Annotated[str, Opt("--target", help="Target language")] = "en",
    provider: Annotated[str, Opt(help="MT provider, or none (glossary and memory only); an "
                                      "unknown name is refused with the list")] = "none",
    provider_url: Annotated[str | None, Opt(help="The provider's base URL")] = None,
    api_key: Annotated[str | None, Opt(help="API key (or CONTESTFLOW_MT_API_KEY)")] = None,
    model: Annotated[str | None, Opt(help="The model, for --provider llm (or "
                                          "CONTESTFLOW_MT_MODEL)")] = None,
    fallback: Annotated[str | None, Opt(help="Provider to use when the first fails")] = None,
    fallback_url: Annotated[str | None, Opt(help="The fallback provider's base URL")] = None,
    glossary: Annotated[Path | None, Opt(help="Import terms (.csv or .tbx) first")] = None,
    tm: Annotated[Path | None, Opt("--tm", help="Import a TMX memory first")] = None,
    review: Annotated[Path | None, Opt(help="Also write the bilingual review .docx")] = None,
    xliff: Annotated[Path | None, Opt(help="Also write an XLIFF 2.0 file")] = None,
    from_review: Annotated[Path | None, Opt(help="Rebuild OUTPUT from a reviewed .docx or "
                                                  ".xlf; approved rows go to memory")] = None,
    timeout: Annotated[float, Opt(help="Seconds to wait for one MT answer")] = 20.0,
    concurrency: Annotated[int | None, Opt(help="Parallel MT requests")] = None,
    on_mt_failure: Annotated[str, Opt(help="error: stop; leave: keep source, mark for a "
                                           "human")] = "error",
    personal_data: Annotated[bool, Opt(help="The material holds personal data")] = False,
    allow_public_mt: Annotated[bool, Opt(help="The coordinator allows public MT for "
                                              "personal data")] = False,
    as_json: Annotated[bool, Opt("--json", help="Print the figures as JSON")] = False,
) -> None:
    """Translate SRC.docx (ru↔en) keeping its formatting: glossary, memory, MT, QA, review."""
    try:
        data = _read(source_file, "file")
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
        console.print(f"{output}: rebuilt from the review; {payload['approved']} approved "
                      "segments stored in the memory", highlight=False)


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
        raise ValueError("--on-mt-failure must be error or leave")
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

    review = _read(review_file, "review file")
    with session_scope() as session:
        outcome = apply_review(session, source=data, review=review, reviewer="cli")
    write_atomically(output, outcome.output)
    return {**outcome.stats, "stored_units": outcome.stored_units, "output": str(output)}


def register(app: typer.Typer) -> None:
    """Add the ``translate`` command to the main CLI."""
    app.command("translate")(translate_command)
