"""Review rules on KMS keys: every key-policy mistake like the post-mortem's fails the verdict, naming its rule.

Each breakage (tests/synth_review/breakages.py) is the synthesized JSON with one realistic mistake; the review must find
it from the JSON alone, with a finding that names the stack, the key or resource, the statement and the rule.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cdktf_out.tree import load
from synth_review.findings import Finding
from synth_review.rules import all_rules, findings
from synth_review.rules import key_policy_rules as key_policy
from synth_review.rules.key_policy_rules import ServicePrincipal
from synth_review.rules.wait_rules import key_uses
from tests.synth_review.breakages import BREAKAGES, SOUND_CHANGES, Breakage, add_statement
from tests.synth_review.conftest import review_in_process, rewrite_stacks

RULES = all_rules()
STATEMENT_MISSING = {"logs-key-principal", "key-account-statement"}
POLICY_RULES = {rule for rule in RULES if rule.startswith(("logs-key-", "key-principal", "key-foreign", "key-service"))}


def documents(app) -> dict:
    return {stack.name: stack.document for stack in app.stacks}


def review_findings(app) -> list[Finding]:
    found = findings(app, None, None)
    assert {f.rule for f in found} <= set(RULES), "a finding whose rule the README's table cannot list"
    return found


def test_the_synthesized_keys_pass_every_key_rule(review_app):
    assert review_findings(review_app) == []


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda b: b.name)
def test_a_key_mistake_fails_the_review_with_a_finding_naming_its_rule(review_app, breakage: Breakage):
    breakage.change(documents(review_app))
    named = [f for f in review_findings(review_app) if f.rule == breakage.rule]
    assert named, f"{breakage.name}: no [{breakage.rule}] finding in {[f.line() for f in review_findings(review_app)]}"
    finding = named[0]
    assert finding.stack in ("encryption", "app") and finding.subject and finding.message
    if breakage.rule in POLICY_RULES:
        assert finding.subject.startswith("aws_kms_key."), finding.line()
        blamed = [f for f in named if f.statement]  # a missing statement has none to name; a wrong one does
        assert blamed or breakage.rule in STATEMENT_MISSING, "a key-policy finding names its statement"


@pytest.mark.parametrize("change", SOUND_CHANGES, ids=lambda b: b.name)
def test_a_sound_variant_of_the_wiring_passes(review_app, change: Breakage):
    change.change(documents(review_app))
    assert review_findings(review_app) == []
    assert all(use.route.key for use in key_uses(review_app)), "a key value the review did not follow to its key"


def test_a_key_value_the_review_cannot_follow_fails_rather_than_passing_unseen(review_app):
    group = next(iter(review_app.stack("app").document["resource"]["aws_cloudwatch_log_group"].values()))
    group["kms_key_id"] = "${var.logs_key_arn}"
    (finding,) = review_findings(review_app)
    assert finding.rule == "sleep-bypassed" and "leads to no aws_kms_key the review can follow" in finding.message


def test_a_wildcard_inside_arn_equals_is_its_own_finding(review_app):
    wildcard = next(b for b in BREAKAGES if b.name == "a wildcard ARN inside ArnEquals beside the exact ones")
    wildcard.change(documents(review_app))
    assert [f.rule for f in review_findings(review_app)] == ["logs-key-wildcard"]


def test_the_post_mortem_mistake_is_one_finding_proving_what_aws_documents_it_does(review_app):
    """The condition narrows who may use the key (CloudWatch Logs user guide): without it the key serves another
    account's log groups, which the evaluation proves; the post-mortem's claim that CreateLogGroup fails is named as
    the post-mortem's, not AWS's."""
    BREAKAGES[0].change(documents(review_app))
    (finding,) = review_findings(review_app)
    assert (finding.rule, finding.stack, finding.statement) == (
        "logs-key-condition", "encryption", "CloudWatchLogsEncryptsWorkflowLogGroups")
    assert "of another account is allowed by CloudWatchLogsEncryptsWorkflowLogGroups" in finding.message
    assert "AWS documents no such failure" in finding.message


def test_every_user_of_a_key_read_around_its_wait_is_named(review_app):
    data_output = next(b for b in BREAKAGES if b.name == "the data key output read from the key directly")
    data_output.change(documents(review_app))
    users = {f.subject for f in review_findings(review_app) if f.rule == "sleep-bypassed"}
    assert {"aws_dynamodb_table", "aws_lambda_function", "aws_sfn_state_machine", "aws_iam_role_policy"} == {
        subject.split(".")[0] for subject in users}


def test_a_service_principal_row_requires_its_condition_with_no_wildcard_or_if_exists(review_app, monkeypatch):
    """The alarms' statement is one row; the row's condition is then enforced like the logs one."""
    topic_key = "kms:EncryptionContext:aws:sns:topicArn"
    monkeypatch.setitem(key_policy.SERVICE_PRINCIPALS, "cloudwatch.amazonaws.com", ServicePrincipal(
        (topic_key,), frozenset({"kms:Decrypt", "kms:GenerateDataKey*"}), "SNS developer guide"))
    alarms = {"Sid": "Alarms", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
              "Action": ["kms:Decrypt", "kms:GenerateDataKey*"], "Resource": "*"}
    topic = "arn:<partition>:sns:<region>:<account>:alerts"
    cases = {
        "no condition": ({}, ["key-service-condition"]),
        "the documented condition": ({"Condition": {"ArnEquals": {topic_key: topic}}}, []),
        "an IfExists condition": ({"Condition": {"ArnEqualsIfExists": {topic_key: topic}}}, ["key-service-condition"]),
        "a bare * value": ({"Condition": {"StringLike": {topic_key: "*"}}}, ["key-service-condition"]),
    }
    for case, (extra, expected) in cases.items():
        app = load(review_app.outdir)
        add_statement("data_key", {**alarms, **extra})(documents(app))
        assert [f.rule for f in review_findings(app)] == expected, case


def first_breakage_of_each_rule() -> list[Breakage]:
    return list({b.rule: b for b in reversed(BREAKAGES)}.values())


@pytest.mark.parametrize("breakage", first_breakage_of_each_rule(), ids=lambda b: b.rule)
def test_each_key_rule_fails_the_review_of_a_broken_copy_with_exit_1(synthesized, passing_checkov, tmp_path,
                                                                        breakage: Breakage):
    outdir = Path(shutil.copytree(synthesized.outdir, tmp_path / "cdktf.out"))
    rewrite_stacks(outdir, breakage.change)
    done = review_in_process(outdir, "--checkov", str(passing_checkov))
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr
    assert f"FAIL [{breakage.rule}] " in done.stdout


def test_every_key_rule_has_breakages_that_prove_it_can_fire():
    key_rules = {rule for rule in RULES if rule.startswith(("key-", "logs-key-")) or rule == "sleep-bypassed"}
    assert key_rules <= {b.rule for b in BREAKAGES}
