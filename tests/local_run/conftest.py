"""One local workflow, deployed from the synthesized app stack, shared by this package's tests.

Deploying costs about a second (moto's Step Functions parser is slow to load),
so the workflow lives for the package, not per test. Tests stay independent
by using payment ids of their own and by leaving no injected faults behind.
The stack comes from the session's `synthesized` fixture, i.e. the definition
`cdktf synth` writes, never a copy of it.

moto keeps one state per process, and a local run started in-process (test_cli.py) deploys the same names again, so
those tests run before the shared workflow is deployed, whatever order the modules were given in.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cdktf_out.tree import SynthesizedApp
from local_run.emulator import LocalWorkflow, local_workflow
from local_run.stack import WorkflowStack, read_stack
from payment_constructs.stack_contract import APP_STACK

IN_PROCESS_RUNS = Path(__file__).with_name("test_cli.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move this package's in-process CLI runs ahead of its other tests, in the slots this package's tests hold."""
    slots = [index for index, item in enumerate(items) if item.path.parent == IN_PROCESS_RUNS.parent]
    ordered = sorted((items[index] for index in slots), key=lambda item: item.path != IN_PROCESS_RUNS)
    for index, item in zip(slots, ordered, strict=True):
        items[index] = item


@pytest.fixture(scope="package")
def workflow_stack(synthesized: SynthesizedApp) -> WorkflowStack:
    return read_stack(synthesized.stack(APP_STACK))


@pytest.fixture(scope="package")
def deployed_workflow(workflow_stack: WorkflowStack) -> Iterator[LocalWorkflow]:
    with local_workflow(workflow_stack) as workflow:
        yield workflow


@pytest.fixture
def workflow(deployed_workflow: LocalWorkflow) -> Iterator[LocalWorkflow]:
    yield deployed_workflow
    deployed_workflow.router.clear_faults()
