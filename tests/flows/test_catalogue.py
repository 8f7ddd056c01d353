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
