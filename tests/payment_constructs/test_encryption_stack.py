"""The encryption stack, read from its synthesized JSON: the key, its policy, its alias, and the propagation wait."""

from __future__ import annotations

import json

import pytest

from cdktf_out.placeholders import log_group_arn_pattern, with_placeholders
from synth_review.rules.key_policy_rules import logs_key_policy_problems
from tests.synthesized import reference


@pytest.fixture(scope="session")
def logs_key(encryption_stack, names):
    return encryption_stack.key_by_alias(names.logs_key_alias)


@pytest.fixture(scope="session")
def logs_key_sleep(encryption_stack, logs_key):
    return encryption_stack.sleep_for_key(logs_key[0])


@pytest.fixture(scope="session")
def key_policy(logs_key) -> dict:
    _, key = logs_key
    return json.loads(with_placeholders(key["policy"]))


def statement(policy: dict, sid: str) -> dict:
    (found,) = [s for s in policy["Statement"] if s["Sid"] == sid]
    return found


def test_logs_may_use_the_key_only_for_the_three_workflow_log_groups(key_policy, log_group_names):
    logs = statement(key_policy, "CloudWatchLogsEncryptsWorkflowLogGroups")
    assert logs["Condition"] == {
        "ArnEquals": {
            "kms:EncryptionContext:aws:logs:arn": [
                f"arn:<partition>:logs:<region>:<account>:log-group:{group}" for group in log_group_names
            ]
        }
    }


def test_the_three_log_group_arns_in_the_key_policy_are_exact_with_no_wildcard(key_policy):
    arns = statement(key_policy, "CloudWatchLogsEncryptsWorkflowLogGroups")["Condition"]["ArnEquals"][
        "kms:EncryptionContext:aws:logs:arn"
    ]
    assert len(arns) == 3
    assert not any("*" in arn or arn.endswith(":") for arn in arns)


def test_the_log_group_names_in_the_key_policy_are_the_ones_the_app_stack_creates(key_policy, app_stack):
    created = sorted(group["name"] for group in app_stack.named("aws_cloudwatch_log_group").values())
    arns = statement(key_policy, "CloudWatchLogsEncryptsWorkflowLogGroups")["Condition"]["ArnEquals"][
        "kms:EncryptionContext:aws:logs:arn"
    ]
    assert sorted(arns) == sorted(log_group_arn_pattern(name) for name in created)


def test_the_logs_principal_is_regional_in_the_key_region(key_policy):
    logs = statement(key_policy, "CloudWatchLogsEncryptsWorkflowLogGroups")
    assert logs["Principal"] == {"Service": "logs.<region>.<dns_suffix>"}


def test_logs_gets_exactly_the_five_actions_the_user_guide_lists(key_policy):
    logs = statement(key_policy, "CloudWatchLogsEncryptsWorkflowLogGroups")
    assert sorted(logs["Action"]) == sorted(
        ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    )
    assert logs["Resource"] == "*"
    assert logs["Effect"] == "Allow"


