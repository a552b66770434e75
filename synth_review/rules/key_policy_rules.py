"""What AWS requires of a KMS key policy, as checks over one synthesized policy: the rule the original deployment
broke, and the ones like it.

CloudWatch Logs can use a customer-managed key for a log group only if the key policy lets the regional logs
principal use it; a condition on kms:EncryptionContext:aws:logs:arn holds that grant to the groups it names
(CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs using AWS KMS"). Any other AWS service a key policy
names gets the condition AWS documents for it (SERVICE_PRINCIPALS), and no statement but the account's own opens the
key to `*` or another account. These checks read the statements' shape; what the shape does to each request AWS
makes is computed by synth_review/rules/key_access_rules.py and added to their findings.

Every check returns (rule, statement Sid, message) triples; synth_review/rules/key_rules.py turns them into findings.
"""

from __future__ import annotations

import fnmatch
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from cdktf_out.placeholders import log_group_arn_pattern, with_placeholders
from synth_review.policy_values import as_list, sid

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "logs-key-principal": "a key that log groups use lets the regional principal logs.<region>.<dns_suffix> use it",
    "logs-key-actions": "that statement grants exactly kms:Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe*",
    "logs-key-condition": "that statement has ArnEquals on kms:EncryptionContext:aws:logs:arn",
    "logs-key-wildcard": "no wildcard in that condition",
    "logs-key-log-groups": "that condition lists exactly the log groups that use the key, read from the groups",
    "key-principal-wildcard": "no key policy statement opens the key to \"*\" (or NotPrincipal)",
    "key-foreign-principal": "no key policy statement names another account",
    "key-service-condition": "every service principal has a row in SERVICE_PRINCIPALS and the condition AWS documents",
    "key-service-actions": "a service principal gets no action beyond the ones AWS documents for it",
    "key-account-statement": "every key policy lets this account's root do kms:* (the key stays manageable)",
}

# Written out again on purpose, not imported from payment_constructs.key_policy: a check that shared the
# construct's constants would agree with any mistake made in them.
LOGS_PRINCIPAL = "logs.<region>.<dns_suffix>"
REQUIRED_ACTIONS = frozenset(
    {"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}
)
CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn"
# The calls those five patterns let CloudWatch Logs make; a Deny matching any of them breaks the log groups.
LOGS_CALLS = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
              "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey")
EXACT_ARN_OPERATOR = "ArnEquals"
LOGS_PAGE = "CloudWatch Logs user guide, Encrypt log data in CloudWatch Logs using AWS KMS"
SNS_TOPIC_CONTEXT_KEY = "kms:EncryptionContext:aws:sns:topicArn"
SNS_PUBLISHER_ACTIONS = frozenset({"kms:Decrypt", "kms:GenerateDataKey*"})
ROOT_PRINCIPALS = frozenset({"arn:<partition>:iam::<account>:root", "<account>"})
THIS_ACCOUNT = re.compile(r"^(?:arn:<partition>:iam::<account>:\S+|<account>)$")
_LOGS_SERVICE = re.compile(r"^logs\.(?:[a-z0-9-<>_]+\.)?(?:<dns_suffix>|amazonaws\.com(?:\.cn)?)$")


@dataclass(frozen=True)
class ServicePrincipal:
    """What AWS documents for one service principal in a key policy."""

    condition_keys: tuple[str, ...]  # each must constrain the statement; () when AWS documents the grant without one
    actions: frozenset[str] | None  # the actions AWS documents for it; None when the table does not limit them
    source: str  # the AWS page that says so


