"""Every workflow contestflow runs, as data.

Each record names its flow by dotted path, so reading the catalogue imports no flow code (and
no Prefect); deployments for a server are built from the same records (see flows/serve.py).
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

    @property
    def deployment_name(self) -> str:
        """``flow-name/deployment-name`` as ``run_deployment`` expects it."""
        return f"{self.name}/{self.name}"

    def load(self) -> Any:
        """Import and return the Prefect flow object."""
        return getattr(importlib.import_module(self.module), self.function)


ADVANCE_SUBMISSION = WorkflowDefinition(
    name="advance-submission",
    module="flows.submission",
    function="advance_submission",
    description="Move one submission as far as its state allows, then stop.",
    tags=("submission",),
    concurrency_limit=4,
)

WORKFLOWS: tuple[WorkflowDefinition, ...] = (ADVANCE_SUBMISSION,)


def get_workflow(name: str) -> WorkflowDefinition:
    for workflow in WORKFLOWS:
        if workflow.name == name:
            return workflow
    raise KeyError(f"no workflow named {name!r}")
