"""Alarms that reach someone, checked from the synthesized JSON alone.

An alarm publishing to an SNS topic encrypted with a key whose policy does not let cloudwatch.amazonaws.com use it
under the topic's encryption context fails silently: the deploy succeeds, the alarm goes to ALARM, and only its
history says "CloudWatch Alarms does not have authorization to access the SNS topic encryption key" (SNS developer
guide, "Enable compatibility between event sources from AWS services and encrypted topics"). EventBridge delivering
to the same topic is the same trap with events.amazonaws.com. The AWS-managed alias/aws/sns key can never work.

Kept separate from the log-group key rule (synth_review/rules/key_policy_rules.py), with its constants written out
again: a check that shared the constructs' constants would agree with any mistake made in them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from cdktf_out.expressions import single_reference, whole_expression
from cdktf_out.placeholders import with_placeholders
from cdktf_out.routes import KMS_KEY, key_routes
from cdktf_out.tree import Block, Stack, SynthesizedApp
from synth_review.findings import Finding
from synth_review.policy_values import as_list
from synth_review.rules.wait_rules import judge

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "alarm-without-action": "every alarm notifies an SNS topic of its stack",
    "alarm-topic-unencrypted": "the alerts topic is encrypted with a customer key read through its time_sleep",
    "alerts-key-grant-missing": "that key lets each publisher (CloudWatch, EventBridge) use it for exactly that topic",
    "topic-policy": "the topic policy lets only this account's alarms and rule publish, and denies plain HTTP",
}

ALARM = "aws_cloudwatch_metric_alarm"
TOPIC = "aws_sns_topic"
TOPIC_POLICY = "aws_sns_topic_policy"
EVENT_TARGET = "aws_cloudwatch_event_target"
EVENT_RULE = "aws_cloudwatch_event_rule"

CLOUDWATCH = "cloudwatch.amazonaws.com"
EVENTS = "events.amazonaws.com"
KEY_ACTIONS = {"kms:Decrypt", "kms:GenerateDataKey*"}
TOPIC_CONTEXT = "kms:EncryptionContext:aws:sns:topicArn"
AWS_MANAGED_SNS_KEY = "alias/aws/sns"
# EventBridge's KMS requests for an SNS target carry no aws:SourceArn / aws:SourceAccount: conditioning its key grant
# on them drops every event (EventBridge user guide, "Amazon SNS permissions").
UNSUPPORTED_FOR_EVENTS = {"aws:SourceArn", "aws:SourceAccount"}


@dataclass(frozen=True)
class Publisher:
    """A service that publishes to a topic, and the ARNs (with placeholders) it publishes as."""

    principal: str
    source_arns: tuple[str, ...]


@dataclass(frozen=True)
class TopicUse:
    """A topic a key encrypts, with its ARN (placeholders) and who publishes to it."""

    name: str
    arn: str
    publishers: tuple[Publisher, ...]


def alert_findings(app: SynthesizedApp) -> list[Finding]:
    found: list[Finding] = []
    for stack in app.stacks:
        topics = {b.name: b for b in stack.resources(TOPIC)}
        problems, publishers = _publishers(stack, topics)
        found += problems
        for name, by in sorted(publishers.items()):
            found += _topic_findings(app, stack, topics[name], by)
    return found


def topics_by_key(app: SynthesizedApp) -> dict[tuple[str, str] | None, list[TopicUse]]:
    """The topics each key (stack, address) encrypts, with their publishers, wherever the key value comes from
    (under None: topics whose key value leads to no key the review can follow)."""
    found: dict[tuple[str, str] | None, list[TopicUse]] = {}
    for stack in app.stacks:
        topics = {b.name: b for b in stack.resources(TOPIC)}
        _, publishers = _publishers(stack, topics)
        for name, by in sorted(publishers.items()):
            topic_name = str(topics[name].body.get("name", "?"))
            use = TopicUse(topic_name, _arn("sns", topic_name), tuple(by))
            for route in key_routes(app, stack, topics[name].body.get("kms_master_key_id"), True):
                found.setdefault(route.key, []).append(use)
    return found


def _publishers(stack: Stack, topics: dict[str, Block]) -> tuple[list[Finding], dict[str, list[Publisher]]]:
    """The alarms' problems, and who publishes to each topic (by Terraform name): alarms and EventBridge rules."""
    found: list[Finding] = []
    publishers: dict[str, list[Publisher]] = {}
    for alarm in stack.resources(ALARM):
        problem, topic_names = _alarm_topics(alarm, topics)
        if problem:
            found.append(Finding("alarm-without-action", stack.name, alarm.address, problem))
        arn = _arn("cloudwatch", f"alarm:{alarm.body.get('alarm_name', '?')}")
        for name in topic_names:
            publishers.setdefault(name, []).append(Publisher(CLOUDWATCH, (arn,)))
    rules = {b.name: b for b in stack.resources(EVENT_RULE)}
    for target in stack.resources(EVENT_TARGET):
        name = _topic_name(target.body.get("arn"), topics)
        rule = _named(rules, target.body.get("rule"), "name")
        if name is not None and rule is not None:
            arn = _arn("events", f"rule/{rule.body.get('name', '?')}")
            publishers.setdefault(name, []).append(Publisher(EVENTS, (arn,)))
    return found, publishers


