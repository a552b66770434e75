"""The encryption stack: deployed first, in its own state, so the keys and their policies exist before their users.

Two keys, so a mistake in one policy cannot expose the other's data (the post-mortem's "separate KMS keys for
different service categories"): one for the workflow's log groups, one for the payment data the workflow carries.
"""

from __future__ import annotations

from collections.abc import Sequence

from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_time.provider import TimeProvider
from constructs import Construct

from payment_constructs.aws_context import AwsContext
from payment_constructs.customer_key import CustomerManagedKey
from payment_constructs.key_policy import account_administers_key, log_delivery_may_decrypt, logs_may_use_key_for
from payment_constructs.kms_propagation import PropagatedKey
from payment_constructs.naming import Names
from payment_constructs.payment_function import FunctionSpec
from payment_constructs.providers import aws_provider
from payment_constructs.settings import Settings
from payment_constructs.stack_contract import DATA_KEY_ARN_OUTPUT, LOGS_KEY_ARN_OUTPUT
from payment_constructs.state_backend import use_backend
from payment_constructs.workflow_steps import WORKFLOW_STEPS, workflow_log_groups


class EncryptionStack(TerraformStack):
    def __init__(
        self, scope: Construct, stack_id: str, settings: Settings, steps: Sequence[FunctionSpec] = WORKFLOW_STEPS
    ) -> None:
        super().__init__(scope, stack_id)
        use_backend(self, settings)
        aws_provider(self, settings)
        TimeProvider(self, "time")
        names = Names(settings.environment)
        ctx = AwsContext(self, "context")

        self.logs_key = CustomerManagedKey(
            self,
            "logs_key",
            description=f"Encrypts the payment workflow's CloudWatch Logs log groups ({settings.environment})",
            alias=names.logs_key_alias,
            deletion_window_days=settings.key_deletion_window_days,
            statements=[account_administers_key(ctx), logs_may_use_key_for(ctx, workflow_log_groups(names, steps))],
        )
        self.data_key = CustomerManagedKey(
            self,
            "data_key",
            description=f"Encrypts the payments the workflow carries and records ({settings.environment})",
            alias=names.data_key_alias,
            deletion_window_days=settings.key_deletion_window_days,
            # The workflow's roles get their use of this key from IAM policies in the app stack (enabled by the
            # account statement), each conditioned on the service and resource that uses it.
            statements=[account_administers_key(ctx), log_delivery_may_decrypt()],
        )
        for key, output, description in (
            (self.logs_key, LOGS_KEY_ARN_OUTPUT, "log-group key"),
            (self.data_key, DATA_KEY_ARN_OUTPUT, "workflow data key"),
        ):
            ready = PropagatedKey(self, f"{key.node.id}_propagation", key.key, settings.kms_propagation_wait)
            TerraformOutput(
                self,
                output,
                value=ready.key_arn,
                description=f"ARN of the {description}, published only after its policy has had time to propagate",
            )
