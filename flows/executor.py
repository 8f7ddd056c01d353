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
        """Run ``workflow`` with ``parameters`` and return its outcome (what
        ``workflow.read_outcome`` reads; the flow's return value equals it)."""


class RunFailed(RuntimeError):
    """A deployment run that ended in any state but completed (failed, crashed, cancelled,
    or still not finished when the wait ran out)."""


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


def on_server(settings: Settings | None = None) -> bool:
    """True when flows run on a Prefect server's workers (events, not in-process runs)."""
    return bool((settings or get_settings()).prefect_api_url)


class DeploymentExecutor:
    """Hands the run to a Prefect server's work pool, waits for it to finish, and reads the
    outcome from the application database: a worker's return value is not kept (result
    persistence is off by default in Prefect 3), and the database is the source of truth."""

    def __init__(self, timeout: float = 3600) -> None:
        self.timeout = timeout

    def run(self, workflow: WorkflowDefinition, parameters: dict[str, Any]) -> Any:
        from prefect.deployments import run_deployment

        flow_run = run_deployment(
            name=workflow.deployment_name, parameters=parameters, timeout=self.timeout
        )
        state = flow_run.state
        if state is None or not state.is_completed():
            name = state.name if state else "unknown"
            raise RunFailed(f"{workflow.name} run {flow_run.name} ended {name}: "
                            f"{(state.message if state else '') or 'no message'}")
        return workflow.read_outcome(parameters)


def get_executor(settings: Settings | None = None) -> WorkflowExecutor:
    settings = settings or get_settings()
    prepare_prefect_environment(settings)
    return DeploymentExecutor() if on_server(settings) else LocalExecutor()
