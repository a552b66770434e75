"""The customer-managed key that encrypts the workflow's three log groups, with the policy that lets it work."""

from __future__ import annotations

import json

from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from constructs import Construct

from payment_constructs.aws_context import AwsContext
from payment_constructs.key_policy import Statement, account_administers_key, policy_document
from payment_constructs.naming import Names

# What CloudWatch Logs calls on the key for an associated log group ("Encrypt log data in CloudWatch Logs using AWS
# KMS", step 2 of the user guide).
LOGS_KEY_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")
LOGS_ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn"


def logs_may_use_key_for(ctx: AwsContext, log_groups: tuple[str, ...]) -> Statement:
    """The statement the original deployment lacked.

    CloudWatch Logs calls KMS as the regional principal logs.<region>.amazonaws.com and passes the log group's ARN as
    encryption context; without a condition on kms:EncryptionContext:aws:logs:arn, CreateLogGroup fails with "The
    specified KMS key does not exist or is not allowed to be used with Arn ...". ArnEquals takes exact ARNs (no
    trailing ':*', no wildcards): the key serves these log groups and no other.
    """
    return {
        "Sid": "CloudWatchLogsEncryptsWorkflowLogGroups",
        "Effect": "Allow",
        "Principal": {"Service": ctx.logs_principal},
        "Action": list(LOGS_KEY_ACTIONS),
        "Resource": "*",
        "Condition": {"ArnEquals": {LOGS_ENCRYPTION_CONTEXT_KEY: [ctx.log_group_arn(g) for g in log_groups]}},
    }


class LogsKey(Construct):
    """Symmetric, rotated key plus alias; its policy is built from the same names the app stack's log groups use."""

    def __init__(
        self, scope: Construct, construct_id: str, ctx: AwsContext, names: Names, deletion_window_days: int
    ) -> None:
        super().__init__(scope, construct_id)
        policy = policy_document(account_administers_key(ctx), logs_may_use_key_for(ctx, names.log_groups))
        self.key = KmsKey(
            self,
            "key",
            description=f"Encrypts the payment workflow's CloudWatch Logs log groups ({names.environment})",
            # CloudWatch Logs supports symmetric keys only.
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            key_usage="ENCRYPT_DECRYPT",
            enable_key_rotation=True,
            deletion_window_in_days=deletion_window_days,
            policy=json.dumps(policy),
        )
        self.alias = KmsAlias(self, "alias", name=names.logs_key_alias, target_key_id=self.key.key_id)
