"""Operators get access by setting: each role of PAYMENT_OPERATOR_ROLE_ARNS gets exactly what starting and inspecting
executions needs, from the state machine's grant methods; and both stacks' AWS provider refuses any account but
PAYMENT_AWS_ACCOUNT_ID."""

from __future__ import annotations

import json

import pytest

from cdktf_out.expressions import has_interpolation
from cdktf_out.placeholders import with_placeholders
from cdktf_out.tree import load
from payment_settings.settings import Settings, SettingsError
from synth_review.rules.iam_rules import iam_findings
from tests.conftest import TEST_ENVIRONMENT

ACCOUNT = TEST_ENVIRONMENT["PAYMENT_AWS_ACCOUNT_ID"]
OPERATORS = {"payments-operator", "payments-auditor"}  # the roles TEST_ENVIRONMENT names
MACHINE_ARN = "arn:<partition>:states:<region>:<account>:stateMachine:sfn-payment-workflow-qa"


def problem_of(**settings: str) -> str:
    with pytest.raises(SettingsError) as refused:
        Settings.from_environment({**TEST_ENVIRONMENT, **settings})
    (problem,) = refused.value.problems
    return problem


def operator_policies(app_stack) -> dict[str, dict]:
    """role name -> the inline policy this environment attached to it (the roles are the account's, not ours)."""
    return {policy["role"]: policy for policy in app_stack.named("aws_iam_role_policy").values()
            if not has_interpolation(policy["role"])}


@pytest.fixture(scope="module")
def statements(app_stack) -> dict[str, dict[str, dict]]:
    """role name -> Sid -> statement, with the account, region and partition as placeholders."""
    return {role: {s["Sid"]: s for s in json.loads(with_placeholders(policy["policy"]))["Statement"]}
            for role, policy in operator_policies(app_stack).items()}


def test_each_operator_role_gets_one_inline_policy_of_this_environment(app_stack):
    policies = operator_policies(app_stack)
    assert set(policies) == OPERATORS
    assert {policy["name"] for policy in policies.values()} == {"payment-workflow-operator-qa"}


def test_an_operator_may_start_executions_of_this_state_machine_only(statements):
    for granted in statements.values():
        assert granted["StartPaymentExecutions"] == {
            "Sid": "StartPaymentExecutions", "Effect": "Allow", "Action": ["states:StartExecution"],
            "Resource": [MACHINE_ARN]}


def test_an_operator_may_read_this_state_machines_executions_and_their_history_only(statements):
    for granted in statements.values():
        assert granted["ReadPaymentExecutions"] == {
            "Sid": "ReadPaymentExecutions", "Effect": "Allow",
            "Action": ["states:DescribeExecution", "states:GetExecutionHistory"],
            "Resource": ["arn:<partition>:states:<region>:<account>:execution:sfn-payment-workflow-qa:*"]}


def test_an_operator_may_use_the_data_key_only_through_step_functions_for_this_state_machine(statements, app_stack):
    (data_key_check,) = [name for name, data in app_stack.named_data("aws_kms_key").items()
                         if data["key_id"].endswith(".outputs.data_key_arn}")]
    for granted in statements.values():
        assert granted["UseDataKeyThroughPaymentWorkflow"] == {
            "Sid": "UseDataKeyThroughPaymentWorkflow", "Effect": "Allow",
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Resource": [f"${{data.aws_kms_key.{data_key_check}.arn}}"],
            "Condition": {"StringEquals": {
                "kms:ViaService": "states.<region>.<dns_suffix>",
                "kms:EncryptionContext:aws:states:stateMachineArn": MACHINE_ARN}}}


def test_an_operator_gets_nothing_else(statements):
    for granted in statements.values():
        assert sorted(granted) == ["ReadPaymentExecutions", "StartPaymentExecutions",
                                   "UseDataKeyThroughPaymentWorkflow"]


def test_the_state_machines_arn_in_the_grants_is_the_one_it_is_created_with(statements, app_stack):
    (machine,) = app_stack.named("aws_sfn_state_machine").values()
    assert MACHINE_ARN.endswith(f":stateMachine:{machine['name']}")


