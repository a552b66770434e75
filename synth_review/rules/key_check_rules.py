"""The key check: a log group or topic whose key comes from another stack's state waits for a check of that key.

The user stack cannot see whether the key stack was deployed, or whether the key was since disabled or scheduled for
deletion: a `data aws_kms_key` of the same key, with a postcondition that it is enabled (KMS developer guide, "Key
states of AWS KMS keys"), fails the plan with a clear message instead of CreateLogGroup failing halfway through an
apply. The group (or topic) either depends on that check or takes the key from it (`data.aws_kms_key.<check>.arn`).
"""

from __future__ import annotations

import re

from cdktf_out.expressions import depends_on, single_reference, strings_in
from cdktf_out.routes import key_routes
from cdktf_out.tree import Block, Stack, SynthesizedApp
from synth_review.findings import Finding

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "key-unchecked": "a log group or topic whose key is read from another stack waits for a check that it is enabled",
}

DATA_KMS_KEY = "aws_kms_key"
REMOTE_STATE = "data.terraform_remote_state."
KEY_ATTRIBUTES = {"aws_cloudwatch_log_group": "kms_key_id", "aws_sns_topic": "kms_master_key_id"}
# What the check must hold the key to: enabled (key_state "Enabled" or the enabled flag). Either form refuses a
# disabled key or one pending deletion.
_REQUIRES_ENABLED = re.compile(r'self\.key_state\s*==\s*"Enabled"|self\.enabled\b')


def key_check_findings(app: SynthesizedApp) -> list[Finding]:
    found = []
    for stack in app.stacks:
        checks = {check.address: check for check in stack.data_sources(DATA_KMS_KEY) if _requires_enabled(check)}
        for resource_type, attribute in KEY_ATTRIBUTES.items():
            for block in stack.resources(resource_type):
                value = block.body.get(attribute)
                if not _read_from_another_stack(value) or _checked(app, stack, block, value, checks):
                    continue
                found.append(Finding(
                    "key-unchecked", stack.name, block.address,
                    f"{attribute} is read from another stack's state and nothing checks the key first: give it a "
                    "data aws_kms_key of the same key with a postcondition that it is enabled, and depends_on it"))
    return found


def _read_from_another_stack(value: object) -> bool:
    return any(REMOTE_STATE in text for text in strings_in(value))


def _requires_enabled(check: Block) -> bool:
    lifecycle = check.body.get("lifecycle") or {}
    conditions = [str(p.get("condition", "")) for p in lifecycle.get("postcondition", []) if isinstance(p, dict)]
    return any(_REQUIRES_ENABLED.search(condition) for condition in conditions)


def _checked(app: SynthesizedApp, stack: Stack, block: Block, value: object, checks: dict[str, Block]) -> bool:
    """The block takes its key from a check, or depends on a check of the same key (however either spells it)."""
    reference = single_reference(value)
    if reference is not None and reference.address in checks:
        return True
    wanted = _keys(app, stack, value)
    if not wanted:
        return True  # a value that leads to no key is sleep-bypassed's finding (wait_rules.py), not a second one
    return any(
        address in checks and wanted <= _keys(app, stack, checks[address].body.get("key_id"))
        for address in depends_on(block.body))


def _keys(app: SynthesizedApp, stack: Stack, value: object) -> set[tuple[str, str]]:
    """The keys a value leads to (cdktf_out/routes.py follows outputs, waits and spellings)."""
    return {route.key for route in key_routes(app, stack, value) if route.key is not None}


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return found + key_check_findings(app)

