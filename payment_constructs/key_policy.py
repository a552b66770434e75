"""Key-policy statements, each written once, beside the AWS rule that makes it necessary."""

from __future__ import annotations

from payment_constructs.aws_context import AwsContext
from payment_constructs.iam import Statement

# What CloudWatch Logs calls on the key for an associated log group ("Encrypt log data in CloudWatch Logs using AWS
# KMS", step 2 of the user guide).
LOGS_KEY_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")
LOGS_ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn"
LOG_DELIVERY_PRINCIPAL = "delivery.logs.amazonaws.com"


def account_administers_key(ctx: AwsContext) -> Statement:
    # Without an account-root statement a key policy can lock every principal out of the key for good (KMS key
    # policy default): IAM policies in the account then decide who administers and uses it.
    return {
        "Sid": "AccountAdministersKey",
        "Effect": "Allow",
        "Principal": {"AWS": ctx.account_root_arn()},
        "Action": "kms:*",
        "Resource": "*",
    }


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


def log_delivery_may_decrypt() -> Statement:
    # A state machine encrypted with a customer key delivers its logs through CloudWatch vended logs, whose
    # delivery service must decrypt what Step Functions encrypted (the set AWS CDK's StateMachine grants).
    return {
        "Sid": "LogDeliveryDecryptsStateMachineData",
        "Effect": "Allow",
        "Principal": {"Service": LOG_DELIVERY_PRINCIPAL},
        "Action": "kms:Decrypt*",
        "Resource": "*",
    }
