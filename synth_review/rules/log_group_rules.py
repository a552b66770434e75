"""Every log group's key and retention, and the rule the original deployment's final fix broke.

A log group without `kms_key_id` stores payment logs unencrypted by our key. Where a group's key comes from, and
whether it waits for the key policy, is followed by synth_review/rules/wait_rules.py (the `sleep-bypassed` rule, judged
there for every user of a key, log groups included).
"""

from __future__ import annotations

from dataclasses import dataclass

from cdktf_out.routes import Route, key_routes
from cdktf_out.tree import SynthesizedApp
from synth_review.findings import Finding
from synth_review.rules.wait_rules import judge

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "unencrypted-log-group": "every log group has a kms_key_id",
}

LOG_GROUP = "aws_cloudwatch_log_group"


@dataclass(frozen=True)
class KeySource:
    """Where a log group's key ARN comes from, as a reviewer reads it; `problem` is None when it is sound."""

    description: str  # every route, hop by hop
    problem: str | None
    shown: str  # what the review's table shows: the key a sound route ends at, or the route that fails


@dataclass(frozen=True)
class LogGroupRow:
    stack: str
    address: str
    name: str
    key: KeySource | None  # None: no kms_key_id at all
    retention: str


def log_group_rows(app: SynthesizedApp) -> list[LogGroupRow]:
    rows = []
    for stack in app.stacks:
        for group in stack.resources(LOG_GROUP):
            key = group.body.get("kms_key_id")
            retention = group.body.get("retention_in_days")
            routes = key_routes(app, stack, key, literal_aliases=True) if key else []
            judged = [(route, judge(app, route)) for route in routes]
            problems = [problem for _, problem in judged if problem]
            rows.append(LogGroupRow(
                stack=stack.name,
                address=group.address,
                name=str(group.body.get("name", group.body.get("name_prefix", "?"))),
                key=KeySource(" | ".join(r.description() for r in routes) or repr(key),
                              problems[0] if problems else None if routes else "no key route",
                              " | ".join(_shown(r, p) for r, p in judged) or repr(key)) if key else None,
                retention=f"{retention} day{'s' if retention != 1 else ''}" if retention else "never expires",
            ))
    return rows


def _shown(route: Route, problem: str | None) -> str:
    """A sound route by the key it ends at (and the first hop, when it comes from elsewhere): the time_sleep it
    passes is the cross-stack table's to show, once."""
    if problem or route.key is None:
        return route.description()
    key = ".".join(route.key)
    return key if len(route.hops) == 1 else f"{key} via {route.hops[0]}"


def log_group_findings(app: SynthesizedApp) -> list[Finding]:
    return [
        Finding("unencrypted-log-group", row.stack, row.address,
                f"{row.name} has no kms_key_id: its logs are not encrypted with the logs key")
        for row in log_group_rows(app)
        if row.key is None
    ]


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return found + log_group_findings(app)