def _alarm_topics(alarm: Block, topics: dict[str, Block]) -> tuple[str | None, list[str]]:
    actions = alarm.body.get("alarm_actions") or []
    if alarm.body.get("actions_enabled") is False:
        return "actions_enabled is false: the alarm changes state and tells no one", []
    if not actions:
        return "no alarm_actions: the alarm changes state and tells no one", []
    names = [_topic_name(action, topics) for action in actions]
    if None in names:
        return (f"alarm_actions {actions!r} name no SNS topic of this stack: the review cannot show that the "
                "notification can be encrypted and delivered"), [n for n in names if n]
    return None, [n for n in names if n]


def _topic_findings(app: SynthesizedApp, stack: Stack, topic: Block, publishers: list[Publisher]) -> list[Finding]:
    def fail(rule: str, message: str) -> list[Finding]:
        return [Finding(rule, stack.name, topic.address, message)]

    name = str(topic.body.get("name", "?"))
    topic_arn = _arn("sns", name)
    key_id = topic.body.get("kms_master_key_id")
    if not key_id:
        return fail("alarm-topic-unencrypted", f"{name} has no kms_master_key_id: alarm notifications are not "
                                               "encrypted with a customer key whose policy this review can read")
    if key_id == AWS_MANAGED_SNS_KEY or str(key_id).endswith(f":{AWS_MANAGED_SNS_KEY}"):
        return fail("alarm-topic-unencrypted", f"{name} uses {AWS_MANAGED_SNS_KEY}, whose policy cannot admit "
                                               f"{CLOUDWATCH}: every alarm action would fail silently")
    key = _key_behind(app, stack, key_id)
    if key is None:
        return fail("alarm-topic-unencrypted", f"{name}: kms_master_key_id {key_id!r} is not the encryption stack's "
                                               "key read through its time_sleep (and a key check): the topic can race "
                                               "the key policy, or no policy can be shown to grant CloudWatch its use")
    found: list[Finding] = []
    key_stack, key_block = key
    policy = json.loads(with_placeholders(str(key_block.body.get("policy", "{}"))))
    for problem in key_policy_problems(policy, topic_arn, publishers):
        found.append(Finding("alerts-key-grant-missing", key_stack.name, key_block.address, problem))
    topic_policy = _topic_policy(stack, topic)
    if topic_policy is None:
        found += fail("topic-policy", f"{name} has no aws_sns_topic_policy: nothing limits who may publish, and "
                                      "nothing denies publishing without TLS")
    else:
        for problem in topic_policy_problems(topic_policy, topic_arn, publishers):
            found += fail("topic-policy", problem)
    return found


def key_policy_problems(policy: dict[str, Any], topic_arn: str, publishers: list[Publisher]) -> list[str]:
    """What keeps each publisher from using the key for this topic; and any service grant not held to the topic."""
    allows = [s for s in as_list(policy.get("Statement", [])) if s.get("Effect") == "Allow"]
    problems: list[str] = []
    for principal in sorted({p.principal for p in publishers}):
        arns = [arn for p in publishers if p.principal == principal for arn in p.source_arns]
        grants = [s for s in allows if principal in _services(s) and _grants_topic(s, topic_arn)]
        if not grants:
            problems.append(
                f"no statement lets {principal} use the key for {topic_arn}: it needs {sorted(KEY_ACTIONS)} on "
                f"Resource \"*\" with {TOPIC_CONTEXT} = {topic_arn} (ArnEquals or StringEquals, exact)"
            )
            continue
        for grant in grants:
            if principal == EVENTS and _condition_keys(grant) & UNSUPPORTED_FOR_EVENTS:
                problems.append(f"the {EVENTS} grant ({grant.get('Sid', 'no Sid')}) is conditioned on "
                                f"{sorted(_condition_keys(grant) & UNSUPPORTED_FOR_EVENTS)}, which EventBridge's "
                                "KMS requests do not carry: every compliance event would be dropped")
            refused = [arn for arn in arns if not _source_arn_admits(grant, arn)]
            if refused:
                problems.append(f"the {principal} grant ({grant.get('Sid', 'no Sid')}) refuses {refused[0]} by its "
                                "aws:SourceArn condition: that publisher's notifications would be dropped")
    for statement in allows:
        for service in _services(statement):
            if _condition_value(statement, TOPIC_CONTEXT) is None:
                problems.append(f"{service} may use the key ({statement.get('Sid', 'no Sid')}) without "
                                f"{TOPIC_CONTEXT}: the grant is not held to the alerts topic")
    return problems