def test_the_reviews_iam_rule_holds_the_operator_policies_and_sees_them_widened(synthesized):
    review_app = load(synthesized.outdir)  # read anew: this test changes it
    assert not [f for f in iam_findings(review_app) if "operator" in f.subject]
    stack = review_app.stack("app")
    block = next(b for b in stack.resources("aws_iam_role_policy") if b.body["role"] == "payments-operator")
    policy = json.loads(block.body["policy"])
    policy["Statement"][0]["Action"] = ["states:*"]
    block.body["policy"] = json.dumps(policy)
    (finding,) = [f for f in iam_findings(review_app) if "operator" in f.subject]
    assert (finding.rule, finding.statement) == ("wildcard-action", "StartPaymentExecutions")


@pytest.mark.parametrize("stack", ["encryption_stack", "app_stack"])
def test_both_stacks_providers_refuse_every_account_but_the_settings_one(request, stack):
    (provider,) = request.getfixturevalue(stack).document["provider"]["aws"]
    assert provider["allowed_account_ids"] == [ACCOUNT]


def test_the_account_is_required_outside_dev():
    problem = problem_of(PAYMENT_AWS_ACCOUNT_ID="", PAYMENT_OPERATOR_ROLE_ARNS="")
    assert problem.startswith("PAYMENT_AWS_ACCOUNT_ID='' is required outside dev: set it to the 12-digit ID of the "
                              "AWS account environment 'qa' deploys to")


def test_dev_needs_no_account():
    assert Settings.from_environment({}).aws_account_id is None


@pytest.mark.parametrize("account", ["12345678901", "1234567890123", "1234-5678-9012", "abcdefghijkl"])
def test_an_account_id_is_twelve_digits(account):
    assert problem_of(PAYMENT_AWS_ACCOUNT_ID=account, PAYMENT_OPERATOR_ROLE_ARNS="").endswith(
        "is not an AWS account ID; use its 12 digits, e.g. 111122223333")


@pytest.mark.parametrize(("arns", "says"), [
    ("payments-operator", "which is not an IAM role ARN"),
    (f"arn:aws:iam::{ACCOUNT}:user/alice", "which is not an IAM role ARN"),
    (f"arn:aws-cn:iam::{ACCOUNT}:role/ops", "in partition 'aws-cn', but the region is in 'aws'"),
    ("arn:aws:iam::999988887777:role/ops", "of account '999988887777'; operators must be roles of this account"),
    (f"arn:aws:iam::{ACCOUNT}:role/" + "r" * 65, "whose name is not an IAM role name"),
    (f"arn:aws:iam::{ACCOUNT}:role/ops team", "whose name is not an IAM role name"),
    (f"arn:aws:iam::{ACCOUNT}:role/ops team/x", "whose path is not an IAM path"),
    (f"arn:aws:iam::{ACCOUNT}:role/a, arn:aws:iam::{ACCOUNT}:role/team/A", "names the role 'A' twice"),
])
def test_an_operator_role_that_is_not_a_role_of_this_account_is_refused(arns, says):
    problem = problem_of(PAYMENT_OPERATOR_ROLE_ARNS=arns)
    assert problem.startswith("PAYMENT_OPERATOR_ROLE_ARNS=") and says in problem


def test_operators_need_the_account_to_be_checked_against():
    problem = problem_of(PAYMENT_ENVIRONMENT="dev", PAYMENT_AWS_ACCOUNT_ID="",
                         PAYMENT_OPERATOR_ROLE_ARNS="arn:aws:iam::111122223333:role/ops")
    assert "PAYMENT_AWS_ACCOUNT_ID is not set" in problem


def test_operator_roles_in_a_china_region_use_its_partition_and_spaces_after_commas_are_fine():
    settings = Settings.from_environment({
        **TEST_ENVIRONMENT, "PAYMENT_AWS_REGION": "cn-north-1",
        "PAYMENT_OPERATOR_ROLE_ARNS": f"arn:aws-cn:iam::{ACCOUNT}:role/ops, arn:aws-cn:iam::{ACCOUNT}:role/x/y/audit"})
    assert settings.operator_role_arns == (f"arn:aws-cn:iam::{ACCOUNT}:role/ops",
                                           f"arn:aws-cn:iam::{ACCOUNT}:role/x/y/audit")
