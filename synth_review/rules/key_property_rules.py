"""What AWS requires of a key's own properties when log groups, the alerts topic or the state machine use it.

- Symmetric (`customer_master_key_spec`, or its newer name `key_spec`, SYMMETRIC_DEFAULT, the default): "CloudWatch
  Logs supports only symmetric customer managed keys" (CloudWatch Logs user guide, Encrypt log data in CloudWatch
  Logs using AWS KMS); "Amazon SNS only supports symmetric encryption KMS keys" (SNS developer guide, Securing Amazon
  SNS data with server-side encryption); Step Functions "supports the use of a symmetric customer managed key" (Step
  Functions developer guide, Data at rest encryption). An asymmetric key also takes no encryption context (KMS
  developer guide, AWS KMS condition keys), the very condition the key policies rely on.
- `key_usage` ENCRYPT_DECRYPT (the default): the only usage that encrypts with a symmetric key.
- Enabled (`is_enabled` not false): a disabled key fails every cryptographic operation (KMS developer guide, Key
  states of AWS KMS keys), and associating it with a log group fails (CloudWatch Logs API, AssociateKmsKey).

A key declared in cdktf.out is never pending deletion: it becomes so only when it leaves the configuration (Terraform
schedules the deletion on destroy), which the change review reports as destructive; a plan against a key that is
disabled or pending deletion fails the app stack's key checks (postcondition `key_state == "Enabled"`).
"""

from __future__ import annotations

from cdktf_out.routes import KMS_KEY
from cdktf_out.tree import SynthesizedApp
from synth_review.findings import Finding
from synth_review.rules.key_access_rules import key_accesses, uses_by_key
from synth_review.rules.key_requests import KeyUses

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "key-spec": "a key that log groups, the topic or the state machine use is symmetric ENCRYPT_DECRYPT and enabled",
}

SYMMETRIC = "SYMMETRIC_DEFAULT"
ENCRYPT_DECRYPT = "ENCRYPT_DECRYPT"
LOGS_SYMMETRIC = "CloudWatch Logs user guide, Encrypt log data in CloudWatch Logs using AWS KMS"
SNS_SYMMETRIC = "SNS developer guide, Securing Amazon SNS data with server-side encryption"
SFN_SYMMETRIC = "Step Functions developer guide, Data at rest encryption"
KEY_STATES = "KMS developer guide, Key states of AWS KMS keys"


def key_property_findings(app: SynthesizedApp, uses: dict[tuple[str, str], KeyUses] | None = None) -> list[Finding]:
    found: list[Finding] = []
    uses = uses if uses is not None else uses_by_key(app)
    for stack in app.stacks:
        for key in stack.resources(KMS_KEY):
            used = uses[(stack.name, key.address)]
            found += [Finding("key-spec", stack.name, key.address, message) for message in problems(key.body, used)]
    return found


def problems(body: dict[str, object], used: KeyUses) -> list[str]:
    users = _users(used)
    pages = "; ".join(page for page, needed in ((LOGS_SYMMETRIC, used.log_groups), (SNS_SYMMETRIC, used.topics),
                                                 (SFN_SYMMETRIC, used.state_machines)) if needed)
    found = []
    spec = body.get("key_spec", body.get("customer_master_key_spec"))
    if spec not in (None, SYMMETRIC):
        found.append(f"key spec {spec}: only a symmetric encryption key ({SYMMETRIC}) serves {users} ({pages})")
    usage = body.get("key_usage")
    if usage not in (None, ENCRYPT_DECRYPT):
        found.append(f"key_usage {usage}: encrypting for {users} needs {ENCRYPT_DECRYPT} ({pages})")
    if body.get("is_enabled") in (False, "false"):
        found.append(f"is_enabled is false: a disabled key fails every cryptographic operation, so {users} cannot "
                     f"use it ({KEY_STATES})")
    return found


def _users(used: KeyUses) -> str:
    parts = [f"log groups {', '.join(used.log_groups)}" if used.log_groups else "",
             f"topic {', '.join(t.name for t in used.topics)}" if used.topics else "",
             f"state machine {', '.join(used.state_machines)}" if used.state_machines else ""]
    return " and ".join(part for part in parts if part)


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return found + key_property_findings(app, {(a.stack, a.address): a.uses for a in key_accesses(app)})
