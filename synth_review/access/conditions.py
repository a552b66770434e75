"""The Condition element, operator by operator, as "IAM JSON policy elements: Condition operators" documents it.

- Blocks, and keys within a block, are ANDed; the values listed for one key are ORed; a negated operator
  (StringNotEquals, ArnNotLike, ...) holds when the request's value matches none of them ("Creating a condition with
  multiple keys or values").
- A key missing from the request: a positive operator is false, a negated one true; `...IfExists` is true; `Null`
  tests exactly that; `ForAllValues:` is true and `ForAnyValue:` false (also for an empty set of values).
- `ForAnyValue:` / `ForAllValues:` compare each of a multivalued key's values; without a set operator a value list in
  the request is read as "any value matches" (positive) or "no value matches" (negated).
- Condition key names are case-insensitive; values are case-sensitive except under the `...IgnoreCase` operators.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from synth_review.access import patterns
from synth_review.access.request import Request
from synth_review.policy_values import as_list


class PolicyError(ValueError):
    """A policy AWS would refuse to store (an unknown operator, a malformed element): no decision can be read."""


SET_QUALIFIERS = ("ForAnyValue", "ForAllValues")
NEGATED = {
    "StringNotEquals": "StringEquals", "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike", "NumericNotEquals": "NumericEquals", "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress", "ArnNotEquals": "ArnEquals", "ArnNotLike": "ArnLike",
}
# Operators whose policy values may hold policy variables (Condition operators page: String, ARN and Boolean).
_WITH_VARIABLES = ("String", "Arn", "Bool")


@dataclass(frozen=True)
class Operator:
    qualifier: str  # "", "ForAnyValue" or "ForAllValues"
    base: str  # "StringEquals", "ArnNotLike", "Null", ...
    if_exists: bool

    @property
    def negated(self) -> bool:
        return self.base in NEGATED

    @property
    def positive(self) -> str:
        return NEGATED.get(self.base, self.base)


def parse_operator(name: str) -> Operator:
    qualifier, _, rest = name.rpartition(":")
    if qualifier not in ("", *SET_QUALIFIERS):
        raise PolicyError(f"condition operator {name!r}: only ForAnyValue: and ForAllValues: may qualify one")
    if_exists = rest.endswith("IfExists") and rest != "IfExists"
    base = rest.removesuffix("IfExists") if if_exists else rest
    if base not in _COMPARE and base not in NEGATED and base != "Null":
        raise PolicyError(f"unknown condition operator {name!r}")
    if base == "Null" and (if_exists or qualifier):
        raise PolicyError(f"condition operator {name!r}: Null takes neither IfExists nor a set operator")
    return Operator(qualifier, base, if_exists)


def failed_condition(condition: Any, request: Request, variables: bool) -> str | None:
    """The first `operator key` of a Condition element that does not hold for the request, or None when all hold."""
    if condition is None:
        return None
    if not isinstance(condition, dict):
        raise PolicyError(f"Condition must be an object of operators, not {condition!r}")
    for name, tests in condition.items():
        operator = parse_operator(str(name))
        if not isinstance(tests, dict):
            raise PolicyError(f"Condition {name}: must map condition keys to values, not {tests!r}")
        for key, values in tests.items():
            if not holds(operator, str(key), [_text(v) for v in as_list(values)], request, variables):
                return f"{name} {key}"
    return None


def holds(operator: Operator, key: str, policy_values: Sequence[str], request: Request, variables: bool) -> bool:
    present = request.values(key) or None
    if operator.base == "Null":
        return any((present is None) == (value.lower() == "true") for value in policy_values)
    if present is None:
        if operator.if_exists or operator.qualifier == "ForAllValues":
            return True
        if operator.qualifier == "ForAnyValue":
            return False
        return operator.negated
    compare = _COMPARE[operator.positive]
    allow_variables = variables and operator.positive.startswith(_WITH_VARIABLES)
    resolved = [patterns.resolve(value, request, allow_variables) for value in policy_values]
    candidates = [parts for parts in resolved if parts is not None]  # a variable without a value matches nothing

    def one(value: str) -> bool:
        matched = any(compare(parts, value) for parts in candidates)
        return not matched if operator.negated else matched

    if operator.qualifier == "ForAllValues" or (not operator.qualifier and operator.negated):
        return all(one(value) for value in present)
    return any(one(value) for value in present)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        raise PolicyError(f"a condition value must be a string, number or boolean, not {value!r}")
    return str(value)


def _joined(parts: tuple[patterns.Part, ...]) -> str:
    return "".join(text for text, _ in parts)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _numeric(test: Callable[[float, float], bool]) -> Callable[[tuple[patterns.Part, ...], str], bool]:
    def compare(parts: tuple[patterns.Part, ...], value: str) -> bool:
        expected, actual = _number(_joined(parts)), _number(value)
        return expected is not None and actual is not None and test(actual, expected)

    return compare


_EPOCH = re.compile(r"^\d+(?:\.\d+)?$")


def _instant(text: str) -> float | None:
    """A date value as seconds since the epoch: ISO 8601 (W3C profile) or epoch time, as the Date operators take."""
    if _EPOCH.match(text):
        return float(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _date(test: Callable[[float, float], bool]) -> Callable[[tuple[patterns.Part, ...], str], bool]:
    def compare(parts: tuple[patterns.Part, ...], value: str) -> bool:
        expected, actual = _instant(_joined(parts)), _instant(value)
        return expected is not None and actual is not None and test(actual, expected)

    return compare


def _ip(parts: tuple[patterns.Part, ...], value: str) -> bool:
    try:
        return ipaddress.ip_address(value) in ipaddress.ip_network(_joined(parts), strict=False)
    except ValueError:
        return False


def _bool(parts: tuple[patterns.Part, ...], value: str) -> bool:
    expected = _joined(parts).lower()
    return expected in ("true", "false") and value.lower() == expected


_COMPARE: dict[str, Callable[[tuple[patterns.Part, ...], str], bool]] = {
    "StringEquals": lambda parts, value: patterns.equals(parts, value),
    "StringEqualsIgnoreCase": lambda parts, value: patterns.equals(parts, value, ignore_case=True),
    "StringLike": lambda parts, value: patterns.like(parts, value),
    "ArnEquals": patterns.arn_like,  # ArnEquals and ArnLike behave identically (Condition operators page)
    "ArnLike": patterns.arn_like,
    "NumericEquals": _numeric(lambda a, b: a == b),
    "NumericLessThan": _numeric(lambda a, b: a < b),
    "NumericLessThanEquals": _numeric(lambda a, b: a <= b),
    "NumericGreaterThan": _numeric(lambda a, b: a > b),
    "NumericGreaterThanEquals": _numeric(lambda a, b: a >= b),
    "DateEquals": _date(lambda a, b: a == b),
    "DateLessThan": _date(lambda a, b: a < b),
    "DateLessThanEquals": _date(lambda a, b: a <= b),
    "DateGreaterThan": _date(lambda a, b: a > b),
    "DateGreaterThanEquals": _date(lambda a, b: a >= b),
    "Bool": _bool,
    "BinaryEquals": lambda parts, value: _joined(parts) == value,
    "IpAddress": _ip,
}
