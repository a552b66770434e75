"""Typed props of the library's constructs, validated when they are made: before any construct is built.

Each prop documents its default in the manner of AWS CDK (``@default``). A bad value raises :class:`PropsError` with
one line naming the prop, the value and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from encrypted_logs import limits
from encrypted_logs.errors import PropsError, refuse
from encrypted_logs.policy import CLOUDWATCH_PRINCIPAL, EVENTS_PRINCIPAL, Statement

DEFAULT_WAIT = "30s"
DEFAULT_DELETION_WINDOW_DAYS = 30
DEFAULT_RETENTION_DAYS = 731


def check_wait(prop: str, value: object) -> None:
    allowed = (f"use a Go duration from {limits.MIN_PROPAGATION_SECONDS:g}s to "
               f"{limits.MAX_PROPAGATION_SECONDS / 60:g}m (e.g. 30s, 2m, 1m30s)")
    try:
        seconds = limits.go_duration_seconds(value) if isinstance(value, str) else -1.0
    except ValueError:
        raise refuse(prop, value, allowed) from None
    if not limits.MIN_PROPAGATION_SECONDS <= seconds <= limits.MAX_PROPAGATION_SECONDS:
        raise refuse(prop, value, allowed)


def _check_alias(prop: str, value: object) -> None:
    if not isinstance(value, str) or not limits.KEY_ALIAS.fullmatch(value):
        raise refuse(prop, value, "use alias/<name> of 1-250 letters, digits, '/', '_' or '-'")
    if value.startswith(limits.RESERVED_ALIAS_PREFIX):
        raise refuse(prop, value, "alias/aws/ names AWS-managed keys, whose policy no service grant can change")


def _check_deletion_window(prop: str, value: object) -> None:
    if type(value) is not int or value not in limits.KEY_DELETION_WINDOW_DAYS:
        raise refuse(prop, value, "use a whole number of days from 7 to 30")


def _check_statement_id(prop: str, value: object) -> None:
    if not isinstance(value, str) or not limits.STATEMENT_ID.fullmatch(value):
        raise refuse(prop, value, "use 1-128 letters and digits")


def _check_output_name(prop: str, value: object) -> None:
    if not isinstance(value, str) or not limits.TERRAFORM_NAME.fullmatch(value):
        raise refuse(prop, value, "use a Terraform name: a letter or '_', then letters, digits, '_' or '-'")


def check_retention(prop: str, value: object) -> None:
    if type(value) is not int or value not in limits.LOG_RETENTION_DAYS:
        raise refuse(prop, value, f"use one of {', '.join(map(str, limits.LOG_RETENTION_DAYS))}")


def check_log_group_name(prop: str, value: object) -> None:
    if not isinstance(value, str) or not limits.LOG_GROUP_NAME.fullmatch(value):
        raise refuse(prop, value, "use 1-512 of a-z, A-Z, 0-9, '_', '-', '/', '.', '#' (an exact name, no pattern)")


def _check_description(prop: str, value: object) -> None:
    # KMS CreateKey: Description is 0-8192 characters.
    if not isinstance(value, str) or len(value) > 8192:
        raise refuse(prop, value, "use text of at most 8192 characters")


@dataclass(frozen=True)
class KeyProps:
    """A customer-managed key: symmetric, rotated, aliased, with exactly these policy statements."""

    alias: str
    """The key's alias, ``alias/<name>``. Required."""
    statements: Sequence[Statement]
    """The whole key policy, the account statement included (see ``policy.account_administers_key``). Required."""
    description: str = "A customer-managed key"
    """What the key encrypts. @default "A customer-managed key" """
    deletion_window_days: int = DEFAULT_DELETION_WINDOW_DAYS
    """Days KMS waits before deleting the key once scheduled (7-30). @default 30"""

    def __post_init__(self) -> None:
        _check_alias("KeyProps.alias", self.alias)
        _check_description("KeyProps.description", self.description)
        _check_deletion_window("KeyProps.deletion_window_days", self.deletion_window_days)
        if not self.statements:
            raise refuse("KeyProps.statements", self.statements, "give at least the account statement")


@dataclass(frozen=True, kw_only=True)
class _PublishedKeyProps:
    """What every key a key stack publishes has: an alias, a deletion window, a wait, and the output of its ARN."""

    alias: str
    """The key's alias, ``alias/<name>``. Required."""
    description: str
    """What the key encrypts (each kind of key gives its default)."""
    deletion_window_days: int = DEFAULT_DELETION_WINDOW_DAYS
    """Days KMS waits before deleting the key once scheduled (7-30). @default 30"""
    propagation_wait: str = DEFAULT_WAIT
    """How long the key's ARN is held back after a policy change, a Go duration (1s-60m). @default "30s" """
    output_name: str
    """The key stack's output that publishes the ARN after the wait (each kind of key gives its default)."""

    def __post_init__(self) -> None:
        kind = type(self).__name__
        _check_alias(f"{kind}.alias", self.alias)
        _check_description(f"{kind}.description", self.description)
        _check_deletion_window(f"{kind}.deletion_window_days", self.deletion_window_days)
        check_wait(f"{kind}.propagation_wait", self.propagation_wait)
        _check_output_name(f"{kind}.output_name", self.output_name)