# Service principal (account, region and DNS suffix as placeholders) -> what AWS documents for it in a key policy.
# A principal missing here fails the review until someone adds its row, citing AWS.
SERVICE_PRINCIPALS: dict[str, ServicePrincipal] = {
    LOGS_PRINCIPAL: ServicePrincipal(
        (CONTEXT_KEY,), REQUIRED_ACTIONS,
        "CloudWatch Logs user guide, Encrypt log data in CloudWatch Logs using AWS KMS, step 2",
    ),
    "delivery.logs.amazonaws.com": ServicePrincipal(
        (), frozenset({"kms:Decrypt", "kms:Decrypt*"}),
        "Step Functions developer guide, Data at rest encryption, step 3: kms:Decrypt for log delivery, no condition",
    ),
    # Alarms and EventBridge publishing to an encrypted SNS topic (the alerts key; synth_review/rules/alert_rules.py
    # checks the topic ARN itself).
    "cloudwatch.amazonaws.com": ServicePrincipal(
        (SNS_TOPIC_CONTEXT_KEY,), SNS_PUBLISHER_ACTIONS,
        "SNS developer guide, Enable compatibility between event sources from AWS services and encrypted topics",
    ),
    "events.amazonaws.com": ServicePrincipal(
        (SNS_TOPIC_CONTEXT_KEY,), SNS_PUBLISHER_ACTIONS,
        "SNS developer guide, Enable compatibility between event sources from AWS services and encrypted topics",
    ),
}

Problem = tuple[str, str, str]  # (rule, statement Sid or "" when no statement is to blame, message)


def allow_statements(policy: dict[str, Any]) -> list[dict[str, Any]]:
    """The statements that grant something; a Deny never opens a key."""
    return [s for s in as_list(policy.get("Statement")) if isinstance(s, dict) and s.get("Effect") == "Allow"]


def principals(statement: dict[str, Any]) -> list[tuple[str, str]]:
    """(kind, value) of every principal; a bare "*" is the anonymous principal of every kind."""
    principal = statement.get("Principal")
    if isinstance(principal, str):
        return [("*", principal)]
    if not isinstance(principal, dict):
        return []
    return [(str(kind), str(value)) for kind, values in principal.items() for value in as_list(values)]


def conditions_on(statement: dict[str, Any], key: str) -> list[tuple[str, list[str]]]:
    """(operator, values) of every condition on `key` (condition keys are case-insensitive in IAM)."""
    found = []
    condition = statement.get("Condition") or {}
    for operator, tests in (condition.items() if isinstance(condition, dict) else []):
        for name, values in (tests.items() if isinstance(tests, dict) else []):
            if name.lower() == key.lower():
                found.append((str(operator), [str(v) for v in as_list(values)]))
    return found


def service_key(service: str, region: str | None) -> str:
    """A service principal as the table spells it: the provider's own region as <region>, regional DNS suffix too."""
    if region:
        service = service.replace(f".{region}.", ".<region>.")
    return re.sub(r"^(\w[\w-]*)\.<region>\.amazonaws\.com(\.cn)?$", r"\1.<region>.<dns_suffix>", service)


def principal_problems(policy: dict[str, Any], region: str | None) -> list[Problem]:
    """Who the key is opened to: no `*`, no other account, and every service only under the condition AWS documents."""
    problems: list[Problem] = []
    for statement in allow_statements(policy):
        if "NotPrincipal" in statement:
            problems.append(("key-principal-wildcard", sid(statement),
                             "Allow with NotPrincipal opens the key to every principal but those listed"))
        for kind, value in principals(statement):
            if value == "*" or (kind == "AWS" and "*" in value):
                problems.append(("key-principal-wildcard", sid(statement),
                                 f"principal {kind}:{value} lets anyone with KMS access use the key; only the account "
                                 "statement may be that wide, and it names this account"))
            elif kind in ("AWS", "Federated", "CanonicalUser") and not THIS_ACCOUNT.match(value):
                problems.append(("key-foreign-principal", sid(statement),
                                 f"principal {kind}:{value} is not of this account: a key policy grant is enough for "
                                 "another account to use the key"))
            elif kind == "Service" and service_key(value, region) != LOGS_PRINCIPAL:  # logs_key_problems: closer
                problems += _service_problems(statement, service_key(value, region))
    return problems


