"""The two stacks of one environment, wired together; shared by main.py, the tests and the benchmark."""

from __future__ import annotations

from collections.abc import Sequence

from cdktf import App

from payment_constructs.app_stack import AppStack
from payment_constructs.encryption_stack import EncryptionStack
from payment_constructs.payment_function import FunctionSpec
from payment_constructs.stack_contract import APP_STACK, ENCRYPTION_STACK
from payment_constructs.workflow_steps import WORKFLOW_STEPS, checked_steps
from payment_settings.settings import Settings


def add_workflow_stacks(
    app: App,
    settings: Settings,
    *,
    encryption_id: str = ENCRYPTION_STACK,
    app_id: str = APP_STACK,
    steps: Sequence[FunctionSpec] = WORKFLOW_STEPS,
) -> tuple[EncryptionStack, AppStack]:
    """The pair of one environment. Other stack ids are for apps holding several environments (the benchmark); other
    steps for proving that the stacks follow the step list (tests/payment_constructs/test_adding_a_step.py)."""
    steps = checked_steps(steps)
    encryption = EncryptionStack(app, encryption_id, settings, steps)
    workflow = AppStack(app, app_id, settings, encryption_stack=encryption_id, steps=steps)
    # `cdktf deploy app` alone then deploys the key first; `cdktf destroy` removes the app before its key.
    workflow.add_dependency(encryption)
    return encryption, workflow
