"""Serve every catalogued workflow from this process, for a Prefect server (production mode).

``contestflow worker`` runs this: deployments are built from the catalogue records, with their
schedules, tags and concurrency limits.
"""

from __future__ import annotations

from flows.catalogue import WORKFLOWS


def serve_all() -> None:
    from prefect import serve

    deployments = [
        workflow.load().to_deployment(
            name=workflow.name,
            cron=workflow.cron,
            tags=list(workflow.tags),
            concurrency_limit=workflow.concurrency_limit,
            description=workflow.description,
        )
        for workflow in WORKFLOWS
    ]
    serve(*deployments)
