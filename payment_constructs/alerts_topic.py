"""The alerts topic: where every alarm and the log-encryption compliance rule publish, encrypted with the alerts key."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_policy import SnsTopicPolicy
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
from constructs import Construct

from payment_constructs.aws_context import AwsContext
from payment_constructs.iam import Statement, policy_json
from payment_constructs.key_policy import CLOUDWATCH_PRINCIPAL, EVENTS_PRINCIPAL


class AlertsTopic(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        ctx: AwsContext,
        name: str,
        kms_key_arn: str,
        alarm_arn_pattern: str,
        event_rule_arn: str,
        email: str | None,
    ) -> None:
        super().__init__(scope, construct_id)
        # The ARN the alerts key's policy names, built by the same function (naming), not read from the resource:
        # the policy must say exactly this, and the topic policy below is attached to exactly this.
        self.topic_arn_by_name = ctx.arn("sns", name)
        # A customer key whose policy admits cloudwatch.amazonaws.com and events.amazonaws.com: with no key the
        # notifications are not encrypted, and with alias/aws/sns every alarm action fails silently (SNS developer
        # guide, "Enable compatibility between event sources from AWS services and encrypted topics").
        self.topic = SnsTopic(self, "topic", name=name, kms_master_key_id=kms_key_arn)
        SnsTopicPolicy(
            self,
            "policy",
            arn=self.topic.arn,
            policy=policy_json(topic_statements(ctx, self.topic_arn_by_name, alarm_arn_pattern, event_rule_arn)),
        )
        if email:
            # The address receives a confirmation mail; nothing is delivered to it until someone confirms.
            SnsTopicSubscription(self, "email", topic_arn=self.topic.arn, protocol="email", endpoint=email)

    @property
    def arn(self) -> str:
        return self.topic.arn


def topic_statements(ctx: AwsContext, topic_arn: str, alarm_arn_pattern: str, event_rule_arn: str) -> list[Statement]:
    """Who may publish: this account's alarms of this environment, and the one compliance rule; nothing without TLS.

    aws:SourceArn and aws:SourceAccount are the confused-deputy guard AWS documents for service principals publishing
    to a topic (SNS developer guide, "Example cases for Amazon SNS access control"; EventBridge user guide,
    "Amazon SNS permissions").
    """
    return [
        _service_publishes("ThisEnvironmentsAlarmsPublish", CLOUDWATCH_PRINCIPAL, topic_arn, ctx,
                           {"ArnLike": {"aws:SourceArn": alarm_arn_pattern}}),
        _service_publishes("LogEncryptionComplianceRulePublishes", EVENTS_PRINCIPAL, topic_arn, ctx,
                           {"ArnEquals": {"aws:SourceArn": event_rule_arn}}),
        {
            # SNS accepts HTTP publishes unless the policy refuses them (SNS developer guide, "Enforce encryption of
            # data in transit").
            "Sid": "DenyPublishWithoutTls",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ]


def _service_publishes(
    sid: str, principal: str, topic_arn: str, ctx: AwsContext, source_arn: dict[str, dict[str, str]]
) -> Statement:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": "sns:Publish",
        "Resource": topic_arn,
        "Condition": {**source_arn, "StringEquals": {"aws:SourceAccount": ctx.account_id}},
    }
