"""Server mode: the catalogue's workflows as deployments on a process work pool, and workers.

``contestflow deploy`` registers every catalogued workflow (schedule, tags, concurrency, and
for ``advance-submission`` the trigger on our events) and the MT providers' global
concurrency limits; ``contestflow worker --pool NAME`` polls the pool and runs each flow run
in a process of its own, from this repository's checkout (the same code on every machine).
"""

from __future__ import annotations

import asyncio
import contextlib
import shlex
import sys
from dataclasses import dataclass
from typing import Any

from contestflow.config import REPOSITORY_ROOT
from flows.catalogue import WORKFLOWS, WorkflowDefinition
from flows.events import SUBMISSION_LABEL

DEFAULT_POOL = "contestflow"
# What one provider takes at once from all workers together (tasks/limits.py holds each
# request to it); the providers' own per-document concurrency is the same or less.
MT_LIMITS = {"google": 4, "libre": 8, "mymemory": 2, "microsoft": 4, "deepl": 4, "yandex": 4,
             "llm": 2}


# A flow run on a worker tells the server it is alive this often; one silent for
# UNRESPONSIVE_AFTER (its machine gone, its worker killed) is marked crashed, which starts
# advance-pending (the catalogue's follows_crashes_of). Prefect's own default is 180 s.
HEARTBEAT_SECONDS = 30
UNRESPONSIVE_AFTER_SECONDS = 3 * HEARTBEAT_SECONDS
CRASH_DETECTION = "contestflow: a flow run without heartbeats is crashed"


@dataclass(frozen=True)
class Deployed:
    workflow: str
    deployment_id: str
    cron: str | None
    triggered: bool


def triggers_for(workflow: WorkflowDefinition) -> list[Any]:
    """What starts ``workflow`` besides its schedule: our events, and crashed runs of the
    workflows it follows up."""
    return [*_event_triggers(workflow), *_crash_triggers(workflow)]


def _crash_triggers(workflow: WorkflowDefinition) -> list[Any]:
    """A run of ``workflow`` whenever a run of one it follows up is marked crashed."""
    if not workflow.follows_crashes_of:
        return []
    from prefect.events import DeploymentEventTrigger

    return [DeploymentEventTrigger(
        name=f"{workflow.name} after a crashed {followed}",
        expect={"prefect.flow-run.Crashed"},
        match={"prefect.resource.id": "prefect.flow-run.*"},
        match_related={"prefect.resource.role": "flow", "prefect.resource.name": followed},
        threshold=1, within=0,
    ) for followed in workflow.follows_crashes_of]


def _event_triggers(workflow: WorkflowDefinition) -> list[Any]:
    """A run of ``workflow`` for the submission an event names, one per matching event."""
    if not workflow.triggered_by:
        return []
    from prefect.events import DeploymentEventTrigger

    return [DeploymentEventTrigger(
        name=f"{workflow.name} on contestflow events",
        expect=set(workflow.triggered_by),
        match={"prefect.resource.id": "contestflow.submission.*"},
        # Each event on its own (no grouping window): one run per event; the run takes the
        # submission's lock, so two runs for one submission follow each other.
        threshold=1, within=0,
        # "| int": a resource label is text, the parameter a number.
        parameters={"submission_id": "{{ event.resource['" + SUBMISSION_LABEL + "'] | int }}",
                    "mt_provider": "{{ event.payload.get('mt_provider') or '' }}"},
    )]


def engine_command() -> str:
    """What a process worker runs for each flow run: Prefect's engine, in this checkout's
    interpreter. Left unset, the worker starts a supervisor process that then starts the
    engine: two interpreters (each ~5 s of CPU for its imports here) for every run."""
    return shlex.join([sys.executable, "-m", "prefect.engine"])


def deploy_all(pool: str = DEFAULT_POOL) -> list[Deployed]:
    """Create (or update) the pool, every catalogued deployment and the MT limits."""
    from prefect import Flow

    ensure_pool(pool)
    ensure_mt_limits()
    ensure_crash_detection()
    deployed = []
    for workflow in WORKFLOWS:
        flow = Flow.from_source(source=str(REPOSITORY_ROOT), entrypoint=workflow.entrypoint)
        triggers = triggers_for(workflow)
        deployment_id = flow.deploy(
            name=workflow.name, work_pool_name=pool, cron=workflow.cron,
            tags=list(workflow.tags), concurrency_limit=workflow.concurrency_limit,
            description=workflow.description, triggers=triggers, print_next_steps=False,
            job_variables={"command": engine_command(), "env": {
                "PREFECT_FLOWS_HEARTBEAT_FREQUENCY": str(HEARTBEAT_SECONDS)}},
            ignore_warnings=True, build=False, push=False)
        deployed.append(Deployed(workflow.name, str(deployment_id), workflow.cron,
                                 bool(triggers)))
    return deployed


def ensure_pool(pool: str) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectAlreadyExists

    with get_client(sync_client=True) as client, contextlib.suppress(ObjectAlreadyExists):
        client.create_work_pool(WorkPoolCreate(name=pool, type="process"))


def ensure_mt_limits() -> None:
    """One global concurrency limit per MT provider (``mt-<name>``), kept at MT_LIMITS."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import (
        GlobalConcurrencyLimitCreate,
        GlobalConcurrencyLimitUpdate,
    )
    from prefect.exceptions import ObjectNotFound

    from tasks.limits import limit_name

    with get_client(sync_client=True) as client:
        for provider, limit in MT_LIMITS.items():
            name = limit_name(provider)
            try:
                client.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=limit))
            else:
                client.update_global_concurrency_limit(
                    name, GlobalConcurrencyLimitUpdate(limit=limit))


def ensure_crash_detection() -> None:
    """The automation that marks a flow run crashed once its heartbeats stop (Prefect's
    "zombie flows" pattern; a self-hosted server has no managed one). Kept as written here:
    an existing one of the same name is replaced."""
    from datetime import timedelta

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.events.actions import ChangeFlowRunState
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

    automation = AutomationCore(
        name=CRASH_DETECTION,
        description="Marks a flow run crashed when it has sent no heartbeat for "
        f"{UNRESPONSIVE_AFTER_SECONDS} s; advance-pending then asks for its submission again.",
        trigger=EventTrigger(
            after={"prefect.flow-run.heartbeat"},
            expect={"prefect.flow-run.heartbeat", "prefect.flow-run.Completed",
                    "prefect.flow-run.Failed", "prefect.flow-run.Cancelled",
                    "prefect.flow-run.Crashed"},
            match={"prefect.resource.id": ["prefect.flow-run.*"]},
            for_each={"prefect.resource.id"},
            posture=Posture.Proactive, threshold=1,
            within=timedelta(seconds=UNRESPONSIVE_AFTER_SECONDS)),
        actions=[ChangeFlowRunState(
            state=StateType.CRASHED,
            message=f"No heartbeat for {UNRESPONSIVE_AFTER_SECONDS} s: its worker is gone.")])
    with get_client(sync_client=True) as client:
        for earlier in client.read_automations_by_name(CRASH_DETECTION):
            client.delete_automation(earlier.id)
        client.create_automation(automation)


def start_worker(pool: str, name: str | None = None, limit: int | None = None) -> None:
    """Poll ``pool`` until stopped; each flow run runs in a child process."""
    from prefect.workers.process import ProcessWorker

    async def work() -> None:
        async with ProcessWorker(work_pool_name=pool, name=name, limit=limit) as worker:
            await worker.start()

    asyncio.run(work())
