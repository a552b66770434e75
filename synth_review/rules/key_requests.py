"""The requests each key must allow and must refuse: the questions AWS will ask of its policy, written down.

Required: what AWS services send for the workflow (CloudWatch Logs for each log group that uses the key, CloudWatch
alarms and EventBridge publishing to the topic it encrypts, log delivery for the state machine it encrypts) and the
account's administrators. Forbidden: the same services for anything that is not ours (another log group, account,
region or topic, or no context at all), actions beyond what AWS documents for a service, other services, other
accounts, anonymous callers, this account's identities without an IAM grant, and every principal the policy names
that none of the key's uses explains. The request context holds what AWS documents each service sends; where a page
is silent the review leaves a key out (a condition on it then refuses the request, as AWS would).
docs/policy-evaluation.md lists every request with its page.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from synth_review.access.binding import Binding
from synth_review.access.request import ANONYMOUS, Principal, Request
from synth_review.policy_values import as_list
from synth_review.rules.alert_rules import CLOUDWATCH, EVENTS, TopicUse

LOGS_CONTEXT = "kms:EncryptionContext:aws:logs:arn"
TOPIC_CONTEXT = "kms:EncryptionContext:aws:sns:topicArn"
LOG_DELIVERY = "delivery.logs.amazonaws.com"
# The KMS operations the user guide's statement (Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*) covers that
# carry an encryption context. kms:DescribeKey carries none, so AWS's own statement, conditioned on the context,
# never allows it: CloudWatch Logs cannot depend on it, and the review does not require it.
LOGS_CALLS = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
              "kms:GenerateDataKeyWithoutPlaintext")
PUBLISHER_CALLS = ("kms:GenerateDataKey", "kms:Decrypt")  # SNS developer guide: kms:GenerateDataKey* and kms:Decrypt
ADMIN_CALLS = ("kms:PutKeyPolicy", "kms:DescribeKey")
NOT_OUR_LOG_GROUP = "/aws/lambda/not-a-workflow-function"
NOT_OUR_TOPIC = "not-the-alerts-topic"
UNRELATED_SERVICE = "s3.amazonaws.com"

LOGS_PAGE = "CloudWatch Logs user guide, Encrypt log data in CloudWatch Logs using AWS KMS"
SNS_PAGE = "SNS developer guide, Enable compatibility between event sources from AWS services and encrypted topics"
SFN_PAGE = "Step Functions developer guide, Data at rest encryption"
DEFAULT_POLICY_PAGE = "KMS developer guide, Default key policy"


@dataclass(frozen=True)
class KeyUses:
    """What the stacks use one key for, read from the resources that use it."""

    log_groups: tuple[str, ...] = ()
    topics: tuple[TopicUse, ...] = ()
    state_machines: tuple[str, ...] = ()
    names_logs_principal: bool = False  # its policy admits a logs principal, though no log group may use it
    unresolved: frozenset[str] = frozenset()  # uses ("logs", "alerts", "data") with a user whose key is unknown


@dataclass(frozen=True)
class ExpectedRequest:
    request: Request
    allowed: bool  # True: AWS makes it and it must be allowed; False: it must be refused
    label: str  # what it stands for, as a finding names it
    consequence: str  # what a wrong decision means, and the AWS page that says so
    topic: str  # "logs", "alerts", "data", "admin" or "outsider": which use of the key it is about


def expected_requests(uses: KeyUses, policy: Mapping[str, Any], ours: Binding,
                      all_log_groups: tuple[str, ...] = ()) -> list[ExpectedRequest]:
    """Every request the key's policy is held to; `policy` is bound to `ours`; `all_log_groups` are every log group
    the stacks create, whatever their key."""
    expected: list[ExpectedRequest] = []
    # A use whose users' key the review cannot follow may be this key's: its service is not called a stranger here
    # (the sleep-bypassed rule fails the review for that user).
    services = {UNRELATED_SERVICE} | {name for use in uses.unresolved for name in _use_services(use, ours)}
    if uses.log_groups or uses.names_logs_principal:
        expected += _logs(uses.log_groups, policy, ours, all_log_groups)
        services.add(_logs_principal(ours))
    if uses.topics:
        expected += _publishers(uses.topics, ours)
        services |= {p.principal for topic in uses.topics for p in topic.publishers}
    if uses.state_machines:
        expected += _log_delivery(uses.state_machines, ours)
        services.add(LOG_DELIVERY)
    expected += _administrators(ours) + _outsiders(ours)
    expected += _other_services(services, ours)
    expected += _named_strangers(policy, services, ours)
    return expected


def _use_services(use: str, binding: Binding) -> tuple[str, ...]:
    return {"logs": (_logs_principal(binding),), "alerts": (CLOUDWATCH, EVENTS), "data": (LOG_DELIVERY,)}[use]


def _logs_principal(binding: Binding) -> str:
    return f"logs.{binding.region}.{binding.dns_suffix}"


def _service(name: str, action: str, binding: Binding, context: Mapping[str, tuple[str, ...]]) -> Request:
    facts = {"aws:PrincipalServiceName": (name,), "aws:PrincipalIsAWSService": ("true",), **context}
    return Request(Principal("Service", name), action, binding.key_arn, facts)


def _identity(arn: str, action: str, binding: Binding, identity_allows: bool) -> Request:
    principal = Principal("AWS", arn)
    facts = {"aws:PrincipalArn": (arn,), "aws:PrincipalAccount": (principal.account or "",),
             "aws:PrincipalIsAWSService": ("false",)}
    return Request(principal, action, binding.key_arn, facts, identity_allows)


def _log_group_context(arn: str) -> dict[str, tuple[str, ...]]:
    return {LOGS_CONTEXT: (arn,), "kms:EncryptionContextKeys": ("aws:logs:arn",)}


def _topic_context(arn: str) -> dict[str, tuple[str, ...]]:
    return {TOPIC_CONTEXT: (arn,), "kms:EncryptionContextKeys": ("aws:sns:topicArn",)}


def _administrators(ours: Binding) -> list[ExpectedRequest]:
    admin_role = f"arn:{ours.partition}:iam::{ours.account}:role/key-administrator"
    expected = [ExpectedRequest(
        _identity(ours.root, action, ours, False), True, f"this account's root user {action}",
        f"no one can administer the key, which becomes unmanageable ({DEFAULT_POLICY_PAGE})", "admin")
        for action in ADMIN_CALLS]
    expected.append(ExpectedRequest(
        _identity(admin_role, "kms:PutKeyPolicy", ours, True), True,
        "an administrator role of this account (its IAM policy allows kms:*) kms:PutKeyPolicy",
        f"the account's administrators cannot manage the key through their IAM policies ({DEFAULT_POLICY_PAGE})",
        "admin"))
    return expected


def _outsiders(ours: Binding) -> list[ExpectedRequest]:
    other = ours.other_account
    stranger_role = f"arn:{other.partition}:iam::{other.account}:role/stranger"
    idle_role = f"arn:{ours.partition}:iam::{ours.account}:role/no-key-permission"
    return [
        ExpectedRequest(_identity(other.root, "kms:Decrypt", ours, True), False,
                        "another account's root user kms:Decrypt",
                        "another account can use the key: a key policy grant is all it needs", "outsider"),
        ExpectedRequest(_identity(stranger_role, "kms:Decrypt", ours, True), False,
                        "a role of another account (its own IAM policy allows kms:*) kms:Decrypt",
                        "another account's identities can use the key", "outsider"),
        ExpectedRequest(Request(ANONYMOUS, "kms:Decrypt", ours.key_arn), False, "an anonymous caller kms:Decrypt",
                        "anyone can use the key", "outsider"),
        ExpectedRequest(_identity(idle_role, "kms:Decrypt", ours, False), False,
                        "a role of this account whose IAM policies grant nothing on the key, kms:Decrypt",
                        "every identity of this account can use the key without an IAM grant", "outsider"),
    ]


def _logs(groups: tuple[str, ...], policy: Mapping[str, Any], ours: Binding,
          all_log_groups: tuple[str, ...]) -> list[ExpectedRequest]:
    principal = _logs_principal(ours)
    expected = [
        ExpectedRequest(_service(principal, action, ours, _log_group_context(ours.arn("logs", f"log-group:{g}"))),
                        True, f"CloudWatch Logs {action} for log group {g}",
                        f"CloudWatch Logs cannot use the key for that log group, so creating it with the key fails "
                        f"({LOGS_PAGE}: \"CloudWatch Logs must have permissions for the key\")", "logs")
        for action in LOGS_CALLS for g in groups]
    sample = groups[0] if groups else NOT_OUR_LOG_GROUP
    ours_arn = ours.arn("logs", f"log-group:{sample}")
    strangers = [
        (f"log group {sample} of another account", ours.other_account.arn("logs", f"log-group:{sample}"),
         f"the key serves another account's log groups: the condition is what holds it to ours ({LOGS_PAGE})"),
        (f"log group {sample} in {ours.other_region.region}", ours.other_region.arn("logs", f"log-group:{sample}"),
         "the key serves log groups of another region"),
        ("a log group of this account that no stack creates",
         ours.arn("logs", f"log-group:{NOT_OUR_LOG_GROUP}"), "the key serves log groups beyond the workflow's"),
    ]
    created = {ours.arn("logs", f"log-group:{g}") for g in (*groups, *all_log_groups)}
    for arn in _named_log_groups(policy):
        if arn not in created and "*" not in arn and "?" not in arn:
            strangers.append((f"log group {arn.split(':log-group:', 1)[-1]} (named by the policy, created by no stack)",
                              arn, "the key serves a log group that no stack creates"))
    expected += [ExpectedRequest(_service(principal, "kms:GenerateDataKey", ours, _log_group_context(arn)), False,
                                 f"CloudWatch Logs kms:GenerateDataKey for {what}", why, "logs")
                 for what, arn, why in strangers]
    others = [("the global logs.amazonaws.com", f"logs.{ours.dns_suffix}"),
              (f"{ours.other_region.region}'s CloudWatch Logs", _logs_principal(ours.other_region))]
    expected += [ExpectedRequest(_service(name, "kms:GenerateDataKey", ours, _log_group_context(ours_arn)), False,
                                 f"{who} kms:GenerateDataKey for log group {sample}",
                                 f"the key admits {name}, which is not how CloudWatch Logs in {ours.region} calls KMS "
                                 f"({LOGS_PAGE}: the service principal must be in the key's Region)", "logs")
                 for who, name in others]
    expected += [
        ExpectedRequest(_service(principal, "kms:GenerateDataKey", ours, {}), False,
                        "CloudWatch Logs kms:GenerateDataKey naming no log group (no encryption context)",
                        "the key serves CloudWatch Logs requests for any log group", "logs"),
        ExpectedRequest(_service(principal, "kms:CreateGrant", ours, _log_group_context(ours_arn)), False,
                        f"CloudWatch Logs kms:CreateGrant for log group {sample}",
                        f"CloudWatch Logs gets more than the user guide's statement grants ({LOGS_PAGE})", "logs"),
        ExpectedRequest(_service(principal, "kms:PutKeyPolicy", ours, _log_group_context(ours_arn)), False,
                        "CloudWatch Logs kms:PutKeyPolicy", "a service may rewrite the key policy", "logs"),
    ]
    return expected


def _named_log_groups(policy: Mapping[str, Any]) -> list[str]:
    """Every value the policy compares with kms:EncryptionContext:aws:logs:arn."""
    found = []
    for statement in as_list(policy.get("Statement")):
        condition = statement.get("Condition") if isinstance(statement, dict) else None
        for tests in (condition.values() if isinstance(condition, dict) else []):
            for key, values in (tests.items() if isinstance(tests, dict) else []):
                if str(key).lower() == LOGS_CONTEXT.lower():
                    found += [str(value) for value in as_list(values)]
    return list(dict.fromkeys(found))


def _publishers(topics: tuple[TopicUse, ...], ours: Binding) -> list[ExpectedRequest]:
    expected: list[ExpectedRequest] = []
    for topic in topics:
        topic_arn = ours.text(topic.arn)
        expected += [ExpectedRequest(
            _service(p.principal, action, ours,
                     {**_topic_context(topic_arn), **_sources(p.principal, ours.text(source), ours)}),
            True, f"{_publisher_name(p.principal, ours.text(source))} {action} for topic {topic.name}",
            f"its notifications to {topic.name} are dropped silently; only its history says so ({SNS_PAGE})", "alerts")
            for action in PUBLISHER_CALLS for p in topic.publishers for source in p.source_arns]
        firsts = {p.principal: ours.text(p.source_arns[0]) for p in topic.publishers if p.source_arns}
        for principal, source in sorted(firsts.items()):
            who, sources = _publisher_name(principal, source), _sources(principal, source, ours)
            expected += [
                ExpectedRequest(_service(principal, "kms:GenerateDataKey", ours,
                                         {**_topic_context(ours.arn("sns", NOT_OUR_TOPIC)), **sources}), False,
                                f"{who} kms:GenerateDataKey for another topic of this account",
                                f"the key serves topics other than {topic.name}", "alerts"),
                ExpectedRequest(_service(principal, "kms:GenerateDataKey", ours, sources), False,
                                f"{who} kms:GenerateDataKey naming no topic (no encryption context)",
                                "the key serves that service for any topic", "alerts"),
                ExpectedRequest(_service(principal, "kms:Encrypt", ours, {**_topic_context(topic_arn), **sources}),
                                False, f"{who} kms:Encrypt for topic {topic.name}",
                                f"the service gets more than kms:GenerateDataKey* and kms:Decrypt ({SNS_PAGE})",
                                "alerts"),
            ]
        if CLOUDWATCH in firsts:
            other = ours.other_account
            alarm = other.arn("cloudwatch", "alarm:" + firsts[CLOUDWATCH].rsplit(":alarm:", 1)[-1])
            expected.append(ExpectedRequest(
                _service(CLOUDWATCH, "kms:GenerateDataKey", ours,
                         {**_topic_context(topic_arn), **_sources(CLOUDWATCH, alarm, other)}), False,
                f"an alarm of another account kms:GenerateDataKey for topic {topic.name}",
                f"another account's alarms can use the key (confused deputy: {SNS_PAGE}, aws:SourceAccount)", "alerts"))
    return expected


def _sources(principal: str, source: str, binding: Binding) -> dict[str, tuple[str, ...]]:
    """The source keys a publisher's KMS request carries: CloudWatch sends them; EventBridge's requests for an SNS
    target carry none (EventBridge user guide, Amazon SNS permissions)."""
    if principal != CLOUDWATCH:
        return {}
    return {"aws:SourceArn": (source,), "aws:SourceAccount": (binding.account,)}


def _publisher_name(principal: str, source: str) -> str:
    kind = {CLOUDWATCH: "CloudWatch alarm", EVENTS: "EventBridge rule"}.get(principal, principal)
    return f"{kind} {source.rsplit(':', 1)[-1].removeprefix('rule/')}"


def _log_delivery(machines: tuple[str, ...], ours: Binding) -> list[ExpectedRequest]:
    names = ", ".join(machines)
    return [
        ExpectedRequest(_service(LOG_DELIVERY, "kms:Decrypt", ours, {}), True,
                        f"log delivery kms:Decrypt for state machine {names}",
                        f"the state machine's logs cannot be delivered ({SFN_PAGE})", "data"),
        ExpectedRequest(_service(LOG_DELIVERY, "kms:Encrypt", ours, {}), False, "log delivery kms:Encrypt",
                        f"log delivery gets more than the kms:Decrypt it needs ({SFN_PAGE})", "data"),
    ]


def _other_services(served: set[str], ours: Binding) -> list[ExpectedRequest]:
    """Each service another key of the workflow serves, asked as it would ask that key, and one no key serves."""
    logs = _logs_principal(ours)
    probes = {
        UNRELATED_SERVICE: {},
        logs: _log_group_context(ours.arn("logs", f"log-group:{NOT_OUR_LOG_GROUP}")),
        CLOUDWATCH: {**_topic_context(ours.arn("sns", NOT_OUR_TOPIC)),
                     **_sources(CLOUDWATCH, ours.arn("cloudwatch", "alarm:any"), ours)},
        EVENTS: _topic_context(ours.arn("sns", NOT_OUR_TOPIC)),
        LOG_DELIVERY: {},
    }
    return [ExpectedRequest(_service(name, "kms:Decrypt", ours, context), False, f"{name} kms:Decrypt",
                            "the key serves a service none of its uses needs", "outsider")
            for name, context in probes.items() if name == UNRELATED_SERVICE or name not in served]


def _named_strangers(policy: Mapping[str, Any], served: set[str], ours: Binding) -> list[ExpectedRequest]:
    """A request from every principal the policy names that is neither this account nor a service the key serves."""
    expected = []
    for statement in as_list(policy.get("Statement")):
        principal = statement.get("Principal") if isinstance(statement, dict) else None
        for kind, values in (principal.items() if isinstance(principal, dict) else []):
            for value in map(str, as_list(values)):
                named = Principal(str(kind), value)
                if kind == "AWS" and named.account not in (None, ours.account):
                    request = _identity(value if named.name != named.account else f"arn:{ours.partition}:iam::"
                                        f"{value}:root", "kms:Decrypt", ours, True)
                elif kind == "Service" and value.lower() not in {s.lower() for s in served}:
                    request = _service(value, "kms:Decrypt", ours, {})
                elif kind in ("Federated", "CanonicalUser"):
                    request = Request(named, "kms:Decrypt", ours.key_arn)
                else:
                    continue
                expected.append(ExpectedRequest(request, False, f"{value} (named by the policy) kms:Decrypt",
                                                 "the key serves a principal none of its uses explains", "outsider"))
    return expected