def test_the_account_root_administers_the_key_so_it_can_never_become_unmanageable(key_policy):
    admin = statement(key_policy, "AccountAdministersKey")
    assert admin == {
        "Sid": "AccountAdministersKey",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:<partition>:iam::<account>:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


def test_the_key_policy_has_no_other_statement(key_policy):
    assert sorted(s["Sid"] for s in key_policy["Statement"]) == [
        "AccountAdministersKey",
        "CloudWatchLogsEncryptsWorkflowLogGroups",
    ]


def test_arns_and_principals_come_from_the_partition_region_and_account_data_sources(logs_key, encryption_stack):
    _, key = logs_key
    for data_type in ("aws_partition", "aws_region", "aws_caller_identity"):
        (name,) = encryption_stack.named_data(data_type)
        assert f"${{data.{data_type}.{name}." in key["policy"]
    assert "arn:aws:" not in key["policy"], "a hard-coded partition breaks aws-cn and aws-us-gov"


def test_the_synthesized_key_policy_passes_the_logs_key_check(logs_key, log_group_names):
    _, key = logs_key
    assert logs_key_policy_problems(key["policy"], log_group_names) == []


def test_the_original_failure_a_policy_without_the_encryption_context_condition_is_caught(logs_key, log_group_names):
    _, key = logs_key
    policy = json.loads(key["policy"])
    for s in policy["Statement"]:
        s.pop("Condition", None)  # the post-mortem's key policy: the logs principal with no encryption context
    (problem,) = logs_key_policy_problems(json.dumps(policy), log_group_names)
    assert "no kms:EncryptionContext:aws:logs:arn condition" in problem


@pytest.mark.parametrize(
    ("mistake", "mutate"),
    [
        ("a global logs principal", lambda s: s.update(Principal={"Service": "logs.amazonaws.com"})),
        ("ArnEquals with a wildcard", lambda s: s["Condition"]["ArnEquals"].update(
            {"kms:EncryptionContext:aws:logs:arn": ["arn:aws:logs:eu-west-1:1:log-group:*"]})),
        ("a missing GenerateDataKey*", lambda s: s["Action"].remove("kms:GenerateDataKey*")),
    ],
)
def test_other_ways_to_break_log_group_encryption_are_caught(logs_key, log_group_names, mistake, mutate):
    _, key = logs_key
    policy = json.loads(key["policy"])
    mutate(next(s for s in policy["Statement"] if s["Sid"] == "CloudWatchLogsEncryptsWorkflowLogGroups"))
    assert logs_key_policy_problems(json.dumps(policy), log_group_names), mistake


@pytest.mark.parametrize("alias", ["logs_key_alias", "data_key_alias"])
def test_every_key_is_symmetric_rotated_and_for_encryption(encryption_stack, names, alias):
    _, key = encryption_stack.key_by_alias(getattr(names, alias))
    assert key["customer_master_key_spec"] == "SYMMETRIC_DEFAULT"
    assert key["key_usage"] == "ENCRYPT_DECRYPT"
    assert key["enable_key_rotation"] is True


def test_the_key_deletion_window_comes_from_settings(encryption_stack, settings):
    windows = [key["deletion_window_in_days"] for key in encryption_stack.named("aws_kms_key").values()]
    assert windows == [settings.key_deletion_window_days] * 3 == [10, 10, 10]


def test_each_key_has_an_alias_naming_its_purpose_and_environment(encryption_stack):
    aliases = sorted(a["name"] for a in encryption_stack.named("aws_kms_alias").values())
    assert aliases == [
        "alias/payment-workflow-alerts-qa", "alias/payment-workflow-data-qa", "alias/payment-workflow-logs-qa"
    ]
    targets = {reference(a["target_key_id"]) for a in encryption_stack.named("aws_kms_alias").values()}
    assert targets == {f"aws_kms_key.{name}.key_id" for name in encryption_stack.named("aws_kms_key")}


def test_every_resource_is_tagged_with_project_environment_and_owner(encryption_stack, settings):
    (provider,) = encryption_stack.document["provider"]["aws"]
    assert provider["region"] == settings.region
    assert provider["default_tags"] == [
        {"tags": {"project": "payment-workflow", "environment": "qa", "managed-by": "cdktf"}}
    ]


def test_every_propagation_wait_lasts_as_configured(encryption_stack, settings):
    durations = [sleep["create_duration"] for sleep in encryption_stack.named("time_sleep").values()]
    assert durations == [settings.kms_propagation_wait] * 3 == ["45s", "45s", "45s"]


def test_the_wait_reruns_when_the_key_or_its_policy_changes(logs_key, logs_key_sleep):
    key_name, _ = logs_key
    _, sleep = logs_key_sleep
    assert sleep["triggers"] == {
        "key_arn": f"${{aws_kms_key.{key_name}.arn}}",
        "policy_sha256": f"${{sha256(aws_kms_key.{key_name}.policy)}}",
    }


def test_the_key_arn_is_published_only_through_the_wait(encryption_stack, logs_key_sleep):
    sleep_name, _ = logs_key_sleep
    output = encryption_stack.output("logs_key_arn")
    assert reference(output["value"]) == f"time_sleep.{sleep_name}.triggers.key_arn"
    assert "aws_kms_key" not in json.dumps(encryption_stack.document["output"])


def test_the_time_provider_is_hashicorp_time(encryption_stack):
    assert encryption_stack.document["terraform"]["required_providers"]["time"]["source"] == "hashicorp/time"