def _service_problems(statement: dict[str, Any], service: str) -> list[Problem]:
    known = SERVICE_PRINCIPALS.get(service)
    if known is None:
        return [("key-service-condition", sid(statement),
                 f"service principal {service} has no row in SERVICE_PRINCIPALS (synth_review/rules/"
                 "key_policy_rules.py): add the condition AWS documents for it (a service principal without one lets "
                 "any account's use of that service reach the key)")]
    problems: list[Problem] = []
    for key in known.condition_keys:
        tests = conditions_on(statement, key)
        if not tests:
            problems.append(("key-service-condition", sid(statement),
                             f"{service} without a condition on {key} ({known.source})"))
        for operator, values in tests:
            if operator.endswith("IfExists") or any(v.strip() == "*" for v in values):
                problems.append(("key-service-condition", sid(statement),
                                 f"{service}: {operator} {key} {values} constrains nothing ({known.source})"))
    extra = _action_difference({str(a) for a in as_list(statement.get("Action"))}, known.actions)[1] \
        if known.actions is not None else []
    if extra or "NotAction" in statement:
        problems.append(("key-service-actions", sid(statement),
                         f"{service} is granted {', '.join(extra) or 'NotAction'}, beyond what AWS documents "
                         f"({', '.join(sorted(known.actions or ()))}; {known.source})"))
    return problems


def _action_difference(actions: set[str], wanted: frozenset[str]) -> tuple[list[str], list[str]]:
    """(wanted actions missing, actions not wanted), compared as IAM compares action names: ignoring case."""
    have, want = {a.lower() for a in actions}, {a.lower() for a in wanted}
    return sorted(a for a in wanted if a.lower() not in have), sorted(a for a in actions if a.lower() not in want)


def logs_statements(policy: dict[str, Any], region: str | None) -> tuple[list[dict[str, Any]], list[str]]:
    """The statements for the regional logs principal, and any other logs principal found (global, other region)."""
    regional, others = [], []
    for statement in allow_statements(policy):
        services = [service_key(v, region) for kind, v in principals(statement) if kind == "Service"]
        if LOGS_PRINCIPAL in services:
            regional.append(statement)
        others += [s for s in services if s != LOGS_PRINCIPAL and _LOGS_SERVICE.match(s)]
    return regional, others


def logs_key_problems(policy: dict[str, Any], log_groups: Iterable[str], region: str | None) -> list[Problem]:
    """What keeps CloudWatch Logs from using the key for exactly `log_groups` (the groups that use it), and no other.

    The post-mortem's own policy (the logs principal with no encryption-context condition, or with ArnLike and a
    wildcard) fails here, as does every nearby one: a global or foreign-region principal, a missing action, an
    ArnEquals with a wildcard (it expands exactly as ArnLike would) or with one group too few or too many.
    """
    wanted = {log_group_arn_pattern(group) for group in log_groups}
    regional, others = logs_statements(policy, region)
    if not regional:
        named = ", ".join(sorted(set(others)))
        also = f" (it names {named}, which CloudWatch Logs does not call KMS as)" if others else ""
        return [("logs-key-principal", "", f"no statement lets {LOGS_PRINCIPAL} use the key{also}: CloudWatch Logs "
                 f"calls KMS as the service principal of the key's Region ({LOGS_PAGE}, step 2)")]
    problems: list[Problem] = []
    listed: set[str] = set()
    for statement in regional:
        problems += _logs_statement_problems(statement, wanted, listed)
    for statement in _unconditional_denials(policy, region):
        denied = ", ".join(str(a) for a in as_list(statement.get("Action")))
        problems.append(("logs-key-principal", sid(statement), f"denies {LOGS_PRINCIPAL} {denied} with no "
                         "condition: an explicit Deny overrides any Allow (IAM user guide, Policy evaluation logic)"))
    missing = sorted(wanted - listed)
    if missing and any(conditions_on(statement, CONTEXT_KEY) for statement in regional):  # else: no condition at all
        problems.append(("logs-key-log-groups", sid(regional[0]),
                         f"ArnEquals {CONTEXT_KEY} lacks {', '.join(missing)}, a log group the stacks create"))
    return problems


def _operator_problem(operator: str, wild: bool) -> str:
    if operator.endswith("IfExists"):
        return (f"{operator} {CONTEXT_KEY}: a request without an encryption context passes it (IAM user guide, "
                "Condition operators, ...IfExists); write ArnEquals with the exact log-group ARNs")
    if operator in ("ArnLike", "StringEquals", "StringLike") and not wild:
        return (f"{operator} {CONTEXT_KEY} with exact ARNs decides the same requests as {EXACT_ARN_OPERATOR} (IAM "
                "user guide, Condition operators); the review holds this statement to ArnEquals so that a wildcard "
                "reads as a mistake (a house rule, not an AWS one)")
    return f"{operator} {CONTEXT_KEY}: write {EXACT_ARN_OPERATOR} with the exact log-group ARNs"


