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
    encryption context ("Encrypt log data in CloudWatch Logs using AWS KMS"). The condition on
    kms:EncryptionContext:aws:logs:arn restricts the key to these log groups: without it the key would serve any log
    group, of any account, that names it. A condition naming the wrong ARNs (a trailing ':*', a missing group) refuses
    a group of ours, which then fails to create with the key ("The specified KMS key does not exist or is not allowed
    to be used with Arn ...", as the post-mortem recorded it). ArnEquals with the exact ARNs: no pattern to misread.
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


# What a service publishing to an SSE-enabled SNS topic needs of the topic's key: SNS asks KMS for a data key in the
# publisher's name and passes the topic ARN as encryption context (SNS developer guide, "Enable compatibility between
# event sources from AWS services and encrypted topics",
# https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
ALERTS_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey*")
SNS_ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:sns:topicArn"
CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com"
EVENTS_PRINCIPAL = "events.amazonaws.com"


def alarms_may_use_key_for(ctx: AwsContext, topic_arn: str, alarm_arn_pattern: str) -> Statement:
    """The statement whose absence makes every alarm action fail silently.

    Without it CloudWatch cannot publish to the encrypted topic: nothing fails at deploy, the alarm goes to ALARM,
    and only its history says "CloudWatch Alarms does not have authorization to access the SNS topic encryption key"
    (CloudWatch user guide, "Using Amazon CloudWatch alarms" > alarm actions, encrypted SNS topics). The AWS-managed
    alias/aws/sns key can never work: its policy cannot be edited to admit cloudwatch.amazonaws.com. The conditions
    keep the grant to this topic and to this account's alarms of this environment (confused-deputy guard).
    """
    return _topic_publisher_uses_key(
        "CloudWatchAlarmsPublishToAlertsTopic",
        CLOUDWATCH_PRINCIPAL,
        topic_arn,
        {"StringEquals": {"aws:SourceAccount": ctx.account_id}, "ArnLike": {"aws:SourceArn": alarm_arn_pattern}},
    )


def event_rules_may_use_key_for(topic_arn: str) -> Statement:
    """EventBridge delivering an event to the encrypted topic: the same trap as the alarms, with its own principal.

    Conditioned on the topic's encryption context only: EventBridge's KMS requests for an SNS target do not carry
    aws:SourceArn / aws:SourceAccount (EventBridge user guide, "Amazon SNS permissions" for encrypted topics), so
    those conditions here would drop every event silently. Which rule may publish is decided by the topic policy,
    which does see the rule's ARN.
    """
    return _topic_publisher_uses_key("EventBridgeDeliversToAlertsTopic", EVENTS_PRINCIPAL, topic_arn, {})


def _topic_publisher_uses_key(
    sid: str, principal: str, topic_arn: str, source_conditions: dict[str, dict[str, str]]
) -> Statement:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": list(ALERTS_KEY_ACTIONS),
        "Resource": "*",
        "Condition": {"ArnEquals": {SNS_ENCRYPTION_CONTEXT_KEY: topic_arn}, **source_conditions},
    }
