"""Key-policy and topic-policy statements, each written once, beside the AWS rule that makes it necessary."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # props import this module: it must not load the AWS provider (AwsContext does)
    from encrypted_logs.aws_context import AwsContext

Statement = dict[str, Any]

# What CloudWatch Logs calls on the key for an associated log group ("Encrypt log data in CloudWatch Logs using AWS
# KMS", step 2 of the user guide).
LOGS_KEY_ACTIONS = ("kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*")
LOGS_ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn"

# What a service publishing to an SSE-enabled SNS topic needs of the topic's key: SNS asks KMS for a data key in the
# publisher's name and passes the topic ARN as encryption context (SNS developer guide, "Enable compatibility between
# event sources from AWS services and encrypted topics",
# https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
TOPIC_KEY_ACTIONS = ("kms:Decrypt", "kms:GenerateDataKey*")
SNS_ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:sns:topicArn"
CLOUDWATCH_PRINCIPAL = "cloudwatch.amazonaws.com"
EVENTS_PRINCIPAL = "events.amazonaws.com"

Conditions = Mapping[str, Mapping[str, Any]]


def policy_json(statements: Sequence[Statement]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


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


def logs_may_use_key_for(ctx: AwsContext, log_groups: Sequence[str], sid: str) -> Statement:
    """The statement the post-mortem's deployment lacked.

    CloudWatch Logs calls KMS as the regional principal logs.<region>.amazonaws.com and passes the log group's ARN as
    encryption context ("Encrypt log data in CloudWatch Logs using AWS KMS"). The condition on
    kms:EncryptionContext:aws:logs:arn restricts the key to these log groups: without it the key would serve any log
    group, of any account, that names it. A condition naming the wrong ARNs (a trailing ':*', a missing group) refuses
    a group of ours, which then fails to create with the key ("The specified KMS key does not exist or is not allowed
    to be used with Arn ..."). ArnEquals with the exact ARNs: no pattern to misread.
    """
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": ctx.logs_principal},
        "Action": list(LOGS_KEY_ACTIONS),
        "Resource": "*",
        "Condition": {"ArnEquals": {LOGS_ENCRYPTION_CONTEXT_KEY: [ctx.log_group_arn(g) for g in log_groups]}},
    }


def publisher_may_use_topic_key(sid: str, principal: str, topic_arn: str, source_conditions: Conditions) -> Statement:
    """A service publishing to an encrypted topic uses its key for exactly that topic.

    Without it the service cannot publish and nothing fails at deploy: an alarm goes to ALARM and only its history
    says "CloudWatch Alarms does not have authorization to access the SNS topic encryption key" (CloudWatch user
    guide, "Using Amazon CloudWatch alarms", encrypted SNS topics). The AWS-managed alias/aws/sns key can never work:
    its policy cannot admit a service principal.
    """
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": list(TOPIC_KEY_ACTIONS),
        "Resource": "*",
        "Condition": {"ArnEquals": {SNS_ENCRYPTION_CONTEXT_KEY: topic_arn}, **source_conditions},
    }


def service_publishes_to_topic(
    sid: str, principal: str, topic_arn: str, account_id: str, source_arn: Conditions
) -> Statement:
    # aws:SourceArn and aws:SourceAccount are the confused-deputy guard AWS documents for service principals publishing
    # to a topic (SNS developer guide, "Example cases for Amazon SNS access control").
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {**source_arn, "StringEquals": {"aws:SourceAccount": account_id}},
    }


def deny_publish_without_tls(topic_arn: str) -> Statement:
    # SNS accepts HTTP publishes unless the policy refuses them (SNS developer guide, "Enforce encryption of data in
    # transit").
    return {
        "Sid": "DenyPublishWithoutTls",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
