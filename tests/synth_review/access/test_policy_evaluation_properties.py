"""Properties of AWS's evaluation logic ("Policy evaluation logic", IAM user guide) that hold for every policy.

Statements and requests are drawn from the elements this project writes and the ones a plausible edit would add:
every principal form, wildcards in actions and resources, NotPrincipal / NotAction / NotResource, and conditions of
every operator family with and without IfExists and the set operators, over keys present and missing.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from synth_review.access.evaluate import evaluate
from synth_review.access.request import ANONYMOUS, Decision, Principal, Request
from tests.hypothesis_profile import examples

ACCOUNT, OTHER = "111122223333", "444455556666"
KEY = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
GROUP = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/lambda/payments"
LOGS = "logs.us-east-1.amazonaws.com"
PRINCIPALS = [Principal("AWS", f"arn:aws:iam::{ACCOUNT}:root"), Principal("AWS", f"arn:aws:iam::{ACCOUNT}:role/admin"),
              Principal("AWS", f"arn:aws:iam::{OTHER}:root"), Principal("Service", LOGS),
              Principal("Service", "cloudwatch.amazonaws.com"), ANONYMOUS]
PRINCIPAL_ELEMENTS: list[Any] = ["*", {"AWS": "*"}, {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, {"AWS": ACCOUNT},
                                 {"AWS": f"arn:aws:iam::{ACCOUNT}:role/admin"}, {"AWS": f"arn:aws:iam::{OTHER}:root"},
                                 {"Service": LOGS}, {"Service": [LOGS, "cloudwatch.amazonaws.com"]}]
ACTIONS = ["kms:*", "kms:Decrypt", "kms:Decrypt*", "kms:Encrypt*", "kms:GenerateDataKey*", "kms:PutKeyPolicy", "*",
           "KMS:decrypt"]
RESOURCES = ["*", KEY, f"arn:aws:kms:*:{ACCOUNT}:key/*", f"arn:aws:kms:us-east-1:{OTHER}:key/*"]
GROUPS = [GROUP, GROUP.replace(ACCOUNT, OTHER), f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:*", GROUP + ":*"]
# (operators, key, values) families: each operator is tried with the values its key takes.
FAMILIES: list[tuple[list[str], str, list[str]]] = [
    (["StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIgnoreCase"], "aws:SourceAccount",
     [ACCOUNT, OTHER, "1111*"]),
    (["ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike"], "kms:EncryptionContext:aws:logs:arn", GROUPS),
    (["Bool"], "aws:PrincipalIsAWSService", ["true", "false"]),
    (["NumericLessThan", "NumericGreaterThanEquals"], "aws:MultiFactorAuthAge", ["0", "3600", "x"]),
    (["DateGreaterThan", "DateLessThanEquals"], "aws:CurrentTime", ["2020-01-01T00:00:00Z", "1700000000"]),
    (["IpAddress", "NotIpAddress"], "aws:SourceIp", ["203.0.113.0/24", "2001:db8::/32"]),
    (["ForAnyValue:StringEquals", "ForAllValues:StringLike"], "kms:EncryptionContextKeys",
     ["aws:logs:arn", "aws:sns:*"]),
]
CONTEXT_VALUES = {
    "aws:SourceAccount": [ACCOUNT, OTHER], "kms:EncryptionContext:aws:logs:arn": GROUPS[:2],
    "aws:PrincipalIsAWSService": ["true", "false"], "aws:MultiFactorAuthAge": ["10", "7200"],
    "aws:CurrentTime": ["2024-05-01T10:00:00Z"], "aws:SourceIp": ["203.0.113.9", "198.51.100.1"],
    "kms:EncryptionContextKeys": ["aws:logs:arn", "aws:sns:topicArn"],
}


def _condition(entries: list[tuple[str, str, Any]]) -> dict[str, dict[str, Any]]:
    condition: dict[str, dict[str, Any]] = {}
    for operator, key, values in entries:
        condition.setdefault(operator, {})[key] = values
    return condition


def _choices(values: list[str]) -> list[list[str]]:
    """Every way to list one or two of the values: drawn in one step instead of one per element."""
    return [[v] for v in values] + [list(pair) for pair in itertools.combinations(values, 2)]


# Every condition entry and every context value is enumerated once and drawn in one step: an example then costs a
# fraction of a millisecond to draw, so the properties explore widely within the suite's budget.
_ENTRIES = [(operator + suffix, key, values) for operators, key, options in FAMILIES for operator in operators
            for suffix in ("", "IfExists") for values in _choices(options)]
_ENTRIES += [("Null", key, flag) for key in sorted(CONTEXT_VALUES) for flag in ("true", "false")]
CONDITIONS = st.lists(st.sampled_from(_ENTRIES), max_size=2).map(_condition)
_ACTIONS = st.sampled_from(_choices(ACTIONS))
_CONTEXT = st.lists(st.sampled_from([(key, tuple(values)) for key, options in sorted(CONTEXT_VALUES.items())
                                     for values in _choices(options)]), max_size=4).map(dict)


def _statement(sid: int, effect: str, principal: Any, negations: tuple[bool, bool, bool], actions: list[str],
               resource: str, condition: dict[str, Any]) -> dict[str, Any]:
    not_principal, not_action, not_resource = negations
    statement = {"Sid": f"S{sid}", "Effect": effect,
                 "NotPrincipal" if not_principal and effect == "Deny" else "Principal": principal,
                 "NotAction" if not_action else "Action": actions,
                 "NotResource" if not_resource else "Resource": resource}
    return {**statement, "Condition": condition} if condition else statement


def statements(effect: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    """Statements that often apply to the drawn requests (wide principals, actions and resources weigh more), so
    the interesting cases - a Deny and an Allow that both apply - come up in every run, not once in a hundred."""
    effects = st.just(effect) if effect else st.sampled_from(["Allow", "Deny"])
    rarely = st.integers(0, 4).map(lambda n: n == 0)
    return st.builds(_statement, st.integers(0, 10_000), effects, _often(PRINCIPAL_ELEMENTS, "*"),
                     st.tuples(rarely, rarely, rarely), st.one_of(st.just(["kms:*"]), _ACTIONS),
                     _often(RESOURCES, "*"), st.one_of(st.just({}), CONDITIONS))


def _often(values: list[Any], wide: Any) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(wide), st.sampled_from(values))


def requests() -> st.SearchStrategy[Request]:
    return st.builds(Request, st.sampled_from(PRINCIPALS),
                     st.sampled_from(["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:PutKeyPolicy"]),
                     st.sampled_from([KEY, KEY.replace(ACCOUNT, OTHER)]), _CONTEXT, st.booleans())


POLICIES = st.lists(statements(), max_size=5)
CHEAP = settings(max_examples=examples(50), deadline=None, database=None)


def policy(statement_list: list[dict[str, Any]]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": statement_list}


def with_and_without(statement_list: list[dict[str, Any]], added: dict[str, Any], request: Request):
    """The evaluation of a policy, and of the same policy with one more statement."""
    return evaluate(policy(statement_list), request), evaluate(policy([*statement_list, added]), request)


@CHEAP
@given(POLICIES.flatmap(lambda s: st.tuples(st.just(s), st.permutations(s))), requests())
def test_the_order_of_statements_never_changes_the_decision(policies, request):
    statement_list, reordered = policies
    before, after = evaluate(policy(statement_list), request), evaluate(policy(list(reordered)), request)
    assert before.decision is after.decision
    assert sorted(before.statements) == sorted(after.statements)


@CHEAP
@given(POLICIES, statements(effect="Deny"), requests())
def test_adding_a_deny_never_makes_a_request_allowed(statement_list, deny, request):
    before, after = with_and_without(statement_list, deny, request)
    if after.decision is Decision.ALLOWED:
        assert before.decision is Decision.ALLOWED


@CHEAP
@given(POLICIES, statements(effect="Allow"), requests())
def test_adding_an_allow_never_lifts_an_explicit_deny(statement_list, allow, request):
    before, after = with_and_without(statement_list, allow, request)
    if before.decision is Decision.EXPLICIT_DENY:
        assert after.decision is Decision.EXPLICIT_DENY
        assert after.statements == before.statements


@CHEAP
@given(POLICIES, statements(effect="Allow"), requests())
def test_adding_an_allow_never_takes_access_away(statement_list, allow, request):
    before, after = with_and_without(statement_list, allow, request)
    if before.decision is Decision.ALLOWED:
        assert after.decision is Decision.ALLOWED
