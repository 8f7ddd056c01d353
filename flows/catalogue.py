"""Every workflow contestflow runs, as data.

Each record names its flow by dotted path, so reading the catalogue imports no flow code (and
no Prefect); deployments for a server are built from the same records (flows/deploy.py).
``outcome`` names, the same way, what reads a run's outcome from the application database or
the workspace afterwards: on a server the flow's return value is not kept (Prefect 3 persists
no results unless told to), and our database is the source of truth anyway.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class WorkflowDefinition:
    name: str
    module: str
    function: str
    description: str
    cron: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    concurrency_limit: int | None = None
    outcome: str | None = None  # "module:function" taking the run's parameters
    triggered_by: tuple[str, ...] = field(default_factory=tuple)  # event names (server)
    # Workflows whose crashed runs this one follows up (server): a run marked crashed, its
    # worker gone, leaves its submission owed a run, and this workflow asks for it again.
    follows_crashes_of: tuple[str, ...] = field(default_factory=tuple)

    @property
    def deployment_name(self) -> str:
        """``flow-name/deployment-name`` as ``run_deployment`` expects it."""
        return f"{self.name}/{self.name}"

    @property
    def entrypoint(self) -> str:
        """Where a worker finds the flow, relative to the repository root."""
        return f"{self.module.replace('.', '/')}.py:{self.function}"

    def load(self) -> Any:
        """Import and return the Prefect flow object."""
        return getattr(importlib.import_module(self.module), self.function)

    def read_outcome(self, parameters: dict[str, Any]) -> Any:
        """The run's outcome as the database and workspace tell it (None: none to read)."""
        if self.outcome is None:
            return None
        module, function = self.outcome.split(":")
        return getattr(importlib.import_module(module), function)(parameters)


ADVANCE_SUBMISSION = WorkflowDefinition(
    name="advance-submission",
    module="flows.submission",
    function="advance_submission",
    description="Move one submission as far as its state allows, then stop.",
    tags=("submission",),
    concurrency_limit=4,
    outcome="flows.outcomes:submission_state",
    # flows/events.py: an accepted upload, a saved or applied review, a decision, a request
    triggered_by=("contestflow.*",),
)

ADVANCE_PENDING = WorkflowDefinition(
    name="advance-pending",
    module="flows.submission",
    function="advance_pending_submissions",
    description="Ask again for every submission still owed a run (server mode): an event "
    "lost while the server was down, a run that crashed with its worker.",
    cron="*/5 * * * *",
    tags=("submission",),
    concurrency_limit=1,
    follows_crashes_of=("advance-submission",),
)

TRACK_RESULTS = WorkflowDefinition(
    name="track-results",
    module="flows.results",
    function="track_results",
    description="List sent submissions past the organiser's announcement date without a "
    "recorded result, and remind the coordinator (at most once a week for the same list).",
    cron="0 6 * * *",  # 09:00 at UTC+3, the shipped city's morning
    tags=("results",),
    concurrency_limit=1,
)

RESULTS_REPORT = WorkflowDefinition(
    name="results-report",
    module="flows.results",
    function="results_report",
    description="Write the results report (HTML, CSV, XLSX, charts); publish its tables as "
    "artifacts.",
    tags=("results", "report"),
    concurrency_limit=2,
    outcome="flows.outcomes:report_index",
)

SEND_REMINDERS = WorkflowDefinition(
    name="send-reminders",
    module="flows.reminders",
    function="send_reminders",
    description="Deliver the outbox; in working hours, remind departments before their due "
    "dates and send the coordinator a summary of what is late (each at most once).",
    cron="*/15 * * * *",  # delivery every 15 minutes; reminders are deduplicated per day
    tags=("notify",),
    concurrency_limit=1,
)

WORKFLOWS: tuple[WorkflowDefinition, ...] = (
    ADVANCE_SUBMISSION,
    ADVANCE_PENDING,
    TRACK_RESULTS,
    RESULTS_REPORT,
    SEND_REMINDERS,
)


def get_workflow(name: str) -> WorkflowDefinition:
    for workflow in WORKFLOWS:
        if workflow.name == name:
            return workflow
    raise KeyError(f"no workflow named {name!r}")
