"""The workflow-data key: a second key, so the payments and the logs never share one policy's mistakes."""

from __future__ import annotations

import json

import pytest

from cdktf_out.placeholders import with_placeholders
from tests.synthesized import reference


@pytest.fixture(scope="session")
def data_key(encryption_stack, names):
    return encryption_stack.key_by_alias(names.data_key_alias)


@pytest.fixture(scope="session")
def data_key_check(app_stack) -> str:
    (name,) = [
        n for n, data in app_stack.named_data("aws_kms_key").items()
        if data["key_id"] == "${data.terraform_remote_state.encryption.outputs.data_key_arn}"
    ]
    return name


@pytest.fixture(scope="session")
def checked_data_key_arn(data_key_check) -> str:
    return f"${{data.aws_kms_key.{data_key_check}.arn}}"


def role_policy(app_stack, role_arn: str) -> dict:
    return app_stack.role_policy(role_arn)[1]


def statement(policy: dict, sid: str) -> dict:
    (found,) = [s for s in policy["Statement"] if s["Sid"] == sid]
    return found


def test_the_data_key_is_not_the_logs_key(data_key, encryption_stack, names):
    logs_key_name, _ = encryption_stack.key_by_alias(names.logs_key_alias)
    assert data_key[0] != logs_key_name


def test_the_data_key_policy_lets_the_account_administer_it_and_log_delivery_decrypt(data_key):
    _, key = data_key
    policy = json.loads(with_placeholders(key["policy"]))
    assert policy["Statement"] == [
        {
            "Sid": "AccountAdministersKey",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:<partition>:iam::<account>:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "LogDeliveryDecryptsStateMachineData",
            "Effect": "Allow",
            "Principal": {"Service": "delivery.logs.amazonaws.com"},
            "Action": "kms:Decrypt*",
            "Resource": "*",
        },
    ]


def test_the_data_key_is_published_only_through_its_own_propagation_wait(encryption_stack, data_key):
    key_name, _ = data_key
    sleep_name, sleep = encryption_stack.sleep_for_key(key_name)
    assert sleep["triggers"]["policy_sha256"] == f"${{sha256(aws_kms_key.{key_name}.policy)}}"
    output = encryption_stack.output("data_key_arn")
    assert reference(output["value"]) == f"time_sleep.{sleep_name}.triggers.key_arn"


def test_the_data_key_is_checked_usable_like_the_logs_key(app_stack, data_key_check):
    check = app_stack.named_data("aws_kms_key")[data_key_check]
    assert 'self.key_state == "Enabled"' in check["lifecycle"]["postcondition"][0]["condition"]


def test_the_state_machine_encrypts_execution_data_with_the_checked_data_key(app_stack, checked_data_key_arn):
    _, machine = app_stack.only("aws_sfn_state_machine")
    assert machine["encryption_configuration"]["type"] == "CUSTOMER_MANAGED_KMS_KEY"
    assert machine["encryption_configuration"]["kms_key_id"] == checked_data_key_arn


def test_the_state_machine_role_may_use_the_data_key_only_for_this_state_machine(app_stack, checked_data_key_arn):
    _, machine = app_stack.only("aws_sfn_state_machine")
    execution = statement(role_policy(app_stack, machine["role_arn"]), "EncryptExecutionData")
    assert sorted(execution["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert execution["Resource"] == [checked_data_key_arn]
    (context,) = execution["Condition"]["StringEquals"].items()
    assert context[0] == "kms:EncryptionContext:aws:states:stateMachineArn"
    assert with_placeholders(context[1]) == (
        "arn:<partition>:states:<region>:<account>:stateMachine:sfn-payment-workflow-qa"
    )


def test_the_state_machine_role_may_make_data_keys_for_log_delivery_only(app_stack, checked_data_key_arn):
    _, machine = app_stack.only("aws_sfn_state_machine")
    delivery = statement(role_policy(app_stack, machine["role_arn"]), "EncryptDeliveredLogs")
    assert delivery["Action"] == ["kms:GenerateDataKey"]
    assert delivery["Resource"] == [checked_data_key_arn]
    assert {k: with_placeholders(v) for k, v in delivery["Condition"]["StringEquals"].items()} == {
        "kms:EncryptionContext:SourceArn": "arn:<partition>:logs:<region>:<account>:*"
    }


def test_both_functions_encrypt_their_environment_with_the_data_key(app_stack, checked_data_key_arn):
    for function in app_stack.named("aws_lambda_function").values():
        assert function["kms_key_arn"] == checked_data_key_arn
        decrypt = statement(role_policy(app_stack, function["role"]), "DecryptEnvironment")
        assert decrypt["Action"] == ["kms:Decrypt"]
        assert decrypt["Resource"] == [checked_data_key_arn]


def test_the_ledger_is_encrypted_with_the_data_key(app_stack, checked_data_key_arn):
    _, table = app_stack.only("aws_dynamodb_table")
    assert table["server_side_encryption"] == {"enabled": True, "kms_key_arn": checked_data_key_arn}


def test_processing_may_use_the_data_key_only_through_dynamodb(app_stack, checked_data_key_arn):
    (processing,) = [
        f for f in app_stack.named("aws_lambda_function").values()
        if f["function_name"] == "lambda-payment-processing-qa"
    ]
    use = statement(role_policy(app_stack, processing["role"]), "UseDataKeyThroughDynamoDB")
    assert use["Resource"] == [checked_data_key_arn]
    assert with_placeholders(use["Condition"]["StringEquals"]["kms:ViaService"]) == "dynamodb.<region>.<dns_suffix>"


def test_nothing_in_the_app_stack_uses_the_logs_key_for_data(app_stack):
    logs_key_reads = [
        name for name, data in app_stack.named_data("aws_kms_key").items()
        if "logs_key_arn" in data["key_id"]
    ]
    text = json.dumps({
        t: app_stack.named(t)
        for t in ("aws_lambda_function", "aws_sfn_state_machine", "aws_dynamodb_table", "aws_iam_role_policy")
    })
    assert "logs_key_arn" not in text
    assert not any(f"data.aws_kms_key.{name}." in text for name in logs_key_reads)