def topic_policy_problems(policy: dict[str, Any], topic_arn: str, publishers: list[Publisher]) -> list[str]:
    statements = as_list(policy.get("Statement", []))
    problems: list[str] = []
    for publisher in publishers:
        for arn in publisher.source_arns:
            if not any(_admits_publish(s, publisher.principal, topic_arn, arn) for s in statements):
                problems.append(f"the topic policy does not let {publisher.principal} publish as {arn} (Allow "
                                f"sns:Publish on {topic_arn}, conditioned on aws:SourceArn and aws:SourceAccount)")
    if not any(_denies_plain_http(s) for s in statements):
        problems.append("the topic policy does not deny sns:Publish when aws:SecureTransport is false")
    return problems


def _admits_publish(statement: dict[str, Any], principal: str, topic_arn: str, source_arn: str) -> bool:
    if statement.get("Effect") != "Allow" or principal not in _services(statement):
        return False
    if not _actions(statement) & {"sns:publish", "sns:*"} or topic_arn not in as_list(statement.get("Resource")):
        return False
    return (_condition_value(statement, "aws:SourceArn") is not None
            and _condition_value(statement, "aws:SourceAccount") is not None
            and _source_arn_admits(statement, source_arn))


def _denies_plain_http(statement: dict[str, Any]) -> bool:
    principal = statement.get("Principal")
    everyone = principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS")))
    secure = statement.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
    return (statement.get("Effect") == "Deny" and everyone and bool(_actions(statement) & {"sns:publish", "sns:*"})
            and str(secure).lower() == "false")


def _grants_topic(statement: dict[str, Any], topic_arn: str) -> bool:
    if not _actions(statement) >= {a.lower() for a in KEY_ACTIONS} or statement.get("Resource") != "*":
        return False
    condition = statement.get("Condition", {})
    values = [v for op in ("ArnEquals", "StringEquals") for v in as_list(condition.get(op, {}).get(TOPIC_CONTEXT))]
    return topic_arn in values and not any("*" in str(v) for v in values)


def _source_arn_admits(statement: dict[str, Any], arn: str) -> bool:
    """Whether the statement's aws:SourceArn condition (if any) lets a publisher of this ARN through."""
    condition = statement.get("Condition", {})
    exact = [v for op in ("ArnEquals", "StringEquals") for v in as_list(condition.get(op, {}).get("aws:SourceArn"))]
    like = [v for op in ("ArnLike", "StringLike") for v in as_list(condition.get(op, {}).get("aws:SourceArn"))]
    if not exact and not like:
        return True
    return arn in exact or any(fnmatchcase(arn, pattern) for pattern in like)


def _condition_value(statement: dict[str, Any], key: str) -> Any:
    for operands in statement.get("Condition", {}).values():
        if isinstance(operands, dict) and key in operands:
            return operands[key]
    return None


def _condition_keys(statement: dict[str, Any]) -> set[str]:
    return {k for operands in statement.get("Condition", {}).values() if isinstance(operands, dict) for k in operands}


def _services(statement: dict[str, Any]) -> list[str]:
    principal = statement.get("Principal")
    return [str(s) for s in as_list(principal.get("Service"))] if isinstance(principal, dict) else []


def _actions(statement: dict[str, Any]) -> set[str]:
    return {str(a).lower() for a in as_list(statement.get("Action"))}


def _arn(service: str, resource: str) -> str:
    return f"arn:<partition>:{service}:<region>:<account>:{resource}"


def _topic_name(value: Any, topics: dict[str, Block]) -> str | None:
    reference = single_reference(value)
    if reference is None or reference.attribute not in {"arn", "id"}:
        return None
    kind, _, name = reference.address.partition(".")
    return name if kind == TOPIC and name in topics else None


def _named(blocks: dict[str, Block], value: Any, attribute: str) -> Block | None:
    """The block a `${<type>.<name>.<attribute>}` value refers to."""
    reference = single_reference(value)
    if reference is None or reference.path != (attribute,):
        return None
    return blocks.get(reference.address.partition(".")[2])


def _topic_policy(stack: Stack, topic: Block) -> dict[str, Any] | None:
    for block in stack.resources(TOPIC_POLICY):
        if whole_expression(block.body.get("arn")) in {f"{topic.address}.arn", f"{topic.address}.id"}:
            return json.loads(with_placeholders(str(block.body.get("policy", "{}"))))
    return None


def _key_behind(app: SynthesizedApp, stack: Stack, value: Any) -> tuple[Stack, Block] | None:
    """The aws_kms_key a key value comes from, if it reaches the topic only through that key's own wait.

    Followed by cdktf_out/routes.py, the one tracer of key values (data sources, remote outputs, whole-map lookups,
    aliases), so the topic's key is judged exactly as every other key user is.
    """
    routes = key_routes(app, stack, value, literal_aliases=True)
    if len(routes) != 1 or routes[0].key is None or judge(app, routes[0]) is not None:
        return None
    key_stack, address = routes[0].key
    producer = app.stack(key_stack)
    return producer, next(block for block in producer.resources(KMS_KEY) if block.address == address)


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return found + alert_findings(app)
