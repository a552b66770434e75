"""The app stack: the workflow itself, in its own state, reading the key only from the encryption stack's state."""

from __future__ import annotations

from cdktf import TerraformStack
from constructs import Construct

from payment_constructs.log_groups import EncryptedLogGroups
from payment_constructs.naming import Names
from payment_constructs.providers import aws_provider
from payment_constructs.settings import Settings
from payment_constructs.stack_contract import LOGS_KEY_ARN_OUTPUT
from payment_constructs.state_backend import read_state_of, use_backend


class AppStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, settings: Settings, encryption_stack: str) -> None:
        super().__init__(scope, stack_id)
        use_backend(self, settings)
        aws_provider(self, settings)
        names = Names(settings.environment)

        encryption = read_state_of(self, "encryption", settings, encryption_stack)
        # The encryption stack publishes this ARN only through its propagation wait (see kms_propagation.py).
        logs_key_arn = encryption.get_string(LOGS_KEY_ARN_OUTPUT)

        self.log_groups = EncryptedLogGroups(
            self, "log_groups", names, kms_key_arn=logs_key_arn, retention_days=settings.log_retention_days
        )
