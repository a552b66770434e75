"""The two stacks of one environment, wired together; shared by main.py, the tests and the benchmark."""

from __future__ import annotations

from cdktf import App

from payment_constructs.app_stack import AppStack
from payment_constructs.encryption_stack import EncryptionStack
from payment_constructs.settings import Settings
from payment_constructs.stack_contract import APP_STACK, ENCRYPTION_STACK


def add_workflow_stacks(
    app: App, settings: Settings, *, encryption_id: str = ENCRYPTION_STACK, app_id: str = APP_STACK
) -> tuple[EncryptionStack, AppStack]:
    """The pair of one environment. Other stack ids are for apps holding several environments (the benchmark)."""
    encryption = EncryptionStack(app, encryption_id, settings)
    workflow = AppStack(app, app_id, settings, encryption_stack=encryption_id)
    # `cdktf deploy app` alone then deploys the key first; `cdktf destroy` removes the app before its key.
    workflow.add_dependency(encryption)
    return encryption, workflow
