"""The wait rule: a key's ARN reaches any other resource only through the key's own time_sleep.

That sleep carries the key's ARN and a digest of its policy (hashicorp/time, time_sleep: pass values through
`triggers` so dependents wait), so nothing can use the key before its policy has had time to propagate, and a policy
change re-runs the wait. Where each key value comes from is traced by cdktf_out/routes.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cdktf_out.expressions import Reference, interpolations, references_in, strings_in
from cdktf_out.routes import KEY_IDENTITY, KMS_KEY, SLEEP, Route, is_key_attribute, key_routes
from cdktf_out.tree import Block, Stack, SynthesizedApp
from synth_review.findings import Finding

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "sleep-bypassed": "every use of a key's ARN comes through the key's own time_sleep (its ARN and policy digest)",
}

# Resources that are the key's own wiring, not users of it: the wait itself, the alias, grants and policies.
KEY_WIRING = frozenset({SLEEP, KMS_KEY, "aws_kms_alias", "aws_kms_key_policy", "aws_kms_grant"})
_ZERO_DURATION = re.compile(r"[0.]+(?:ns|us|µs|ms|s|m|h)?")


@dataclass(frozen=True)
class KeyUse:
    stack: str
    resource: str
    attribute: str
    route: Route
    problem: str | None = field(default=None)


def key_uses(app: SynthesizedApp) -> list[KeyUse]:
    """Every key value every resource of every stack uses, judged; the keys' own wiring is left out."""
    uses = []
    for stack in app.stacks:
        for block in stack.resources():
            if block.type in KEY_WIRING:
                continue
            for attribute, value in block.body.items():
                if attribute in ("//", "depends_on", "lifecycle"):
                    continue
                for route in key_routes(app, stack, value, is_key_attribute(attribute)):
                    uses.append(KeyUse(stack.name, block.address, attribute, route, judge(app, route)))
    return uses


def wait_findings(app: SynthesizedApp) -> list[Finding]:
    found: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    for use in key_uses(app):
        if use.problem and (use.stack, use.resource, use.problem) not in seen:
            seen.add((use.stack, use.resource, use.problem))
            found.append(Finding("sleep-bypassed", use.stack, use.resource, f"{use.attribute}: {use.problem}"))
    return found


def judge(app: SynthesizedApp, route: Route) -> str | None:
    """Why this route lets a user see the key before its policy has propagated, or None when it cannot."""
    path = route.description()
    if route.dead_end:
        via = " <- ".join(route.hops[:-1])
        return f"{route.dead_end}{f' (via {via})' if via else ''}: a key value must come from the key's own time_sleep"
    assert route.key is not None
    key_stack, key = route.key
    owner = own_sleep(app.stack(key_stack), key)
    passed = [sleep for (stack, sleep) in route.sleeps if stack == key_stack]
    if owner is None:
        return f"{key} has no time_sleep of its own (triggers carrying its ARN and a digest of its policy): {path}"
    duration = str(owner.body.get("create_duration", ""))
    if not duration or _ZERO_DURATION.fullmatch(duration):
        return f"{owner.address}, {key}'s wait, waits {duration or 'no create_duration'}: {path}"
    if owner.address not in passed:
        others = f"; it passes {', '.join(passed)}, the wait of another key" if passed else ""
        return (f"{key} reaches it around {owner.address}{others}: {path}; it can use the key before the key's "
                "policy has propagated (KMS is eventually consistent: up to five minutes for a log group)")
    return None


def own_sleep(stack: Stack, key: str) -> Block | None:
    """The key's own wait: a time_sleep whose triggers carry this key's identity and a digest of its policy, and
    no other key's identity (a policy change to another key would not re-run it)."""
    policies = {(key, "policy")} | {(p.address, "policy") for p in policy_resources(stack, key)}
    for sleep in stack.resources(SLEEP):
        read = _references(sleep.body.get("triggers") or {})
        identities = {r.address for r in read if r.address.startswith(f"{KMS_KEY}.") and r.attribute in KEY_IDENTITY}
        if identities == {key} and any((r.address, r.attribute) in policies for r in read):
            return sleep
    return None


def policy_resources(stack: Stack, key: str) -> list[Block]:
    """The aws_kms_key_policy resources that set this key's policy (they replace the key's own policy argument)."""
    return [p for p in stack.resources("aws_kms_key_policy")
            if any(r.address == key and r.attribute in ("id", "key_id", "arn")
                   for r in _references(p.body.get("key_id")))]


def _references(value: object) -> list[Reference]:
    return [r for text in strings_in(value) for expression in interpolations(text) for r in references_in(expression)]


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return found + wait_findings(app)
