"""The alerts topic: where every alarm and the log-encryption compliance rule publish, encrypted with the alerts key."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_policy import SnsTopicPolicy
from cdktf_cdktf_provider_aws.sns_topic_subscription import SnsTopicSubscription
from constructs import Construct

from encrypted_logs.aws_context import AwsContext
from encrypted_logs.policy import (
    CLOUDWATCH_PRINCIPAL,
    EVENTS_PRINCIPAL,
    Statement,
    deny_publish_without_tls,
    policy_json,
    service_publishes_to_topic,
)


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
    """Who may publish: this account's alarms of this environment, and the one compliance rule; nothing without TLS
    (the confused-deputy guard and the TLS rule are the library's, encrypted_logs.policy)."""
    return [
        service_publishes_to_topic("ThisEnvironmentsAlarmsPublish", CLOUDWATCH_PRINCIPAL, topic_arn, ctx.account_id,
                                   {"ArnLike": {"aws:SourceArn": alarm_arn_pattern}}),
        service_publishes_to_topic("LogEncryptionComplianceRulePublishes", EVENTS_PRINCIPAL, topic_arn,
                                   ctx.account_id, {"ArnEquals": {"aws:SourceArn": event_rule_arn}}),
        deny_publish_without_tls(topic_arn),
    ]
