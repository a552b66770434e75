"""The rule the original deployment broke, as a check over a synthesized key policy.

CloudWatch Logs can create a log group with a customer-managed key only if the key policy lets the regional logs
principal use it with kms:EncryptionContext:aws:logs:arn naming that group (CloudWatch Logs user guide, "Encrypt log
data in CloudWatch Logs using AWS KMS").
"""

from __future__ import annotations

import json
from typing import Any

from synth_review.placeholders import log_group_arn_pattern, with_placeholders
from synth_review.policy_values import as_list

# Written out again on purpose, not imported from payment_constructs.key_policy: a check that shared the
# construct's constants would agree with any mistake made in them.
LOGS_PRINCIPAL = "logs.<region>.<dns_suffix>"
REQUIRED_ACTIONS = {"kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"}
CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn"


def logs_key_policy_problems(policy_json: str, log_groups: tuple[str, ...]) -> list[str]:
    """What keeps CloudWatch Logs from using the key for each of `log_groups`; empty when nothing does."""
    policy = json.loads(with_placeholders(policy_json))
    statements = [s for s in as_list(policy.get("Statement", [])) if s.get("Effect") == "Allow"]
    logs_statements = [
        s for s in statements if LOGS_PRINCIPAL in as_list(s.get("Principal", {}).get("Service", []))
    ]
    if not logs_statements:
        return [f"no statement allows the regional CloudWatch Logs principal {LOGS_PRINCIPAL}"]
    problems: list[str] = []
    for group in log_groups:
        if not any(_allows_group(s, group) for s in logs_statements):
            problems.append(
                f"CloudWatch Logs may not use the key for {group}: no statement grants "
                f"{sorted(REQUIRED_ACTIONS)} with ArnEquals {CONTEXT_KEY} = {log_group_arn_pattern(group)}"
            )
    return problems


def _allows_group(statement: dict[str, Any], group: str) -> bool:
    actions = set(as_list(statement.get("Action", [])))
    if not actions >= REQUIRED_ACTIONS or statement.get("Resource") != "*":
        return False
    condition = statement.get("Condition", {})
    arns = as_list(condition.get("ArnEquals", {}).get(CONTEXT_KEY, []))
    # ArnEquals is the exact-match operator (patterns belong to ArnLike): a '*' there is a mistake, not a grant.
    return log_group_arn_pattern(group) in arns and not any("*" in arn for arn in arns)
