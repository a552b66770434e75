"""The encryption stack: deployed first, in its own state, so the key and its policy exist before any log group."""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_time.provider import TimeProvider
from constructs import Construct

from payment_constructs.aws_context import AwsContext
from payment_constructs.kms_propagation import PropagatedKey
from payment_constructs.logs_key import LogsKey
from payment_constructs.naming import Names
from payment_constructs.providers import aws_provider
from payment_constructs.settings import Settings
from payment_constructs.stack_contract import LOGS_KEY_ARN_OUTPUT
from payment_constructs.state_backend import use_backend


class EncryptionStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, settings: Settings) -> None:
        super().__init__(scope, stack_id)
        use_backend(self, settings)
        aws_provider(self, settings)
        TimeProvider(self, "time")
        names = Names(settings.environment)
        ctx = AwsContext(self, "context")

        self.logs_key = LogsKey(self, "logs_key", ctx, names, settings.key_deletion_window_days)
        logs_key_ready = PropagatedKey(
            self, "logs_key_propagation", self.logs_key.key, settings.kms_propagation_wait
        )
        TerraformOutput(
            self,
            LOGS_KEY_ARN_OUTPUT,
            value=logs_key_ready.key_arn,
            description="ARN of the log-group key, published only after its policy has had time to propagate",
        )
