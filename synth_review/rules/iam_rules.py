"""Every IAM statement the stacks will apply, and the wildcard rule.

A `*` action or a `"Resource": "*"` is always shown flagged; it fails the review only where a resource could have
been named. Some APIs take no resource at all, so `"*"` is the only thing IAM accepts for them, and in a KMS key
policy `"Resource": "*"` means "this key".
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cdktf_out.expressions import single_reference
from cdktf_out.placeholders import with_placeholders
from cdktf_out.tree import Block, Stack, SynthesizedApp
from synth_review.findings import Finding
from synth_review.policy_values import as_list

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "wildcard-action": "no IAM wildcard action, and no \"*\" resource where the action takes one",
}

# APIs that IAM authorizes only on "*" (Service Authorization Reference: no resource type listed for them).
ACTIONS_WITHOUT_RESOURCES = frozenset(a.lower() for a in (
    # Step Functions / Lambda log delivery to CloudWatch Logs (vended logs).
    "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
    # X-Ray tracing from Lambda and Step Functions.
    "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
))

# Resource policies attached to one KMS key: "Resource": "*" there is the key itself.
KEY_POLICIES = frozenset({("aws_kms_key", "policy"), ("aws_kms_key_policy", "policy")})
POLICY_ATTRIBUTES = ("policy", "assume_role_policy")


@dataclass(frozen=True)
class StatementRow:
    stack: str
    owner: str  # "aws_iam_role_policy.x.policy"
    sid: str
    effect: str
    principal: str
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    key_policy: bool
    conditions: tuple[str, ...] = ()  # "ArnEquals kms:EncryptionContext:aws:logs:arn = <arn>", or "= one of" + values

    @property
    def resource(self) -> str:
        """The Terraform address of the block that holds the policy."""
        return self.owner.rsplit(".", 1)[0]

    @property
    def wildcard_actions(self) -> tuple[str, ...]:
        return tuple(a for a in self.actions if "*" in a or a.startswith("NOT "))

    @property
    def any_resource(self) -> bool:
        return any(r == "*" or r.startswith("NOT ") for r in self.resources)

    @property
    def flags(self) -> str:
        marks = []
        if self.wildcard_actions:
            marks.append("*action")
        if self.any_resource:
            marks.append("*resource")
        return ",".join(marks)

    def problem(self) -> str | None:
        """Why this statement grants more than it could, or None; Deny and key-policy statements never do."""
        if self.effect != "Allow" or self.key_policy:
            return None
        if self.wildcard_actions:
            return f"wildcard action {', '.join(self.wildcard_actions)}: name the actions the code calls"
        if self.any_resource:
            named = [a for a in self.actions if a.lower() not in ACTIONS_WITHOUT_RESOURCES]
            if named:
                return f"{', '.join(named)} on \"*\": these actions take a resource ARN, name it"
        return None


def statement_rows(app: SynthesizedApp) -> list[StatementRow]:
    return [row for stack in app.stacks for row in _stack_rows(stack)]


def iam_findings(app: SynthesizedApp) -> list[Finding]:
    return [
        Finding("wildcard-action", row.stack, row.owner, problem, row.sid)
        for row in statement_rows(app)
        if (problem := row.problem())
    ]


def _stack_rows(stack: Stack) -> Iterator[StatementRow]:
    documents = {b.name: b for b in stack.data_sources("aws_iam_policy_document")}
    for block in stack.resources():
        for attribute, policy in _policies(block):
            owner = f"{block.address}.{attribute}"
            key_policy = (block.type, attribute.split("[")[0]) in KEY_POLICIES
            document = _document_reference(policy, documents)
            statements = _document_statements(document) if document else _json_statements(policy)
            for statement in statements:
                yield _row(stack.name, owner, statement, key_policy)


def _policies(block: Block) -> Iterator[tuple[str, Any]]:
    for attribute in POLICY_ATTRIBUTES:
        if attribute in block.body:
            yield attribute, block.body[attribute]
    for index, inline in enumerate(block.body.get("inline_policy", []) or []):
        if isinstance(inline, dict) and "policy" in inline:
            yield f"inline_policy[{index}]", inline["policy"]


def _document_reference(policy: Any, documents: dict[str, Block]) -> Block | None:
    reference = single_reference(policy)
    kind, _, name = reference.address.removeprefix("data.").partition(".") if reference else ("", "", "")
    if reference and reference.address.startswith("data.") and kind == "aws_iam_policy_document" \
            and reference.path == ("json",):
        return documents.get(name)
    return None


def _json_statements(policy: Any) -> list[dict[str, Any]]:
    if not isinstance(policy, str):
        return [{"Sid": "(not JSON)", "Effect": "?", "Action": [repr(policy)]}]
    try:
        parsed = json.loads(with_placeholders(policy))
    except json.JSONDecodeError:
        return [{"Sid": "(not JSON)", "Effect": "?", "Action": [with_placeholders(policy)[:60]]}]
    statements = parsed.get("Statement", []) if isinstance(parsed, dict) else []
    return statements if isinstance(statements, list) else [statements]


def _document_statements(document: Block) -> list[dict[str, Any]]:
    """aws_iam_policy_document's HCL-shaped statements, in the JSON policy's vocabulary."""
    statements = []
    for block in document.body.get("statement", []):
        principals = block.get("principals", [])
        statements.append({
            "Sid": block.get("sid", ""),
            "Effect": block.get("effect", "Allow"),
            "Principal": {p.get("type", "?"): p.get("identifiers", []) for p in principals},
            "Action": block.get("actions", []),
            "NotAction": block.get("not_actions", []),
            "Resource": block.get("resources", []),
            "NotResource": block.get("not_resources", []),
            "Condition": {c.get("test", "?"): {c.get("variable", "?"): c.get("values", [])}
                          for c in block.get("condition", [])},
        })
    return statements


def _row(stack: str, owner: str, statement: dict[str, Any], key_policy: bool) -> StatementRow:
    actions = as_list(statement.get("Action")) + [f"NOT {a}" for a in as_list(statement.get("NotAction"))]
    resources = as_list(statement.get("Resource")) + [f"NOT {r}" for r in as_list(statement.get("NotResource"))]
    return StatementRow(
        stack=stack,
        owner=owner,
        sid=str(statement.get("Sid", "")),
        effect=str(statement.get("Effect", "")),
        principal=_principal(statement.get("Principal")),
        actions=tuple(with_placeholders(str(a)) for a in actions),
        resources=tuple(with_placeholders(str(r)) for r in resources),
        key_policy=key_policy,
        conditions=tuple(condition_lines(statement.get("Condition"))),
    )


def condition_lines(condition: Any) -> Iterator[str]:
    """A statement's Condition as the review prints it: operator, key and value, one value a line."""
    if not isinstance(condition, dict):
        if condition:
            yield f"(not a map) {condition!r}"
        return
    for operator, tests in condition.items():
        for key, values in (tests.items() if isinstance(tests, dict) else [("?", tests)]):
            listed = [with_placeholders(str(value)) for value in as_list(values)]
            if len(listed) == 1:
                yield f"{operator} {key} = {listed[0]}"
            else:
                yield f"{operator} {key} = one of"
                yield from (f"  {value}" for value in listed)


def _principal(principal: Any) -> str:
    if principal is None:
        return ""
    if isinstance(principal, str):
        return principal
    return " ".join(f"{kind}:{value}" for kind, values in principal.items() for value in as_list(values))


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return found + iam_findings(app)
