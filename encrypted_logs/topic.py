"""An SNS topic encrypted with a ``TopicKey``, that only its publishers may publish to, and only over TLS."""

from __future__ import annotations

from collections.abc import Sequence

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_aws.sns_topic import SnsTopic
from cdktf_cdktf_provider_aws.sns_topic_policy import SnsTopicPolicy
from constructs import Construct

from encrypted_logs.aws_context import AwsContext
from encrypted_logs.policy import deny_publish_without_tls, policy_json, service_publishes_to_topic
from encrypted_logs.props import TopicKeyProps


class EncryptedTopic(Construct):
    """Children: ``topic`` and ``policy``. ``props`` are the key's: the topic takes its name and publishers from them,
    so the key's grants and the topic cannot name different topics or publishers."""

    def __init__(self, scope: Construct, construct_id: str, props: TopicKeyProps, *, kms_key_arn: str,
                 ctx: AwsContext | None = None, wait_for: Sequence[ITerraformDependable] | None = None) -> None:
        super().__init__(scope, construct_id)
        ctx = ctx or AwsContext(self, "context")
        # A customer key whose policy admits the publishers: with alias/aws/sns every publish by an AWS service
        # fails silently (SNS developer guide, "Enable compatibility between event sources from AWS services and
        # encrypted topics").
        self.topic = SnsTopic(self, "topic", name=props.topic_name, kms_master_key_id=kms_key_arn,
                              depends_on=list(wait_for) if wait_for is not None else None)
        topic_arn = ctx.arn("sns", props.topic_name)
        statements = []
        for publisher in props.publishers:
            source = ctx.arn(publisher.service, publisher.source_resource)
            operator = "ArnLike" if "*" in publisher.source_resource else "ArnEquals"
            statements.append(service_publishes_to_topic(publisher.statement_id, publisher.principal, topic_arn,
                                                         ctx.account_id, {operator: {"aws:SourceArn": source}}))
        statements.append(deny_publish_without_tls(topic_arn))
        self.policy = SnsTopicPolicy(self, "policy", arn=self.topic.arn, policy=policy_json(statements))

    @property
    def arn(self) -> str:
        return self.topic.arn
