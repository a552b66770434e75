"""The key stack's side of the pattern in one construct each: the key, its policy derived from its users, its wait,
and the output a user stack reads (``KeyFromStack``)."""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformStack
from constructs import Construct

from encrypted_logs.aws_context import AwsContext
from encrypted_logs.customer_key import CustomerManagedKey
from encrypted_logs.policy import (
    Statement,
    account_administers_key,
    logs_may_use_key_for,
    publisher_may_use_topic_key,
)
from encrypted_logs.propagation import PropagatedKey
from encrypted_logs.props import KeyProps, LogGroupsKeyProps, TopicKeyProps


class _PublishedKey(Construct):
    """A key (child ``key``), its wait (``propagation``) and the stack output of its ARN read through the wait."""

    def _publish(self, props: LogGroupsKeyProps | TopicKeyProps, statements: list[Statement], what: str) -> None:
        self.key = CustomerManagedKey(self, "key", KeyProps(props.alias, statements, props.description,
                                                           props.deletion_window_days))
        self.propagation = PropagatedKey(self, "propagation", self.key.key, props.propagation_wait)
        TerraformOutput(TerraformStack.of(self), props.output_name, value=self.propagation.key_arn,
                        description=f"ARN of the {what}, published only after its policy has had time to propagate")

    @property
    def key_arn(self) -> str:
        """The ARN, only once the wait is over: what anything in this stack that uses the key must read."""
        return self.propagation.key_arn


class LogGroupsKey(_PublishedKey):
    """A key for exactly the log groups ``props.log_group_names`` names, published after its wait.

    Children: ``key`` (the key and its alias), ``propagation`` (the wait), ``context`` (unless ``ctx`` is given); the
    stack output ``props.output_name`` carries the ARN through the wait. The stack needs an AWS and a time provider.
    """

    def __init__(self, scope: Construct, construct_id: str, props: LogGroupsKeyProps,
                 ctx: AwsContext | None = None) -> None:
        super().__init__(scope, construct_id)
        ctx = ctx or AwsContext(self, "context")
        self._publish(props, [account_administers_key(ctx),
                              logs_may_use_key_for(ctx, props.log_group_names, props.statement_id)], "log-group key")


class TopicKey(_PublishedKey):
    """A key for one SNS topic, usable by exactly ``props.publishers`` for that topic, published after its wait.

    Children and output as ``LogGroupsKey``'s.
    """

    def __init__(self, scope: Construct, construct_id: str, props: TopicKeyProps,
                 ctx: AwsContext | None = None) -> None:
        super().__init__(scope, construct_id)
        ctx = ctx or AwsContext(self, "context")
        topic_arn = ctx.arn("sns", props.topic_name)
        statements: list[Statement] = [account_administers_key(ctx)]
        for publisher in props.publishers:
            source = ctx.arn(publisher.service, publisher.source_resource)
            conditions = ({"StringEquals": {"aws:SourceAccount": ctx.account_id}, "ArnLike": {"aws:SourceArn": source}}
                          if publisher.key_grant_knows_source else {})
            statements.append(publisher_may_use_topic_key(publisher.statement_id, publisher.principal, topic_arn,
                                                          conditions))
        self._publish(props, statements, "topic key")
