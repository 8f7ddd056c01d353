"""Every catalogued workflow loads, and the executors refuse bad parameters before running."""

from __future__ import annotations

import pytest

from flows.catalogue import WORKFLOWS, get_workflow
from flows.executor import DeploymentExecutor, LocalExecutor, get_executor


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda w: w.name)
def test_workflow_loads(workflow) -> None:
    flow = workflow.load()
    assert flow.name == workflow.name
    assert flow.fn.__doc__, "every flow explains itself"


def test_names_are_unique_and_kebab_case() -> None:
    names = [w.name for w in WORKFLOWS]
    assert len(set(names)) == len(names)
    assert all(n == n.lower() and "_" not in n for n in names)


def test_unknown_workflow() -> None:
    with pytest.raises(KeyError, match="no workflow named 'nope'"):
        get_workflow("nope")


def test_local_executor_validates_parameters_before_running() -> None:
    from prefect.exceptions import ParameterTypeError

    with pytest.raises(ParameterTypeError):
        LocalExecutor().run(get_workflow("advance-submission"), {"submission_id": "not a number"})


def test_configuration_chooses_the_executor(monkeypatch: pytest.MonkeyPatch) -> None:
    from contestflow.config import Settings

    # get_executor exports Prefect's settings to the environment: undo that after the test.
    for name in ("PREFECT_API_URL", "PREFECT_HOME"):
        monkeypatch.setenv(name, "recorded so that teardown restores the original")
        monkeypatch.delenv(name)
    assert isinstance(get_executor(Settings()), LocalExecutor)
    assert isinstance(
        get_executor(Settings(prefect_api_url="http://127.0.0.1:4200/api")), DeploymentExecutor
    )


@pytest.mark.flow
def test_the_local_executor_keeps_the_executors_contract(prefect_api: None) -> None:
    from tests.flows.executor_contract import check_executor_contract

    check_executor_contract(LocalExecutor())


def test_each_outcome_reader_loads() -> None:
    for workflow in WORKFLOWS:
        if workflow.outcome:
            module, function = workflow.outcome.split(":")
            assert callable(getattr(__import__(module, fromlist=[function]), function))


def test_deployments_follow_the_catalogue() -> None:
    """Every workflow's file entrypoint names the flow it loads; the event-triggered one
    gets one trigger that runs it for the submission the event names, and advance-pending
    one that follows up advance-submission's crashed runs."""
    from flows.deploy import triggers_for

    for workflow in WORKFLOWS:
        path, function = workflow.entrypoint.split(":")
        assert path == workflow.module.replace(".", "/") + ".py" and function == workflow.function
        triggers = triggers_for(workflow)
        assert len(triggers) == bool(workflow.triggered_by) + len(workflow.follows_crashes_of)
    (trigger,) = triggers_for(get_workflow("advance-submission"))
    assert trigger.expect == {"contestflow.*"}
    assert "| int" in trigger.parameters["submission_id"]
    (follow_up,) = triggers_for(get_workflow("advance-pending"))
    assert follow_up.expect == {"prefect.flow-run.Crashed"}
    assert follow_up.match_related.root == {"prefect.resource.role": "flow",
                                            "prefect.resource.name": "advance-submission"}


def test_crash_detection_is_set_up_once_however_often_deploy_runs(prefect_api: None) -> None:
    """`contestflow deploy` runs after each upgrade: the automation is replaced, not added."""
    from prefect.client.orchestration import get_client

    from flows.deploy import CRASH_DETECTION, UNRESPONSIVE_AFTER_SECONDS, ensure_crash_detection

    ensure_crash_detection()
    ensure_crash_detection()
    with get_client(sync_client=True) as client:
        (automation,) = client.read_automations_by_name(CRASH_DETECTION)
        client.delete_automation(automation.id)
    assert automation.trigger.posture == "Proactive"
    assert automation.trigger.within.total_seconds() == UNRESPONSIVE_AFTER_SECONDS
    assert automation.trigger.after == {"prefect.flow-run.heartbeat"}
    (action,) = automation.actions
    assert action.type == "change-flow-run-state" and action.state == "CRASHED"
