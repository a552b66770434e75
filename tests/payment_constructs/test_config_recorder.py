"""PAYMENT_CONFIG_RECORDER=true: an AWS Config recorder for an account without one, recording log groups only."""

from __future__ import annotations

import json

import pytest

from tests.conftest import settings_from, synthesize


@pytest.fixture(scope="module")
def recorder_synth(tmp_path_factory):
    return synthesize(settings_from({"PAYMENT_CONFIG_RECORDER": "true"}), tmp_path_factory.mktemp("recorder"))


@pytest.fixture(scope="module")
def recorder_app(recorder_synth):
    return recorder_synth.stack("app")


def test_the_recorder_records_log_groups_only(recorder_app):
    _, recorder = recorder_app.only("aws_config_configuration_recorder")
    assert recorder["name"] == "payment-workflow-qa"
    assert recorder["recording_group"] == {"all_supported": False, "resource_types": ["AWS::Logs::LogGroup"]}


def test_the_recorder_is_started_after_its_delivery_channel_and_before_the_rule(recorder_app):
    status_name, status = recorder_app.only("aws_config_configuration_recorder_status")
    channel_name, _ = recorder_app.only("aws_config_delivery_channel")
    assert status["is_enabled"] is True
    assert f"aws_config_delivery_channel.{channel_name}" in status["depends_on"]
    _, rule = recorder_app.only("aws_config_config_rule")
    assert rule["depends_on"] == [f"aws_config_configuration_recorder_status.{status_name}"]


def test_the_config_bucket_is_private_versioned_and_encrypted_with_the_logs_key(recorder_app):
    (logs_key,) = {g["kms_key_id"] for g in recorder_app.named("aws_cloudwatch_log_group").values()}
    _, encryption = recorder_app.only("aws_s3_bucket_server_side_encryption_configuration")
    default = encryption["rule"][0]["apply_server_side_encryption_by_default"]
    assert (default["sse_algorithm"], default["kms_master_key_id"]) == ("aws:kms", logs_key)
    _, block = recorder_app.only("aws_s3_bucket_public_access_block")
    assert all(block[k] is True for k in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                                            "restrict_public_buckets"))
    _, versioning = recorder_app.only("aws_s3_bucket_versioning")
    assert versioning["versioning_configuration"]["status"] == "Enabled"
    _, policy = recorder_app.only("aws_s3_bucket_policy")
    (deny,) = json.loads(policy["policy"])["Statement"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})


def test_only_this_accounts_config_may_assume_the_recorder_role(recorder_app):
    (role,) = [r for r in recorder_app.named("aws_iam_role").values() if r["name"].endswith("-config-role")]
    (trust,) = json.loads(role["assume_role_policy"])["Statement"]
    assert trust["Principal"] == {"Service": "config.amazonaws.com"}
    assert list(trust["Condition"]["StringEquals"]) == ["aws:SourceAccount"]


def test_the_default_synth_has_no_recorder_bucket_or_channel(app_stack):
    for resource_type in ("aws_config_configuration_recorder", "aws_config_delivery_channel", "aws_s3_bucket"):
        assert app_stack.named(resource_type) == {}