@dataclass(frozen=True, kw_only=True)
class LogGroupsKeyProps(_PublishedKeyProps):
    """A key for CloudWatch Logs log groups, whose policy is derived from exactly the groups it serves."""

    log_group_names: tuple[str, ...]
    """Exactly the log groups that may use the key (no pattern): the policy's ArnEquals lists their ARNs. Required."""
    description: str = "Encrypts CloudWatch Logs log groups"
    """What the key encrypts. @default "Encrypts CloudWatch Logs log groups" """
    output_name: str = "logs_key_arn"
    """The key stack's output that publishes the ARN after the wait. @default "logs_key_arn" """
    statement_id: str = "CloudWatchLogsEncryptsLogGroups"
    """The Sid of the CloudWatch Logs statement. @default "CloudWatchLogsEncryptsLogGroups" """

    def __post_init__(self) -> None:
        super().__post_init__()
        if isinstance(self.log_group_names, str) or not self.log_group_names:
            raise refuse("LogGroupsKeyProps.log_group_names", self.log_group_names,
                         "give a tuple of at least one log group name")
        for name in self.log_group_names:
            check_log_group_name("LogGroupsKeyProps.log_group_names", name)
        if len(set(self.log_group_names)) != len(self.log_group_names):
            raise refuse("LogGroupsKeyProps.log_group_names", self.log_group_names, "name each log group once")
        _check_statement_id("LogGroupsKeyProps.statement_id", self.statement_id)


@dataclass(frozen=True)
class TopicPublisher:
    """An AWS service that publishes to the encrypted topic, and the sources it publishes from.

    Use :meth:`alarms` or :meth:`event_rule`: each knows which conditions its service's KMS requests carry.
    """

    principal: str
    """The service principal. Required."""
    source_resource: str
    """The ARN resource part of the sources (``alarm:<name pattern>``, ``rule/<name>``). Required."""
    service: str
    """The service part of the sources' ARNs (``cloudwatch``, ``events``). Required."""
    statement_id: str
    """The Sid of its key-policy and topic-policy statements. Required."""
    key_grant_knows_source: bool = True
    """Whether its KMS requests carry aws:SourceArn / aws:SourceAccount. @default True"""

    @classmethod
    def alarms(cls, name_pattern: str, statement_id: str = "CloudWatchAlarmsPublish") -> TopicPublisher:
        """This account's CloudWatch alarms whose names match ``name_pattern`` (``*`` allowed)."""
        if not isinstance(name_pattern, str) or not name_pattern or len(name_pattern) > 255:
            raise refuse("TopicPublisher.alarms.name_pattern", name_pattern, "use 1-255 characters, '*' allowed")
        _check_statement_id("TopicPublisher.statement_id", statement_id)
        return cls(CLOUDWATCH_PRINCIPAL, f"alarm:{name_pattern}", "cloudwatch", statement_id)

    @classmethod
    def event_rule(cls, rule_name: str, statement_id: str = "EventBridgeRulePublishes") -> TopicPublisher:
        """One EventBridge rule of the default bus."""
        # EventBridge's KMS requests for an SNS target do not carry aws:SourceArn / aws:SourceAccount (EventBridge
        # user guide, "Amazon SNS permissions"): a key grant conditioned on them drops every event.
        if not isinstance(rule_name, str) or not rule_name or "*" in rule_name or len(rule_name) > 64:
            raise refuse("TopicPublisher.event_rule.rule_name", rule_name, "use one rule's name, 1-64 characters")
        _check_statement_id("TopicPublisher.statement_id", statement_id)
        return cls(EVENTS_PRINCIPAL, f"rule/{rule_name}", "events", statement_id, key_grant_knows_source=False)


@dataclass(frozen=True, kw_only=True)
class TopicKeyProps(_PublishedKeyProps):
    """A key for one SNS topic that AWS services publish to, granted to exactly those publishers for that topic."""

    topic_name: str
    """The topic the key encrypts; the grants name its ARN as encryption context. Required."""
    publishers: tuple[TopicPublisher, ...]
    """Who publishes to the topic. Required, at least one."""
    description: str = "Encrypts an SNS topic that AWS services publish to"
    """What the key encrypts. @default "Encrypts an SNS topic that AWS services publish to" """
    output_name: str = "topic_key_arn"
    """The key stack's output that publishes the ARN after the wait. @default "topic_key_arn" """

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.topic_name, str) or not limits.TOPIC_NAME.fullmatch(self.topic_name):
            raise refuse("TopicKeyProps.topic_name", self.topic_name, "use 1-256 letters, digits, '_' or '-'")
        if not self.publishers or not all(isinstance(p, TopicPublisher) for p in self.publishers):
            raise refuse("TopicKeyProps.publishers", self.publishers,
                         "give at least one TopicPublisher.alarms(...) or TopicPublisher.event_rule(...)")
        if len({p.statement_id for p in self.publishers}) != len(self.publishers):
            raise refuse("TopicKeyProps.publishers", [p.statement_id for p in self.publishers],
                         "give each publisher its own statement_id")


@dataclass(frozen=True)
class EncryptedLogGroupsProps:
    """Log groups that share one key (given to the construct, as read from the key stack) and one retention."""

    retention_days: int = DEFAULT_RETENTION_DAYS
    """Days CloudWatch Logs keeps events, one of the values PutRetentionPolicy accepts. @default 731 (two years)"""

    def __post_init__(self) -> None:
        check_retention("EncryptedLogGroupsProps.retention_days", self.retention_days)


__all__ = [
    "EncryptedLogGroupsProps",
    "KeyProps",
    "LogGroupsKeyProps",
    "PropsError",
    "TopicKeyProps",
    "TopicPublisher",
    "check_log_group_name",
    "check_retention",
    "check_wait",
]
