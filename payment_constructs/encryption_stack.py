"""The encryption stack: deployed first, in its own state, so the keys and their policies exist before their users.

Three keys, so a mistake in one policy cannot expose another's data (the post-mortem's "separate KMS keys for
different service categories"): one for the workflow's log groups, one for the payment data the workflow carries,
one for the alerts topic that CloudWatch alarms and EventBridge publish to.
"""

from __future__ import annotations

from collections.abc import Sequence

from cdktf import TerraformOutput, TerraformStack
from cdktf_cdktf_provider_time.provider import TimeProvider
from constructs import Construct

from payment_constructs.aws_context import AwsContext
from payment_constructs.customer_key import CustomerManagedKey
from payment_constructs.iam import Statement
from payment_constructs.key_policy import (
    account_administers_key,
    alarms_may_use_key_for,
    event_rules_may_use_key_for,
    log_delivery_may_decrypt,
    logs_may_use_key_for,
)
from payment_constructs.kms_propagation import PropagatedKey
from payment_constructs.naming import Names, alarm_resource
from payment_constructs.payment_function import FunctionSpec
from payment_constructs.providers import aws_provider
from payment_constructs.stack_contract import ALERTS_KEY_ARN_OUTPUT, DATA_KEY_ARN_OUTPUT, LOGS_KEY_ARN_OUTPUT
from payment_constructs.state_backend import use_backend
from payment_constructs.workflow_steps import WORKFLOW_STEPS, workflow_log_groups
from payment_settings.settings import Settings


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

        def key(construct_id: str, encrypts: str, alias: str, statements: list[Statement]) -> CustomerManagedKey:
            return CustomerManagedKey(
                self,
                construct_id,
                description=f"Encrypts {encrypts} ({settings.environment})",
                alias=alias,
                deletion_window_days=settings.key_deletion_window_days,
                statements=[account_administers_key(ctx), *statements],
            )

        self.logs_key = key(
            "logs_key",
            "the payment workflow's CloudWatch Logs log groups",
            names.logs_key_alias,
            [logs_may_use_key_for(ctx, workflow_log_groups(names, steps))],
        )
        # The workflow's roles get their use of the data key from IAM policies in the app stack (enabled by the
        # account statement), each conditioned on the service and resource that uses it.
        self.data_key = key(
            "data_key", "the payments the workflow carries and records", names.data_key_alias,
            [log_delivery_may_decrypt()],
        )
        # The topic lives in the app stack; its ARN comes from the same naming function, so the key policy and
        # the topic cannot drift apart (the log groups' rule, once more).
        alerts_topic_arn = ctx.arn("sns", names.alerts_topic)
        this_environments_alarms = ctx.arn("cloudwatch", alarm_resource(f"{names.alarm_prefix}*"))
        self.alerts_key = key(
            "alerts_key",
            "the payment workflow's alerts topic",
            names.alerts_key_alias,
            [
                alarms_may_use_key_for(ctx, alerts_topic_arn, this_environments_alarms),
                event_rules_may_use_key_for(alerts_topic_arn),
            ],
        )
        for key, output, description in (
            (self.logs_key, LOGS_KEY_ARN_OUTPUT, "log-group key"),
            (self.data_key, DATA_KEY_ARN_OUTPUT, "workflow data key"),
            (self.alerts_key, ALERTS_KEY_ARN_OUTPUT, "alerts topic key"),
        ):
            ready = PropagatedKey(self, f"{key.node.id}_propagation", key.key, settings.kms_propagation_wait)
            TerraformOutput(
                self,
                output,
                value=ready.key_arn,
                description=f"ARN of the {description}, published only after its policy has had time to propagate",
            )
