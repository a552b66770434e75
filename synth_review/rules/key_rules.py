"""The review's rules on KMS keys, read from the synthesized JSON alone, for every `aws_kms_key` of every stack.

- Policy (the key's own, or an aws_kms_key_policy's): the account statement; no `*` or foreign-account principal;
  every service principal only under the condition AWS documents for it; for a key that log groups use, the regional
  logs principal with the five actions and ArnEquals on exactly the groups the stacks create, and no Deny of it
  (synth_review/rules/key_policy_rules.py).
- Rotation on (KMS rotates the key material yearly; CIS AWS Foundations 3.6).
- Every use of a key's ARN comes through the key's own time_sleep (synth_review/rules/wait_rules.py).
"""

from __future__ import annotations

import json
from typing import Any

from cdktf_out.placeholders import with_placeholders
from cdktf_out.routes import KMS_KEY, key_routes
from cdktf_out.tree import Block, Stack, SynthesizedApp
from synth_review.findings import Finding
from synth_review.rules.key_policy_rules import (
    account_statement_problems,
    logs_key_problems,
    logs_statements,
    principal_problems,
)
from synth_review.rules.wait_rules import policy_resources

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "key-rotation": "every key has enable_key_rotation = true",
    "key-policy-unreadable": "every key policy is a JSON document the review can read",
}

LOG_GROUP = "aws_cloudwatch_log_group"


def key_findings(app: SynthesizedApp) -> list[Finding]:
    found: list[Finding] = []
    users = log_groups_by_key(app)
    all_groups = [str(g.body.get("name", "?")) for stack in app.stacks for g in stack.resources(LOG_GROUP)]
    for stack in app.stacks:
        region = provider_region(stack)
        for key in stack.resources(KMS_KEY):
            if key.body.get("enable_key_rotation") not in (True, "true"):
                found.append(Finding("key-rotation", stack.name, key.address,
                                     f"enable_key_rotation is {key.body.get('enable_key_rotation')!r}: KMS rotates "
                                     "key material yearly only when it is true (KMS developer guide, Rotating keys)"))
            policy = policy_in_force(stack, key)
            if policy is None:
                found.append(Finding("key-policy-unreadable", stack.name, key.address,
                                     "the policy is not a JSON document the review can read, so no key rule can pass"))
                continue
            problems = principal_problems(policy, region) + account_statement_problems(policy)
            # A key is a logs key when a log group uses it or its policy names a logs principal; it then serves
            # exactly the log groups the stacks create, read from the groups (never from naming).
            regional, others = logs_statements(policy, region)
            if (stack.name, key.address) in users or regional or others:
                problems += logs_key_problems(policy, all_groups, region)
            found += [Finding(rule, stack.name, key.address, message, sid) for rule, sid, message in problems]
    return found


def log_groups_by_key(app: SynthesizedApp) -> dict[tuple[str, str] | None, list[str]]:
    """The names of the log groups each key encrypts, read from the groups themselves, wherever their key comes from
    (under None: groups whose key value leads to no key the review can follow)."""
    found: dict[tuple[str, str] | None, list[str]] = {}
    for stack in app.stacks:
        for group in stack.resources(LOG_GROUP):
            for route in key_routes(app, stack, group.body.get("kms_key_id")):
                found.setdefault(route.key, []).append(str(group.body.get("name", "?")))
    return found


def provider_region(stack: Stack) -> str | None:
    providers = stack.document.get("provider", {}).get("aws", [])
    default = next((p for p in providers if isinstance(p, dict) and "alias" not in p), {})
    region = default.get("region")
    return region if isinstance(region, str) else None


def policy_in_force(stack: Stack, key: Block) -> dict[str, Any] | None:
    """The policy in force: an aws_kms_key_policy resource's when one sets it, else the key's own argument."""
    separate = policy_resources(stack, key.address)
    raw = separate[-1].body.get("policy") if separate else key.body.get("policy")
    if raw is None:
        return {"Statement": []}  # KMS's default policy: the account alone (KMS developer guide, Default key policy)
    try:
        parsed = json.loads(with_placeholders(raw)) if isinstance(raw, str) else None
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict) else None


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return found + key_findings(app)
