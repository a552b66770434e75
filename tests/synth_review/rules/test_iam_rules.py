"""Review rules on IAM: wildcards are shown; they fail only where a resource could have been named."""

from __future__ import annotations

from synth_review.rules.iam_rules import iam_findings, statement_rows
from tests.synth_review.conftest import edit_policy, statement


def policy_with(app, sid: str):
    """The synthesized role policy that holds the statement `sid`."""
    for block in app.stack("app").resources("aws_iam_role_policy"):
        if f'"Sid": "{sid}"' in block.body["policy"]:
            return block
    raise AssertionError(f"no aws_iam_role_policy has a statement {sid}")


def test_every_synthesized_iam_statement_passes_the_wildcard_rule(review_app):
    assert iam_findings(review_app) == []


def test_log_delivery_and_xray_statements_on_any_resource_are_flagged_but_allowed(review_app):
    flagged = [row for row in statement_rows(review_app) if row.any_resource and not row.key_policy]
    assert flagged, "the workflow role's log-delivery and X-Ray statements should be listed as *resource"
    assert all(row.problem() is None for row in flagged)
    assert {"DeliverExecutionLogs", "WriteTraces"} <= {row.sid for row in flagged}


def test_a_kms_key_policy_resource_star_means_this_key_and_passes(review_app):
    key_rows = [row for row in statement_rows(review_app) if row.key_policy]
    assert key_rows and all(row.any_resource for row in key_rows)
    assert all(row.problem() is None for row in key_rows)


def test_a_wildcard_action_fails_the_review(review_app):
    def widen(statements):
        statement(statements, "RecordPayment")["Action"] = ["dynamodb:*"]

    edit_policy(policy_with(review_app, "RecordPayment"), widen)
    assert [f.rule for f in iam_findings(review_app)] == ["wildcard-action"]


def test_an_action_that_takes_a_resource_on_any_resource_fails_the_review(review_app):
    def widen(statements):
        statement(statements, "InvokePaymentFunctions")["Resource"] = "*"

    edit_policy(policy_with(review_app, "InvokePaymentFunctions"), widen)
    (finding,) = iam_findings(review_app)
    assert "lambda:InvokeFunction" in finding.message


def test_one_resource_level_action_among_log_delivery_actions_on_any_resource_fails_the_review(review_app):
    def widen(statements):
        statement(statements, "DeliverExecutionLogs")["Action"].append("logs:PutLogEvents")

    edit_policy(policy_with(review_app, "DeliverExecutionLogs"), widen)
    (finding,) = iam_findings(review_app)
    assert "logs:PutLogEvents" in finding.message and "logs:CreateLogDelivery" not in finding.message
