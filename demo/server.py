"""`make demo-server`: the demo's bid through a real Prefect server with workers.

What `make demo` does, on the production layout: `prefect server start` on PostgreSQL (in a
database of its own), the application database on PostgreSQL, `contestflow deploy` to a
process work pool, two `contestflow worker` processes. The web app and the reviewer's steps
only record what happened and emit an event; the deployment's trigger runs the flow on a
worker. At the end it says where the package is and which worker ran each flow run, then
stops everything it started and drops its databases.
"""

from __future__ import annotations

import sys
import time

from contestflow.config import get_settings
from demo.run import PROVIDER, load_language_resources, place_formatting, print_checklist, say
from demo.run import review_translations as fill_review_documents

WAIT_SECONDS = 600.0


def wait_for(submission_id: int, *states: str) -> str:
    """Until the submission is in one of ``states`` with nothing owed (the run finished)."""
    from sqlalchemy import select

    from contestflow.db import session_scope
    from contestflow.db.models import PendingAdvance, Submission

    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        with session_scope(read_only=True) as session:
            state = session.get(Submission, submission_id).state
            owed = session.scalar(select(PendingAdvance.id).where(
                PendingAdvance.submission_id == submission_id,
                PendingAdvance.done_at.is_(None)).limit(1))
        if state in states and owed is None:
            return state
        if time.monotonic() > deadline:
            raise SystemExit(f"submission {submission_id} still {state} after "
                             f"{WAIT_SECONDS:g} s; see the workers' logs")
        time.sleep(1)


def upload(submission_id: int, samples: dict) -> None:
    """Through the web app, as in `make demo`; here the last upload only emits an event."""
    from contestflow.db import session_scope
    from contestflow.db.models import Submission
    from contestflow.intake.client import send_fields, upload_file
    from contestflow.intake.tokens import current_token
    from contestflow.web.app import create_app
    from contestflow.web.server import BackgroundServer
    from demo.samples import structured_entries

    with session_scope() as session:
        links = {r.item_id: (r.id, current_token(session, r, actor="demo"))
                 for r in session.get(Submission, submission_id).requests}
    entries = structured_entries()
    with BackgroundServer(create_app(deliver=lambda: 0)) as web:
        for item_id, values in entries.items():
            send_fields(web.base_url, *links[item_id], values)
        for item_id, path in samples.items():
            if item_id not in entries:
                upload_file(web.base_url, *links[item_id], path, language="ru")
        time.sleep(0.5)  # the web app's background thread sends the event
    say("Uploads", f"{len(samples)} items through {web.base_url}/intake/…; the last one "
        "emitted contestflow.material.accepted, and the trigger queued a run")


def run_demo_server() -> None:
    import shutil

    from demo.stack import PostgresUnavailable, postgres_answers, server_stack, worker_of

    home = get_settings().home / "demo-server"
    try:
        ok, why = postgres_answers()
        if not ok:
            raise PostgresUnavailable(why)
        shutil.rmtree(home, ignore_errors=True)  # only once it can be made again
        with server_stack(home, workers=2, extra_env={"CONTESTFLOW_MT_PROVIDER": PROVIDER}) \
                as stack:
            say("Prefect server", f"{stack.api_url} on PostgreSQL; application database "
                f"{stack.app_database_url}; pool {stack.pool}; workers "
                f"{', '.join(stack.workers)}")
            run_bid(stack)
            say("Flow runs, and the worker that ran each")
            flows = stack.flow_names()
            for run in stack.flow_runs():
                if run.state_name != "Scheduled":
                    submission = run.parameters.get("submission_id", "-")
                    print(f"  {flows.get(run.flow_id, '?'):<20} {run.name:<26} "
                          f"submission {submission!s:<3} {run.state_name:<10} {worker_of(run)}")
    except PostgresUnavailable as error:
        print(f"make demo-server needs PostgreSQL at 127.0.0.1:5432 (or "
              f"CONTESTFLOW_POSTGRES_ADMIN_URL), and it does not answer: {error}",
              file=sys.stderr)
        raise SystemExit(2) from None
    say("Stopped", "the server, the workers and their databases are gone; the workspace "
        f"stays in {home}")


def run_bid(stack: object) -> None:
    from contestflow.db import session_scope
    from contestflow.sending import mark_sent
    from contestflow.store import get_store
    from contestflow.submission.eligibility import confirm_statements
    from contestflow.submission.opening import open_submission
    from contestflow.submission.review import decide
    from contestflow.submission.status import exported_package, submission_status
    from demo.run import CONTEST, EDITION
    from flows.events import announce

    home = get_settings().home
    samples, _ = load_language_resources(home)
    with session_scope() as session:
        submission_id = open_submission(session, CONTEST, EDITION,
                                        title="Казачья культура как основа единства города").id
    announce(submission_id)
    say("Submission opened", f"{CONTEST} {EDITION}: submission {submission_id}; event "
        f"sent, state {wait_for(submission_id, 'collecting')}")
    upload(submission_id, samples)
    say("Flow run after the last upload", f"state {wait_for(submission_id, 'translating')}")
    fill_review_documents(submission_id)
    place_formatting(submission_id)
    announce(submission_id)  # the review page and the applied files emit it in the web app
    say("Translations reviewed", f"state {wait_for(submission_id, 'in_review')}")
    with session_scope() as session:
        confirm_statements(session, get_store(), submission_id, None, actor="coordinator")
    print_checklist(submission_id)
    with session_scope() as session:
        decide(session, submission_id, reviewer="reviewer", approve=True,
               comment="Checked against the contest's rules")
    announce(submission_id)
    wait_for(submission_id, "approved")
    with session_scope() as session:
        mark_sent(session, submission_id, actor="coordinator", how="UCLG online form")
        status = submission_status(session, submission_id)
    package = exported_package(status)
    say("Done", f"state: {status.state}")
    print(f"  package:   {package}")
    print(f"  outbox:    {get_settings().outbox_dir}")


if __name__ == "__main__":
    run_demo_server()
