"""The log groups of the app stack (one per step, and the state machine's): names, retention, and their key."""

from __future__ import annotations

import pytest

from tests.synthesized import reference


@pytest.fixture(scope="session")
def log_groups(app_stack) -> dict[str, dict]:
    return {group["name"]: group for group in app_stack.named("aws_cloudwatch_log_group").values()}


def test_the_app_stack_creates_exactly_a_log_group_per_step_and_the_state_machines(log_groups, steps):
    assert sorted(log_groups) == sorted([
        *(f"/aws/lambda/lambda-payment-{step}-qa" for step in steps),
        "/aws/vendedlogs/states/sfn-payment-workflow-qa",
    ])


def test_every_log_group_keeps_logs_as_long_as_configured(log_groups, settings):
    assert {g["retention_in_days"] for g in log_groups.values()} == {settings.log_retention_days} == {400}


def test_every_log_group_is_encrypted_with_the_key_read_from_the_encryption_stack_state(log_groups):
    for group in log_groups.values():
        assert reference(group["kms_key_id"]) == "data.terraform_remote_state.encryption.outputs.logs_key_arn"


def test_every_log_group_waits_for_the_key_policy_to_propagate(log_groups, encryption_stack, names):
    """Follow kms_key_id back across the two states: it must resolve to the sleep's trigger, not to the key."""
    key_name, _ = encryption_stack.key_by_alias(names.logs_key_alias)
    sleep_name, sleep = encryption_stack.sleep_for_key(key_name)
    assert reference(sleep["triggers"]["key_arn"]) == f"aws_kms_key.{key_name}.arn"
    for group in log_groups.values():
        output_name = reference(group["kms_key_id"]).rsplit(".", 1)[-1]
        through = reference(encryption_stack.output(output_name)["value"])
        assert through == f"time_sleep.{sleep_name}.triggers.key_arn"


def test_no_log_group_can_bypass_the_wait_by_naming_the_key_directly(log_groups):
    for group in log_groups.values():
        key = group["kms_key_id"]
        assert "aws_kms_key." not in key and "alias/" not in key and not key.startswith("arn:")
