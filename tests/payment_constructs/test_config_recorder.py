"""PAYMENT_CONFIG_RECORDER=true: an AWS Config recorder for an account without one, recording log groups only."""

from __future__ import annotations

import json

import pytest
from moto.iam.access_control import IAMPolicy, PermissionResult

from cdktf_out.expressions import as_reference, has_interpolation, substitute

ACCOUNT, OTHER_ACCOUNT, REGION = "111122223333", "444455556666", "eu-west-1"
BUCKET = "arn:aws:s3:::payment-workflow-qa-config-20261202"
AS_DEPLOYED = {  # what Terraform puts in place of each reference of the role's policy, in this account
    ("aws_s3_bucket", "arn"): BUCKET,
    ("data.aws_caller_identity", "account_id"): ACCOUNT,
    ("data.aws_region", "region"): REGION,
    ("data.aws_partition", "dns_suffix"): "amazonaws.com",
    ("data.terraform_remote_state", "outputs.logs_key_arn"): f"arn:aws:kms:{REGION}:{ACCOUNT}:key/k",
}


def as_deployed(expression: str) -> str | None:
    reference = as_reference(expression)
    return AS_DEPLOYED.get((reference.address.rsplit(".", 1)[0], reference.attribute)) if reference else None


@pytest.fixture(scope="module")
def recorder_app(recorder_synthesized):
    return recorder_synthesized.stack("app")


@pytest.fixture(scope="module")
def recorder_role_policy(recorder_app) -> IAMPolicy:
    """The recorder role's inline policy, with this account's values where the references are."""
    (role,) = [name for name, r in recorder_app.named("aws_iam_role").items() if r["name"].endswith("-config-role")]
    (policy,) = [p["policy"] for p in recorder_app.named("aws_iam_role_policy").values()
                 if p["role"] == f"${{aws_iam_role.{role}.id}}"]
    policy = substitute(policy, as_deployed)
    assert not has_interpolation(policy), policy
    return IAMPolicy(policy)


def test_the_recorder_role_may_write_where_aws_config_delivers_and_nowhere_else(recorder_app, recorder_role_policy):
    """AWS Config writes history and snapshots under [prefix/]AWSLogs/<account>/Config/ of the channel's bucket (AWS
    Config developer guide, "Permissions for the Amazon S3 Bucket for the AWS Config Delivery Channel"), as the
    recorder's role ("Permissions for the IAM Role Assigned to AWS Config")."""
    _, channel = recorder_app.only("aws_config_delivery_channel")
    prefix = "/".join(filter(None, [channel.get("s3_key_prefix"), "AWSLogs"]))
    delivered = f"{BUCKET}/{prefix}/{ACCOUNT}/Config"
    history = f"{REGION}/2026/12/2/ConfigHistory/{ACCOUNT}_Config_{REGION}_ConfigHistory_AWS::Logs::LogGroup_1.json.gz"
    allowed = recorder_role_policy.is_action_permitted
    for key in ("ConfigWritabilityCheckFile", history, history.replace("ConfigHistory", "ConfigSnapshot")):
        assert allowed("s3:PutObject", f"{delivered}/{key}") is PermissionResult.PERMITTED
    assert allowed("s3:GetBucketAcl", BUCKET) is PermissionResult.PERMITTED
    for elsewhere in (f"{BUCKET}/{prefix}/{OTHER_ACCOUNT}/Config/{history}", f"{BUCKET}/other/{history}",
                      f"arn:aws:s3:::someone-elses-bucket/{prefix}/{ACCOUNT}/Config/{history}"):
        assert allowed("s3:PutObject", elsewhere) is not PermissionResult.PERMITTED
    assert allowed("s3:DeleteObject", f"{delivered}/x") is not PermissionResult.PERMITTED


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
