"""The payment workflow's key-policy statements: the library's (encrypted_logs.policy), under this app's statement
ids, and the one statement only this workflow needs."""

from __future__ import annotations

from encrypted_logs.aws_context import AwsContext
from encrypted_logs.policy import (
    CLOUDWATCH_PRINCIPAL,
    EVENTS_PRINCIPAL,
    Statement,
    account_administers_key,
    publisher_may_use_topic_key,
)
from encrypted_logs.policy import logs_may_use_key_for as logs_statement

__all__ = ["account_administers_key", "alarms_may_use_key_for", "event_rules_may_use_key_for",
           "log_delivery_may_decrypt", "logs_may_use_key_for"]

LOG_DELIVERY_PRINCIPAL = "delivery.logs.amazonaws.com"


def logs_may_use_key_for(ctx: AwsContext, log_groups: tuple[str, ...]) -> Statement:
    """CloudWatch Logs may use the logs key for exactly the workflow's log groups (the library's statement)."""
    return logs_statement(ctx, log_groups, "CloudWatchLogsEncryptsWorkflowLogGroups")


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


def alarms_may_use_key_for(ctx: AwsContext, topic_arn: str, alarm_arn_pattern: str) -> Statement:
    """This account's alarms of this environment may publish to the encrypted alerts topic (confused-deputy guard:
    the alarms' account and ARN pattern)."""
    return publisher_may_use_topic_key(
        "CloudWatchAlarmsPublishToAlertsTopic",
        CLOUDWATCH_PRINCIPAL,
        topic_arn,
        {"StringEquals": {"aws:SourceAccount": ctx.account_id}, "ArnLike": {"aws:SourceArn": alarm_arn_pattern}},
    )


def event_rules_may_use_key_for(topic_arn: str) -> Statement:
    """EventBridge delivering an event to the encrypted topic: the same trap as the alarms, with its own principal.

    Conditioned on the topic's encryption context only: EventBridge's KMS requests for an SNS target do not carry
    aws:SourceArn / aws:SourceAccount (EventBridge user guide, "Amazon SNS permissions"), so those conditions here
    would drop every event silently. Which rule may publish is decided by the topic policy, which does see the rule's
    ARN.
    """
    return publisher_may_use_topic_key("EventBridgeDeliversToAlertsTopic", EVENTS_PRINCIPAL, topic_arn, {})