def account_statement_problems(policy: dict[str, Any]) -> list[Problem]:
    """The account root must administer the key, or a mistake in the policy can lock everyone out of it for good."""
    near = ""
    for statement in allow_statements(policy):
        roots = [v for kind, v in principals(statement) if kind == "AWS" and v in ROOT_PRINCIPALS]
        if roots and "kms:*" in as_list(statement.get("Action")) and not statement.get("Condition"):
            return []
        near = near or (sid(statement) if roots else "")
    return [("key-account-statement", near, "no statement lets this account's root do kms:* unconditionally: without "
             "it IAM policies cannot grant the key, and a policy mistake can leave the key unmanageable (KMS "
             "developer guide, Default key policy)")]


def _unconditional_denials(policy: dict[str, Any], region: str | None) -> list[dict[str, Any]]:
    """Deny statements that reach the logs principal's use of the key whatever the request."""
    found = []
    for statement in as_list(policy.get("Statement")):
        if not isinstance(statement, dict) or statement.get("Effect") != "Deny" or statement.get("Condition"):
            continue
        who = {service_key(v, region) if kind == "Service" else v for kind, v in principals(statement)}
        denied = [str(a).lower() for a in as_list(statement.get("Action"))]
        reaches = any(fnmatch.fnmatchcase(call.lower(), action) for call in LOGS_CALLS for action in denied)
        if (LOGS_PRINCIPAL in who or "*" in who) and reaches:
            found.append(statement)
    return found


def logs_key_policy_problems(policy_json: str, log_groups: Iterable[str], region: str | None = None) -> list[str]:
    """logs_key_problems' messages for one synthesized policy string, as cdk.tf.json holds it."""
    return [message for _, _, message in logs_key_problems(json.loads(with_placeholders(policy_json)), log_groups,
                                                           region)]


def _logs_statement_problems(statement: dict[str, Any], wanted: set[str], listed: set[str]) -> list[Problem]:
    name = sid(statement)
    problems: list[Problem] = []
    actions = {str(a) for a in as_list(statement.get("Action"))}
    any_resource = as_list(statement.get("Resource")) == ["*"]
    lacking, extra = _action_difference(actions, REQUIRED_ACTIONS)
    if lacking or extra or "NotAction" in statement or not any_resource:
        detail = "; ".join(part for part in (
            f"lacks {', '.join(lacking)}" if lacking else "",
            f"adds {', '.join(extra)}" if extra else "",
            f"Resource is {statement.get('Resource')!r}, not \"*\" (this key)" if not any_resource else "",
        ) if part)
        problems.append(("logs-key-actions", name, f"{detail}: the user guide's statement grants exactly "
                         f"{', '.join(sorted(REQUIRED_ACTIONS))} on \"*\" ({LOGS_PAGE}, step 2)"))
    tests = conditions_on(statement, CONTEXT_KEY)
    if not tests:
        problems.append(("logs-key-condition", name, f"no {CONTEXT_KEY} condition, so nothing holds the key to the "
                         f"workflow's log groups ({LOGS_PAGE}: the condition restricts the key to the accounts and log "
                         "groups it names). The post-mortem blamed this missing condition for CreateLogGroup failing; "
                         "AWS documents no such failure: the condition narrows who may use the key"))
    for operator, values in tests:
        wild = [v for v in values if "*" in v or "?" in v]
        if operator != EXACT_ARN_OPERATOR:
            problems.append(("logs-key-condition", name, _operator_problem(operator, bool(wild))))
        if wild:
            problems.append(("logs-key-wildcard", name, f"{operator} {CONTEXT_KEY} has a wildcard ({', '.join(wild)}):"
                             " ArnEquals expands it exactly as ArnLike does (IAM user guide, Condition operators: the "
                             "two behave identically), so the statement holds what the pattern matches, not the "
                             "exact ARNs CloudWatch Logs sends"))
        listed.update(v for v in values if v not in wild)
        extra = sorted(set(values) - wanted - set(wild))
        if extra:
            problems.append(("logs-key-log-groups", name, f"{operator} {CONTEXT_KEY} lists {', '.join(extra)}, which "
                             "no stack creates with this key: the key would serve a log group it should not"))
    return problems
