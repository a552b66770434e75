"""The two stacks of one environment, wired together; shared by main.py, the tests and the benchmark."""

from __future__ import annotations

from cdktf import App

from payment_constructs.app_stack import AppStack
from payment_constructs.encryption_stack import EncryptionStack
from payment_constructs.settings import Settings
from payment_constructs.stack_contract import APP_STACK, ENCRYPTION_STACK


def add_workflow_stacks(app: App, settings: Settings) -> tuple[EncryptionStack, AppStack]:
    encryption = EncryptionStack(app, ENCRYPTION_STACK, settings)
    workflow = AppStack(app, APP_STACK, settings, encryption_stack=ENCRYPTION_STACK)
    # `cdktf deploy app` alone then deploys the key first; `cdktf destroy` removes the app before its key.
    workflow.add_dependency(encryption)
    return encryption, workflow
