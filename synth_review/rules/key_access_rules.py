"""Every key's policy asked the requests AWS will make of it, and the wrong answers as findings.

Each `aws_kms_key` is held to the requests of synth_review/rules/key_requests.py, evaluated with AWS's logic
(synth_review/access/) on its policy bound to this account in the provider's region. A required request refused,
or a forbidden one allowed, fails the review with a finding naming the request, the decision and the statement that
decided it (for an implicit deny: the statement that came nearest, and what of it did not match).

Where one of the review's key-policy rules already blames that statement (logs-key-condition for a logs statement
without its condition, say), the evaluation is added to that finding as its computed consequence instead of a second
finding for one mistake.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cdktf_out.routes import KMS_KEY, key_routes
from cdktf_out.tree import Block, Stack, SynthesizedApp
from synth_review.access.binding import Binding, bound
from synth_review.access.conditions import PolicyError
from synth_review.access.evaluate import Evaluation, evaluate
from synth_review.access.request import Decision
from synth_review.findings import Finding
from synth_review.policy_values import as_list
from synth_review.rules.alert_rules import topics_by_key
from synth_review.rules.key_policy_rules import logs_statements
from synth_review.rules.key_requests import ExpectedRequest, KeyUses, expected_requests
from synth_review.rules.key_rules import LOG_GROUP, log_groups_by_key, policy_in_force, provider_region
from synth_review.rules.wait_rules import policy_resources

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "key-required-access": "every request AWS makes of a key for the workflow is allowed by its policy, evaluated",
    "key-forbidden-access": "every request from outside the workflow's uses of a key is refused by its policy",
}

ACCESS_RULES = {True: "key-required-access", False: "key-forbidden-access"}
# A finding that blames no statement (the statement is missing) takes the evaluations about the use it concerns.
MISSING_STATEMENT_TOPICS = {"logs-key-principal": "logs", "key-account-statement": "admin",
                            "alerts-key-grant-missing": "alerts"}
STATE_MACHINE = "aws_sfn_state_machine"
CONTEXT_KEY_PREFIX = "kms:encryptioncontext:"
# What KMS applies when a key is created without a policy (KMS developer guide, Default key policy).
DEFAULT_KEY_POLICY = {"Version": "2012-10-17", "Statement": [{
    "Sid": "Enable IAM policies", "Effect": "Allow", "Principal": {"AWS": "arn:<partition>:iam::<account>:root"},
    "Action": "kms:*", "Resource": "*"}]}


@dataclass(frozen=True)
class Checked:
    expected: ExpectedRequest
    evaluation: Evaluation

    @property
    def right(self) -> bool:
        return (self.evaluation.decision is Decision.ALLOWED) == self.expected.allowed

    @property
    def blamed(self) -> str:
        """The statement that decided: the one that allowed or denied, or the nearest for an implicit deny."""
        return self.evaluation.statements[0] if self.evaluation.statements else ""

    def proof(self) -> str:
        return f"{self.expected.label} is {self.evaluation.explanation()}: {self.expected.consequence}"


@dataclass(frozen=True)
class KeyAccess:
    stack: str
    address: str
    binding: Binding
    uses: KeyUses
    policy: Mapping[str, Any] | None  # placeholder form, as the review shows it; None when unreadable
    checked: tuple[Checked, ...]
    error: str | None = None  # why the policy could not be evaluated

    @property
    def wrong(self) -> list[Checked]:
        return [c for c in self.checked if not c.right]

    def tally(self) -> str:
        required = [c for c in self.checked if c.expected.allowed]
        forbidden = [c for c in self.checked if not c.expected.allowed]
        return (f"required requests: {sum(c.right for c in required)} of {len(required)} allowed; forbidden requests: "
                f"{sum(c.right for c in forbidden)} of {len(forbidden)} refused")


def key_accesses(app: SynthesizedApp) -> list[KeyAccess]:
    uses = uses_by_key(app)
    everywhere = tuple(str(g.body.get("name", "?")) for stack in app.stacks for g in stack.resources(LOG_GROUP))
    found = []
    for stack in app.stacks:
        binding = Binding.for_region(provider_region(stack))
        for key in stack.resources(KMS_KEY):
            policy = _policy(stack, key)
            regional, others = logs_statements(policy, binding.region) if policy is not None else ([], [])
            used = dataclasses.replace(uses[(stack.name, key.address)], names_logs_principal=bool(regional or others))
            found.append(_checked(stack.name, key.address, binding, used, policy, everywhere))
    return found


def uses_by_key(app: SynthesizedApp) -> dict[tuple[str, str], KeyUses]:
    """What each key (stack, address) is used for: log groups, topics, state machines that deliver logs."""
    groups, topics, machines = log_groups_by_key(app), topics_by_key(app), _state_machines_by_key(app)
    unresolved = frozenset(use for use, found in (("logs", groups), ("alerts", topics), ("data", machines))
                           if None in found)
    return {(stack.name, key.address): KeyUses(*(tuple(found.get((stack.name, key.address), ()))
                                                 for found in (groups, topics, machines)), unresolved=unresolved)
            for stack in app.stacks for key in stack.resources(KMS_KEY)}


def _checked(stack: str, address: str, binding: Binding, uses: KeyUses, policy: Mapping[str, Any] | None,
             all_log_groups: tuple[str, ...]) -> KeyAccess:
    if policy is None:  # key-policy-unreadable already says so
        return KeyAccess(stack, address, binding, uses, None, ())
    try:
        _refused_by_kms(policy)
        concrete = bound(policy, binding)
        expected = expected_requests(uses, concrete, binding, all_log_groups)
        checked = tuple(Checked(e, evaluate(concrete, e.request)) for e in expected)
    except PolicyError as error:
        return KeyAccess(stack, address, binding, uses, policy, (), str(error))
    return KeyAccess(stack, address, binding, uses, policy, checked)


def _refused_by_kms(policy: Mapping[str, Any]) -> None:
    """KMS refuses to store a policy with ForAllValues on kms:EncryptionContext:<key>, a single-valued key
    (OverlyPermissiveCondition; KMS developer guide, AWS KMS condition keys): the deploy fails at PutKeyPolicy."""
    for statement in as_list(policy.get("Statement")):
        condition = statement.get("Condition") if isinstance(statement, dict) else None
        for operator, tests in (condition.items() if isinstance(condition, dict) else []):
            for key in (tests if isinstance(tests, dict) else {}):
                if str(operator).startswith("ForAllValues:") and str(key).lower().startswith(CONTEXT_KEY_PREFIX):
                    raise PolicyError(f"{operator} on {key}: KMS refuses the policy (OverlyPermissiveCondition: a set "
                                      "operator on a single-valued key also matches requests without the context; "
                                      "KMS developer guide, AWS KMS condition keys), so the deploy fails")


def _policy(stack: Stack, key: Block) -> dict[str, Any] | None:
    if key.body.get("policy") is None and not policy_resources(stack, key.address):
        return DEFAULT_KEY_POLICY
    return policy_in_force(stack, key)


def _state_machines_by_key(app: SynthesizedApp) -> dict[tuple[str, str] | None, list[str]]:
    """The state machines each key encrypts that deliver their logs (log delivery then decrypts with the key)."""
    found: dict[tuple[str, str] | None, list[str]] = {}
    for stack in app.stacks:
        for machine in stack.resources(STATE_MACHINE):
            if not machine.body.get("logging_configuration"):
                continue
            for route in key_routes(app, stack, machine.body.get("encryption_configuration"), True):
                found.setdefault(route.key, []).append(str(machine.body.get("name", "?")))
    return found


def with_access_findings(found: list[Finding], accesses: list[KeyAccess]) -> list[Finding]:
    """The review's findings with every wrong decision added: to the finding that blames its statement, or new."""
    found = list(found)
    extra: list[Finding] = []
    for access in accesses:
        if access.error:
            extra.append(Finding("key-policy-unreadable", access.stack, access.address,
                                 f"the policy cannot be evaluated as AWS would: {access.error}"))
        groups: dict[tuple[bool, str, str], list[Checked]] = {}
        for checked in access.wrong:
            groups.setdefault((checked.expected.allowed, checked.blamed, checked.expected.topic), []).append(checked)
        for (allowed, statement, topic), items in groups.items():
            target = _blaming(found, access, statement, topic)
            if target is None:
                extra.append(Finding(ACCESS_RULES[allowed], access.stack, access.address, _proof(items), statement))
            else:
                finding = found[target]
                found[target] = dataclasses.replace(finding, message=f"{finding.message}; evaluated: {_proof(items)}")
    return found + extra


def _proof(items: list[Checked]) -> str:
    """The first wrong decision in full; up to two more (those of another consequence first); how many in all."""
    first = items[0]
    rest = sorted(items[1:], key=lambda c: c.expected.consequence == first.expected.consequence)[:2]
    others = [c.expected.label + ("" if c.expected.consequence == first.expected.consequence
                                  else f" ({c.expected.consequence})") for c in rest]
    text = first.proof() + (f"; likewise {'; '.join(others)}" if others else "")
    return text + (f" [{len(items)} such requests in all]" if len(items) > 1 else "")


def _blaming(found: list[Finding], access: KeyAccess, statement: str, topic: str) -> int | None:
    for index, finding in enumerate(found):
        if (finding.stack, finding.subject) != (access.stack, access.address):
            continue
        if statement and finding.statement == statement:
            return index
        if not statement and not finding.statement and MISSING_STATEMENT_TOPICS.get(finding.rule) == topic:
            return index
    return None


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return with_access_findings(found, key_accesses(app))
