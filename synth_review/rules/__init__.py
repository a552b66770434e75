"""Every rule the review enforces, so the verdict and the exit status cannot disagree.

A rule lives in the module of what it judges (`<what>_rules.py`): its id in that module's RULES, its check in that
module's `check`, which adds its findings to the ones found so far. CHECKS runs them in the order the verdict lists
them. docs/review.md's table lists every id (tests/synth_review/rules/test_rules_table.py holds them together).
"""

from __future__ import annotations

from types import ModuleType

from cdktf_out.tree import SynthesizedApp
from synth_review.findings import Finding
from synth_review.rules import (
    alert_rules,
    checkov_rules,
    iam_rules,
    key_access_rules,
    key_policy_rules,
    key_property_rules,
    key_rules,
    log_group_rules,
    state_machine_rules,
    wait_rules,
)
from synth_review.rules.checkov_rules import CheckovResult, checkov_findings

# Rules for any app whose keys encrypt log groups behind a wait, then (marked) the payment workflow's own: its state
# machine and the alarms' encrypted topic. key_access_rules comes after every rule whose finding it may add to.
CHECKS: tuple[ModuleType, ...] = (
    log_group_rules, key_rules, wait_rules, iam_rules,
    state_machine_rules,  # the payment workflow's
    alert_rules,  # the payment workflow's
    key_access_rules, key_property_rules,
)
PAYMENT_WORKFLOW_CHECKS = (state_machine_rules, alert_rules)
# Modules whose rules another module checks (key_rules asks key_policy_rules) or that judge what checkov reports.
_DECLARING = (key_policy_rules, checkov_rules)


def all_rules() -> dict[str, str]:
    """Every rule id a finding may carry, and what it guards."""
    return {rule: guards for module in (*CHECKS, *_DECLARING) for rule, guards in module.RULES.items()}


def findings(app: SynthesizedApp, checkov: CheckovResult | None, checkov_error: str | None) -> list[Finding]:
    found: list[Finding] = []
    for module in CHECKS:
        found = module.check(app, found)
    return found + checkov_findings(checkov, checkov_error)
