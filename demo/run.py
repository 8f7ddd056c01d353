"""`make demo`: one UCLG Culture 21 bid through the whole pipeline, offline, in a few minutes.

Everything happens in a demo workspace of its own (``$CONTESTFLOW_HOME/demo``, recreated on
each run) on the embedded default: SQLite, the local file store, Prefect's ephemeral mode. The
departments' uploads go through the real intake API on a local server; the flow is Prefect's.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

from contestflow.config import get_settings

CONTEST, EDITION = "uclg-culture21", "2028"
PROVIDER = "none"  # offline: no MT service is reachable, the memory does the work


def say(step: str, text: str = "") -> None:
    print(f"\n▶ {step}" + (f"\n  {text}" if text else ""), flush=True)


def prepare_workspace() -> Path:
    """A fresh demo workspace; Prefect's home stays in the main one so it starts fast."""
    main = get_settings()
    home = main.home / "demo"
    shutil.rmtree(home, ignore_errors=True)
    os.environ.setdefault("PREFECT_HOME", str(main.prefect_home))
    os.environ["CONTESTFLOW_HOME"] = str(home)
    os.environ.pop("CONTESTFLOW_DATABASE_URL", None)
    os.environ.pop("CONTESTFLOW_SMTP_URL", None)
    get_settings.cache_clear()
    from contestflow.config import prepare_prefect_environment
    from flows.run import quiet_prefect

    prepare_prefect_environment()
    quiet_prefect()
    return home


def load_language_resources(home: Path) -> tuple[dict[str, Path], int]:
    from contestflow.db import session_scope
    from contestflow.translation import import_memory, seed_glossary
    from demo.samples import build_samples, build_translation_memory

    samples = build_samples(home / "materials")
    tmx = home / "materials" / "translation-memory-2020.tmx"
    build_translation_memory(tmx)
    with session_scope() as session:
        terms = seed_glossary(session)
        units = import_memory(session, tmx.read_bytes(), "ru", "en", created_by="demo")
    say("Language resources", f"glossary: {terms} terms; translation memory from 2020: "
        f"{units} units ({tmx.name})")
    return samples, units


def open_and_request() -> int:
    from contestflow.db import session_scope
    from contestflow.submission.opening import open_submission
    from flows.run import run_workflow

    with session_scope() as session:
        submission = open_submission(session, CONTEST, EDITION,
                                     title="Казачья культура как основа единства города")
        submission_id, requests = submission.id, len(submission.requests)
    say("Submission opened", f"{CONTEST} {EDITION}: submission {submission_id}, "
        f"{requests} material requests")
    state = run_workflow("advance-submission", {"submission_id": submission_id,
                                                "mt_provider": PROVIDER})
    outbox = list(get_settings().outbox_dir.glob("*.eml"))
    say("Flow run: requests sent", f"state {state}; {len(outbox)} e-mails in the outbox "
        f"({get_settings().outbox_dir})")
    return submission_id


def upload_through_intake(submission_id: int, samples: dict[str, Path]) -> str:
    """Each department uploads its file through the intake API; the last upload advances."""
    from contestflow.db import session_scope
    from contestflow.db.models import Submission
    from contestflow.intake.client import send_fields, upload_file
    from contestflow.intake.tokens import current_token
    from contestflow.web.app import create_app
    from contestflow.web.background import run_advance_workflow
    from contestflow.web.server import BackgroundServer
    from demo.samples import structured_entries

    advanced = threading.Event()

    def advance(sid: int) -> object:
        try:
            return run_advance_workflow(sid)
        finally:
            advanced.set()

    with session_scope() as session:
        links = {r.item_id: (r.id, current_token(session, r, actor="demo"))
                 for r in session.get(Submission, submission_id).requests}
    uploaded = 0
    entries = structured_entries()
    with BackgroundServer(create_app(advance=advance, deliver=lambda: 0)) as server:
        for item_id, values in entries.items():
            request_id, token = links[item_id]
            answer = send_fields(server.base_url, request_id, token, values)
            print(f"  {item_id:<20} → fields, v{answer['version']}")
        for item_id, path in samples.items():
            if item_id in entries:
                continue  # typed into the page's fields above, not sent as a file
            request_id, token = links[item_id]
            answer = upload_file(server.base_url, request_id, token, path, language="ru")
            uploaded += 1
            print(f"  {item_id:<20} → v{answer['version']} sha256 {answer['sha256'][:12]}")
        say("Uploads", f"{len(entries)} sets of fields and {uploaded} files through "
            f"{server.base_url}/intake/…; the last upload started the flow in the background")
        advanced.wait(timeout=600)
    with session_scope() as session:
        return session.get(Submission, submission_id).state


