"""Two versions of an IAM or key policy, compared statement by statement, as a reviewer reads them.

Statements are matched by Sid; statements without one are matched by content (an identical statement is unchanged,
otherwise the one sharing the most actions is taken as its new version). Within a matched pair the change is spelled
out down to single actions, resources, principals and condition keys. Actions, resources, principals and condition
values are sets to IAM (order and "a string or a list of one" mean nothing), so they are compared as sets.

A change that lets more principals do more (an Allow gaining an action, resource, principal or condition value, or
losing a condition; a Deny losing any of those) is marked `widens`: the review lists it among the weakenings.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cdktf_out.placeholders import parsed_with_placeholders
from synth_review.policy_values import as_list

# Condition operators under which more values mean more access; for the others (e.g. StringNotEquals) the reviewer
# judges, and the change is listed without the mark.
_WIDENING_OPERATORS = ("Equals", "Like", "IfExists", "Bool", "IpAddress", "GreaterThan", "LessThan")


@dataclass(frozen=True)
class PolicyChange:
    text: str
    widens: bool


@dataclass(frozen=True)
class _Statement:
    label: str
    sid: str
    effect: str
    actions: frozenset[str]
    resources: frozenset[str]
    principals: frozenset[str]
    conditions: dict[str, dict[str, frozenset[str]]]  # operator -> key -> values
    raw: str  # the normalized statement, for matching by content

    @property
    def allow(self) -> bool:
        return self.effect == "Allow"


def policy_statements(policy: Any) -> list[dict[str, Any]] | None:
    """The statements of a JSON policy string, or None when it is not a policy the review can read."""
    parsed = parsed_with_placeholders(policy)
    if not isinstance(parsed, dict) or "Statement" not in parsed:
        return None
    statements = parsed["Statement"]
    return [s for s in (statements if isinstance(statements, list) else [statements]) if isinstance(s, dict)]


def diff_policies(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[PolicyChange]:
    old = [_statement(s, i) for i, s in enumerate(before)]
    new = [_statement(s, i) for i, s in enumerate(after)]
    changes: list[PolicyChange] = []
    for was, now in _pairs(old, new):
        if was is None and now is not None:
            changes.append(PolicyChange(f"statement {now.label} added: {_summary(now)}", now.allow))
        elif now is None and was is not None:
            changes.append(PolicyChange(f"statement {was.label} removed (was: {_summary(was)})", not was.allow))
        elif was is not None and now is not None:
            changes += _statement_changes(was, now)
    return changes


def _pairs(old: list[_Statement], new: list[_Statement]) -> list[tuple[_Statement | None, _Statement | None]]:
    pairs: list[tuple[_Statement | None, _Statement | None]] = []
    new_by_sid = {s.sid: s for s in new if s.sid}
    unmatched_new = [s for s in new if not s.sid or s.sid not in {o.sid for o in old if o.sid}]
    unmatched_old: list[_Statement] = []
    for statement in old:
        if statement.sid and statement.sid in new_by_sid:
            pairs.append((statement, new_by_sid[statement.sid]))
        else:
            unmatched_old.append(statement)
    # By content: identical statements first, then the closest by shared actions, among statements without a Sid.
    for statement in list(unmatched_old):
        same = next((s for s in unmatched_new if s.raw == statement.raw), None)
        if same is not None:
            pairs.append((statement, same))
            unmatched_old.remove(statement)
            unmatched_new.remove(same)
    for statement in list(unmatched_old):
        candidates = [s for s in unmatched_new if not s.sid and not statement.sid and s.actions & statement.actions]
        if candidates:
            closest = max(candidates, key=lambda s: len(s.actions & statement.actions))
            pairs.append((statement, closest))
            unmatched_old.remove(statement)
            unmatched_new.remove(closest)
    pairs += [(statement, None) for statement in unmatched_old]
    pairs += [(None, statement) for statement in unmatched_new]
    return pairs


def _statement_changes(was: _Statement, now: _Statement) -> list[PolicyChange]:
    label = now.label
    changes: list[PolicyChange] = []
    if was.sid != now.sid:
        changes.append(PolicyChange(f"statement {was.label} renamed {label}, otherwise unchanged"
                                    if was.raw == now.raw else f"statement {was.label} renamed {label}", False))
    if was.effect != now.effect:
        changes.append(PolicyChange(f"effect of {label} changed: {was.effect} -> {now.effect}", now.allow))
    for noun, old, new in (("action", was.actions, now.actions), ("resource", was.resources, now.resources),
                           ("principal", was.principals, now.principals)):
        changes += [PolicyChange(f"{noun} `{v}` added to {label}", now.allow) for v in sorted(new - old)]
        changes += [PolicyChange(f"{noun} `{v}` removed from {label}", not now.allow) for v in sorted(old - new)]
    changes += _condition_changes(label, was, now)
    return changes


def _condition_changes(label: str, was: _Statement, now: _Statement) -> list[PolicyChange]:
    changes: list[PolicyChange] = []
    old_keys = {(op, key) for op, keys in was.conditions.items() for key in keys}
    new_keys = {(op, key) for op, keys in now.conditions.items() for key in keys}
    old_by_key = {key: op for op, key in old_keys}
    new_by_key = {key: op for op, key in new_keys}
    for key in sorted(set(old_by_key) | set(new_by_key)):
        old_op, new_op = old_by_key.get(key), new_by_key.get(key)
        if new_op is None and old_op is not None:
            values = _values(was.conditions[old_op][key])
            changes.append(PolicyChange(f"condition `{key}` removed from {label} (was {old_op} {values})", now.allow))
        elif old_op is None and new_op is not None:
            values = _values(now.conditions[new_op][key])
            changes.append(PolicyChange(f"condition `{key}` added to {label}: {new_op} {values}", not now.allow))
        elif old_op is not None and new_op is not None:
            if old_op != new_op:
                changes.append(PolicyChange(f"condition `{key}` of {label}: operator {old_op} -> {new_op}", True))
            old_values, new_values = was.conditions[old_op][key], now.conditions[new_op][key]
            widening = new_op.endswith(_WIDENING_OPERATORS) and not new_op.startswith(("StringNot", "ArnNot"))
            changes += [PolicyChange(f"condition `{key}` of {label}: value `{v}` added", now.allow and widening)
                        for v in sorted(new_values - old_values)]
            changes += [PolicyChange(f"condition `{key}` of {label}: value `{v}` removed", False)
                        for v in sorted(old_values - new_values)]
    return changes


def _statement(statement: dict[str, Any], index: int) -> _Statement:
    sid = str(statement.get("Sid", "") or "")
    actions = {str(a) for a in as_list(statement.get("Action"))}
    actions |= {f"NOT {a}" for a in as_list(statement.get("NotAction"))}
    resources = {str(r) for r in as_list(statement.get("Resource"))}
    resources |= {f"NOT {r}" for r in as_list(statement.get("NotResource"))}
    principals = _principals(statement.get("Principal"))
    principals |= {f"NOT {p}" for p in _principals(statement.get("NotPrincipal"))}
    conditions = {
        str(op): {str(key): frozenset(str(v) for v in as_list(values)) for key, values in keys.items()}
        for op, keys in (statement.get("Condition") or {}).items() if isinstance(keys, dict)
    }
    content = {k: v for k, v in statement.items() if k != "Sid"}
    label = sid or f"#{index + 1} (no Sid)"
    return _Statement(label, sid, str(statement.get("Effect", "")), frozenset(actions), frozenset(resources),
                      frozenset(principals), conditions, json.dumps(content, sort_keys=True))


def _principals(principal: Any) -> set[str]:
    if principal is None:
        return set()
    if isinstance(principal, str):
        return {principal}
    return {f"{kind}:{value}" for kind, values in principal.items() for value in as_list(values)}


def _summary(statement: _Statement) -> str:
    parts = [statement.effect, ", ".join(sorted(statement.actions)) or "-"]
    if statement.resources:
        parts.append(f"on {', '.join(sorted(statement.resources))}")
    if statement.principals:
        parts.append(f"for {', '.join(sorted(statement.principals))}")
    if statement.conditions:
        keys = sorted(key for keys in statement.conditions.values() for key in keys)
        parts.append(f"if {', '.join(keys)}")
    return " ".join(parts)


def _values(values: frozenset[str]) -> str:
    ordered = sorted(values)
    return f"[{len(ordered)} values]" if len(ordered) > 1 else f"`{ordered[0]}`" if ordered else "[]"
