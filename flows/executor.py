"""Running a workflow: in this process (the embedded default) or on a Prefect server's workers.

Both executors take the same catalogue record and parameters, so callers (the CLI, the web app)
never know which one runs; configuration chooses (``CONTESTFLOW_PREFECT_API_URL``).
"""

from __future__ import annotations

from typing import Any, Protocol

from contestflow.config import Settings, get_settings, prepare_prefect_environment
from flows.catalogue import WorkflowDefinition


class WorkflowExecutor(Protocol):
    def run(self, workflow: WorkflowDefinition, parameters: dict[str, Any]) -> Any:
        """Run ``workflow`` with ``parameters`` and return its result."""


class LocalExecutor:
    """Runs the flow in-process, against Prefect's ephemeral API unless a server is configured."""

    def run(self, workflow: WorkflowDefinition, parameters: dict[str, Any]) -> Any:
        from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

        flow = workflow.load()
        # A worker would refuse bad parameters before running; so do we.
        validated = flow.validate_parameters(parameters)
        # The heartbeat thread's join costs ~1 s a run and detects nothing in-process.
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            return flow(**validated)


class DeploymentExecutor:
    """Hands the run to a Prefect server's work pool and waits for its result."""

    def __init__(self, timeout: float = 3600) -> None:
        self.timeout = timeout

    def run(self, workflow: WorkflowDefinition, parameters: dict[str, Any]) -> Any:
        from prefect.deployments import run_deployment

        flow_run = run_deployment(
            name=workflow.deployment_name, parameters=parameters, timeout=self.timeout
        )
        return flow_run.state.result() if flow_run.state else None


def get_executor(settings: Settings | None = None) -> WorkflowExecutor:
    settings = settings or get_settings()
    prepare_prefect_environment(settings)
    return DeploymentExecutor() if settings.prefect_api_url else LocalExecutor()