def review_translations(submission_id: int) -> None:
    """A reviewer fills in what the memory did not cover and approves every row, except the
    ones whose formatting the memory could not place: those wait for the review page."""
    from docx import Document as open_docx

    from contestflow.db import session_scope
    from contestflow.store import get_store
    from contestflow.submission.translating import apply_submission_review
    from demo.samples import reviewer_translations

    review_dir = get_settings().submission_dir(submission_id) / "review"
    typed = reviewer_translations()
    for path in sorted(review_dir.glob("*.review.docx")):
        document = open_docx(str(path))
        table = document.tables[0]
        filled = 0
        for row in table.rows[1:]:
            cells = row.cells
            source, target = cells[1].text.strip(), cells[2].text.strip()
            if not target and source in typed:
                cells[2].text = typed[source]
                filled += 1
            if not cells[5].text.startswith("source formatting:"):
                cells[6].text = "approved"
        document.save(str(path))
        with session_scope() as session:
            left = apply_submission_review(session, get_store(), submission_id,
                                           path.read_bytes(), reviewer="reviewer")
        print(f"  {path.name}: {filled} segment(s) translated by the reviewer, {left} left")


def place_formatting(submission_id: int) -> None:
    """On the translation review page, the reviewer puts back the bold, italic and link that
    memory matches could not carry, and approves those rows."""
    from contestflow.db import session_scope
    from contestflow.store import get_store
    from contestflow.submission.translations import (
        current_documents,
        save_segment_edits,
        translation_page,
    )
    from contestflow.translation.review import SegmentEdit
    from demo.samples import formatting_placements

    placements = formatting_placements()
    placed = 0
    with session_scope() as session:
        documents = [d.id for d in current_documents(session, submission_id)]
    for document_id in documents:
        with session_scope() as session:
            page = translation_page(session, document_id)
            edits = {row.position: SegmentEdit(placements[row.source], "approved")
                     for row in page.rows if row.source in placements
                     and row.target != placements[row.source]}
            if edits:
                save_segment_edits(session, get_store(), document_id, edits,
                                   seen_version=page.version, reviewer="reviewer")
                placed += len(edits)
    say("Formatting placed", f"the reviewer placed bold, italic and a link on {placed} "
        "sentence(s) the memory knew only as plain text")


def finish(submission_id: int) -> None:
    from contestflow.db import session_scope
    from contestflow.sending import Proof, mark_sent
    from contestflow.store import get_store
    from contestflow.submission.eligibility import confirm_statements
    from contestflow.submission.review import decide
    from contestflow.submission.status import exported_package, submission_status
    from demo.results import finish_demo
    from flows.run import run_workflow

    state = run_workflow("advance-submission", {"submission_id": submission_id,
                                                "mt_provider": PROVIDER})
    say("Flow run: translated, assembled", f"state {state}")
    with session_scope() as session:
        left = confirm_statements(session, get_store(), submission_id, None, actor="coordinator")
    say("Eligibility confirmed", "the coordinator confirmed the contest's conditions"
        + (f"; still open: {left}" if left else ""))
    print_checklist(submission_id)
    with session_scope() as session:
        decide(session, submission_id, reviewer="reviewer", approve=True,
               comment="Checked against the contest's rules")
    # The online form's sending is recorded with its proof: in the demo, a stand-in for the
    # confirmation page the coordinator saves as PDF.
    confirmation = get_store().put_bytes(
        b"%PDF-1.4\n% demo: the UCLG online form's confirmation page\n%%EOF\n")
    with session_scope() as session:
        mark_sent(session, submission_id, actor="coordinator", how="UCLG online form",
                  proof=Proof("uclg-online-form-confirmation.pdf", confirmation.sha256,
                              confirmation.size))
    say("Reviewed and sent", "approved by the reviewer; the coordinator marked it sent, "
        "with the form's confirmation")
    report_dir = get_settings().home / "report"
    with session_scope() as session:
        report = finish_demo(session, submission_id, report_dir)
        status = submission_status(session, submission_id)
    package = exported_package(status)
    say("Done", f"state: {status.state}")
    print(f"  package:   {package}")
    print(f"  manifest:  {package.with_suffix('').with_suffix('.manifest.json')}")
    print(f"  reviews:   {package.parent / 'review'}")
    print(f"  report:    {report.index}")
    print(f"  outbox:    {get_settings().outbox_dir}")


def print_checklist(submission_id: int) -> None:
    """The package against the contest's rules, as the reviewer sees it before deciding."""
    from contestflow.assembly.approval import package_record
    from contestflow.db import session_scope
    from contestflow.store import get_store
    from contestflow.submission.steps import load

    with session_scope() as session:
        record = package_record(get_store(), load(session, submission_id))
    assert record is not None
    say("The package against the contest's rules")
    for entry in record["checklist"]:
        print(f"  {entry['status']:<15} {entry['title_en']}")
        findings = entry["findings"]
        for finding in findings[:2]:
            print(f"      {finding['item_id'] or 'package'}: {finding['message_en']}")
        if len(findings) > 2:
            print(f"      … and {len(findings) - 2} more like these")


def run_demo() -> None:
    home = prepare_workspace()
    say("contestflow demo", f"workspace {home} (SQLite, local store, Prefect ephemeral mode)")
    samples, _ = load_language_resources(home)
    submission_id = open_and_request()
    state = upload_through_intake(submission_id, samples)
    say("Flow run after the last upload", f"state {state}: the memory translated most "
        "segments; the rest wait for a reviewer")
    review_translations(submission_id)
    place_formatting(submission_id)
    finish(submission_id)
