"""One request against one resource-based policy, in the order "Policy evaluation logic" (IAM user guide) gives.

1. Every statement is matched against the request: Principal/NotPrincipal, Action/NotAction, Resource/NotResource,
   Condition. Statement order never matters.
2. A matching Deny decides: explicitly denied ("An explicit deny in any policy overrides any allows").
3. Else a matching Allow decides: allowed. An Allow that names the caller's account rather than the caller (the
   account principal, `arn:aws:iam::<account>:root` or `<account>`) delegates to that account's IAM policies: it
   allows an IAM user or role only when `Request.identity_allows` says their own policies do ("Default key policy",
   KMS developer guide). KMS adds no default for anyone, the account root included ("Key policies in AWS KMS").
4. Else: implicitly denied, reported with the statements that came nearest (named the principal, then failed on
   the action, the resource or a condition), so a finding can say which statement refused and why.

Out of scope, on purpose: identity policies' own evaluation (taken as `identity_allows`), SCPs, permission
boundaries, session policies, VPC endpoint policies and grants; docs/policy-evaluation.md says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from synth_review.access import patterns
from synth_review.access.conditions import PolicyError, failed_condition
from synth_review.access.request import Decision, Principal, Request
from synth_review.policy_values import as_list, sid

PRINCIPAL_KINDS = ("AWS", "Service", "Federated", "CanonicalUser")
VARIABLES_VERSION = "2012-10-17"  # policy variables are read only in policies of this version
_STAGES = ("principal", "action", "resource", "condition")


@dataclass(frozen=True)
class StatementResult:
    label: str  # the Sid, or "(no Sid)"
    effect: str
    depth: int  # how many of principal, action, resource, condition matched (4: the statement applies)
    missed: str  # what did not match: "action", "condition ArnEquals kms:...", ""
    via_account: bool = False  # it applies to the caller only through the caller's account (delegation to IAM)

    @property
    def applies(self) -> bool:
        return self.depth == len(_STAGES)

    def reason(self) -> str:
        if not self.applies:
            return f"{self.label}: its {self.missed} does not match"
        if self.via_account:
            return f"{self.label}: names the caller's account, whose IAM policies do not allow the call"
        return f"{self.label}: applies"


@dataclass(frozen=True)
class Evaluation:
    decision: Decision
    deciding: tuple[StatementResult, ...]  # the Denies or Allows that decided; for an implicit deny the nearest

    @property
    def statements(self) -> tuple[str, ...]:
        return tuple(result.label for result in self.deciding)

    def explanation(self) -> str:
        if self.decision is Decision.ALLOWED:
            return f"allowed by {', '.join(self.statements)}"
        if self.decision is Decision.EXPLICIT_DENY:
            return f"explicitly denied by {', '.join(self.statements)}"
        if not self.deciding:
            return "implicitly denied: no statement names this principal"
        return "implicitly denied (" + "; ".join(result.reason() for result in self.deciding) + ")"


def statements_of(policy: Mapping[str, Any]) -> list[dict[str, Any]]:
    statements = as_list(policy.get("Statement"))
    if not all(isinstance(statement, dict) for statement in statements):
        raise PolicyError("every Statement must be an object")
    return statements


def evaluate(policy: Mapping[str, Any], request: Request) -> Evaluation:
    variables = policy.get("Version") == VARIABLES_VERSION
    results = [match_statement(statement, request, variables) for statement in statements_of(policy)]
    denies = tuple(r for r in results if r.effect == "Deny" and r.applies)
    if denies:
        return Evaluation(Decision.EXPLICIT_DENY, denies)
    allows = tuple(r for r in results if r.effect == "Allow" and r.applies
                   and (not r.via_account or request.identity_allows))
    if allows:
        return Evaluation(Decision.ALLOWED, allows)
    tried = [r for r in results if r.effect == "Allow" and r.depth > 0]
    nearest = max((r.depth for r in tried), default=0)
    return Evaluation(Decision.IMPLICIT_DENY, tuple(r for r in tried if r.depth == nearest))


def match_statement(statement: Mapping[str, Any], request: Request, variables: bool) -> StatementResult:
    effect = statement.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(f"statement {sid(statement)}: Effect must be Allow or Deny, not {effect!r}")
    label = sid(statement)
    principal = principal_match(statement, request.principal)
    checks = (
        lambda: principal is not None,
        lambda: _listed(statement, "Action", lambda pattern: patterns.like(((pattern, True),), request.action, True)),
        lambda: _listed(statement, "Resource", lambda pattern: _resource(pattern, request, variables)),
    )
    for depth, check in enumerate(checks):
        if not check():
            return StatementResult(label, effect, depth, _STAGES[depth])
    failed = failed_condition(statement.get("Condition"), request, variables)
    if failed is not None:
        return StatementResult(label, effect, 3, f"condition {failed}")
    return StatementResult(label, effect, 4, "", via_account=principal == "account")


def principal_match(statement: Mapping[str, Any], principal: Principal) -> str | None:
    """"direct" when the statement names the caller (or everyone), "account" when it names only the caller's
    account, None when it does not apply to the caller. A statement without either element is an identity policy's:
    it speaks for the identity it is attached to."""
    if "Principal" in statement and "NotPrincipal" in statement:
        raise PolicyError(f"statement {sid(statement)} has both Principal and NotPrincipal")
    if "NotPrincipal" in statement:
        return None if _exempt(_entries(statement["NotPrincipal"]), principal) else "direct"
    if "Principal" not in statement:
        return "direct"
    found = None
    for kind, value in _entries(statement["Principal"]):
        match = _entry_match(kind, value, principal)
        if match == "direct":
            return match
        found = found or match
    return found


def _entries(element: Any) -> list[tuple[str, str]]:
    if element == "*":
        return [("*", "*")]
    if not isinstance(element, dict):
        raise PolicyError(f"a Principal must be \"*\" or an object, not {element!r}")
    entries = []
    for kind, values in element.items():
        if kind not in PRINCIPAL_KINDS:
            raise PolicyError(f"unknown principal type {kind!r} (AWS, Service, Federated or CanonicalUser)")
        entries += [(kind, str(value)) for value in as_list(values)]
    return entries


def _entry_match(kind: str, value: str, principal: Principal) -> str | None:
    if kind == "*" or (kind == "AWS" and value == "*"):
        return "direct"  # every principal, anonymous ones included ("AWS JSON policy elements: Principal")
    if kind != principal.kind:
        return None
    if kind == "Service":
        return "direct" if value.lower() == principal.name.lower() else None
    if kind != "AWS":
        return "direct" if value == principal.name else None
    named = Principal("AWS", value)
    if named.account is not None and (named.is_account_root or named.name == named.account):
        if named.account != principal.account:
            return None
        return "direct" if principal.is_account_root else "account"
    return "direct" if value in principal.layers()[:2] and not principal.is_account_root else None


def _exempt(listed: list[tuple[str, str]], principal: Principal) -> bool:
    """Whether NotPrincipal exempts the caller: every layer of its identity (session, role, account) is listed."""
    if ("*", "*") in listed or ("AWS", "*") in listed:
        return True
    if principal.kind != "AWS":
        return any(kind == principal.kind and value.lower() == principal.name.lower() for kind, value in listed)
    named = {value for kind, value in listed if kind == "AWS"}
    return all(layer in named or (Principal("AWS", layer).is_account_root and principal.account in named)
               for layer in principal.layers())


def _listed(statement: Mapping[str, Any], element: str, matches: Any) -> bool:
    positive, negative = statement.get(element), statement.get(f"Not{element}")
    if (positive is None) == (negative is None):
        raise PolicyError(f"statement {sid(statement)} needs exactly one of {element} and Not{element}")
    hit = any(matches(str(pattern)) for pattern in as_list(positive if positive is not None else negative))
    return hit if positive is not None else not hit


def _resource(pattern: str, request: Request, variables: bool) -> bool:
    parts = patterns.resolve(pattern, request, variables)
    return parts is not None and patterns.arn_like(parts, request.resource)
