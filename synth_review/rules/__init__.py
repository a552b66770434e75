"""Every rule the review enforces, in one place, so the verdict and the exit status cannot disagree.

RULES names each rule id a finding may carry and what it guards; the README's table of review rules lists the same
ids (tests/synth_review/rules/test_rules_table.py holds them together).
"""

from __future__ import annotations

from cdktf_out.tree import SynthesizedApp
from synth_review.findings import Finding
from synth_review.rules.alert_rules import alert_findings
from synth_review.rules.checkov_rules import CheckovResult
from synth_review.rules.iam_rules import iam_findings
from synth_review.rules.key_access_rules import key_accesses, with_access_findings
from synth_review.rules.key_property_rules import key_property_findings
from synth_review.rules.key_rules import key_findings
from synth_review.rules.log_group_rules import log_group_findings
from synth_review.rules.state_machine_rules import state_machine_findings

RULES: dict[str, str] = {
    "unencrypted-log-group": "every log group has a kms_key_id",
    "sleep-bypassed": "every use of a key's ARN comes through the key's own time_sleep (its ARN and policy digest)",
    "logs-key-principal": "a key that log groups use lets the regional principal logs.<region>.<dns_suffix> use it",
    "logs-key-actions": "that statement grants exactly kms:Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey*, Describe*",
    "logs-key-condition": "that statement has ArnEquals on kms:EncryptionContext:aws:logs:arn",
    "logs-key-wildcard": "no wildcard in that condition",
    "logs-key-log-groups": "that condition lists exactly the log groups that use the key, read from the groups",
    "key-principal-wildcard": "no key policy statement opens the key to \"*\" (or NotPrincipal)",
    "key-foreign-principal": "no key policy statement names another account",
    "key-service-condition": "every service principal has a row in SERVICE_PRINCIPALS and the condition AWS documents",
    "key-service-actions": "a service principal gets no action beyond the ones AWS documents for it",
    "key-account-statement": "every key policy lets this account's root do kms:* (the key stays manageable)",
    "key-required-access": "every request AWS makes of a key for the workflow is allowed by its policy, evaluated",
    "key-forbidden-access": "every request from outside the workflow's uses of a key is refused by its policy",
    "key-spec": "a key that log groups, the topic or the state machine use is symmetric ENCRYPT_DECRYPT and enabled",
    "key-rotation": "every key has enable_key_rotation = true",
    "key-policy-unreadable": "every key policy is a JSON document the review can read",
    "wildcard-action": "no IAM wildcard action, and no \"*\" resource where the action takes one",
    "state-machine-definition": "every state-machine route leads to a state that exists",
    "alarm-without-action": "every alarm notifies an SNS topic of its stack",
    "alarm-topic-unencrypted": "the alerts topic is encrypted with a customer key read through its time_sleep",
    "alerts-key-grant-missing": "that key lets each publisher (CloudWatch, EventBridge) use it for exactly that topic",
    "topic-policy": "the topic policy lets only this account's alarms and rule publish, and denies plain HTTP",
    "checkov": "checkov ran, parsed every stack and failed no check",
    "checkov-skip": "every checkov skip gives its reason",
}


def findings(app: SynthesizedApp, checkov: CheckovResult | None, checkov_error: str | None) -> list[Finding]:
    found = log_group_findings(app) + key_findings(app) + iam_findings(app) + state_machine_findings(app)
    found += alert_findings(app)
    accesses = key_accesses(app)
    found = with_access_findings(found, accesses)
    found += key_property_findings(app, {(a.stack, a.address): a.uses for a in accesses})
    found += checkov_findings(checkov, checkov_error)
    return found


def checkov_findings(checkov: CheckovResult | None, checkov_error: str | None) -> list[Finding]:
    found = []
    if checkov_error:
        found.append(Finding("checkov", "-", "checkov", f"not run: {checkov_error}"))
    if checkov is not None:
        found += [Finding("checkov", _stack_of(f.file), f.check, f"{f.resource}: {f.name}") for f in checkov.failed]
        found += [Finding("checkov", "-", "checkov", f"could not parse {e}") for e in checkov.parsing_errors]
        found += [Finding("checkov-skip", "-", s.check, "skipped without a reason in .checkov.yaml")
                  for s in checkov.skips if not s.reason]
    return found


def _stack_of(file: str) -> str:
    parts = file.split("/")
    return parts[1] if len(parts) > 2 and parts[0] == "stacks" else file
