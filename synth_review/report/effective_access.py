"""Who can use each key, as a security reviewer signs it: one row per statement, in the review's words.

Each row says who a statement admits (or denies), which KMS actions, and the condition that limits it, with log
groups, topics and alarms named as the stacks name them. Above each table, the tally of the requests the policy was
asked (synth_review/rules/key_access_rules.py): the rows say what the policy grants, the tally that it grants what AWS
needs and refuses everyone else.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synth_review.policy_values import as_list, sid
from synth_review.report.table import WIDTH, Cell, table
from synth_review.rules.key_access_rules import KeyAccess

THIS_ACCOUNT = ("arn:<partition>:iam::<account>:root", "<account>")
# ARN prefixes of this account and region, shown by what follows them.
_SHORT = (("arn:<partition>:logs:<region>:<account>:log-group:", ""), ("arn:<partition>:sns:<region>:<account>:", ""),
          ("arn:<partition>:cloudwatch:<region>:<account>:alarm:", "alarm "))
_KEYS = {"kms:encryptioncontext:aws:logs:arn": "log group", "kms:encryptioncontext:aws:sns:topicarn": "topic",
         "aws:sourceaccount": "source account", "aws:sourcearn": "source"}
_OPERATORS = {"ArnEquals": "=", "StringEquals": "=", "ArnLike": "like", "StringLike": "like"}


def effective_access_lines(accesses: list[KeyAccess], stack: str) -> list[str]:
    lines: list[str] = []
    for access in (a for a in accesses if a.stack == stack):
        lines.append(f"  {access.address}: " + (f"not evaluated: {access.error}" if access.error else access.tally()))
        if access.policy is not None:
            rows = [_row(statement, access) for statement in as_list(access.policy.get("Statement"))
                    if isinstance(statement, dict)]
            lines += table(["WHO [STATEMENT]", "MAY", "ONLY WHEN"], rows, indent="    ", width=WIDTH)
    return lines or ["  (none)"]


def _row(statement: Mapping[str, Any], access: KeyAccess) -> list[Cell]:
    deny = statement.get("Effect") == "Deny"
    who = (("DENIED: " if deny else "") + _who(statement, access), f"[{sid(statement)}]")
    actions = tuple(_action(a) for a in as_list(statement.get("Action"))) or (
        "all but", *(_action(a) for a in as_list(statement.get("NotAction"))))
    return [who, actions, _when(statement)]


def _who(statement: Mapping[str, Any], access: KeyAccess) -> str:
    if "NotPrincipal" in statement:
        return f"anyone but {', '.join(_principals(statement['NotPrincipal'], access))}"
    return ", ".join(_principals(statement.get("Principal"), access)) or "(no principal)"


def _principals(element: Any, access: KeyAccess) -> list[str]:
    if element == "*":
        return ["anyone (*)"]
    if not isinstance(element, dict):
        return []
    found = []
    for kind, values in element.items():
        for value in map(str, as_list(values)):
            if kind == "AWS" and value == "*":
                found.append("anyone (*)")
            elif kind == "AWS" and value in THIS_ACCOUNT:
                found.append("this account, through its IAM policies")
            elif kind == "Service":
                found.append(value.replace("<region>", access.binding.region).replace("<dns_suffix>",
                                                                                     access.binding.dns_suffix))
            else:
                found.append(value)
    return found


def _action(action: Any) -> str:
    text = str(action)
    return "every action" if text in ("*", "kms:*") else text.removeprefix("kms:")


def _when(statement: Mapping[str, Any]) -> Cell:
    lines = []
    condition = statement.get("Condition")
    for operator, tests in (condition.items() if isinstance(condition, dict) else []):
        for key, values in (tests.items() if isinstance(tests, dict) else []):
            subject = _KEYS.get(str(key).lower(), str(key))
            shown = [_short(str(v)) for v in as_list(values)]
            verb = _OPERATORS.get(str(operator), str(operator))
            if len(shown) == 1:
                lines.append(f"{subject} {verb} {shown[0]}")
            else:
                lines += [f"{subject} {verb} one of:", *(f"  {value}" for value in shown)]
    resources = [str(r) for r in as_list(statement.get("Resource")) if r != "*"]
    lines += [f"resource {r}" for r in resources]
    lines += [f"resource not {r}" for r in as_list(statement.get("NotResource"))]
    return tuple(lines) if lines else "always"


def _short(value: str) -> str:
    for prefix, label in _SHORT:
        if value.startswith(prefix):
            return label + value.removeprefix(prefix)
    return "this account" if value == "<account>" else value
