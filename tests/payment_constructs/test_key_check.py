"""The declarative key check: the plan fails on an unusable key before any log group is created."""

from __future__ import annotations

import pytest

from tests.synthesized import reference


@pytest.fixture(scope="session")
def key_check(app_stack) -> tuple[str, dict]:
    """The check of the log-group key (the data key has its own, tested with the data key)."""
    (found,) = [
        (name, data) for name, data in app_stack.named_data("aws_kms_key").items()
        if data["key_id"] == "${data.terraform_remote_state.encryption.outputs.logs_key_arn}"
    ]
    return found


def test_the_key_check_reads_the_key_the_log_groups_use(key_check, app_stack):
    _, data = key_check
    assert reference(data["key_id"]) == "data.terraform_remote_state.encryption.outputs.logs_key_arn"


def test_a_disabled_key_fails_the_plan_before_any_log_group_is_created(key_check):
    _, data = key_check
    (postcondition,) = data["lifecycle"]["postcondition"]
    condition = postcondition["condition"]
    for requirement in (
        "self.enabled",
        'self.key_state == "Enabled"',
        'self.key_usage == "ENCRYPT_DECRYPT"',
        'self.customer_master_key_spec == "SYMMETRIC_DEFAULT"',
    ):
        assert requirement in condition
    assert " || " not in condition, "every requirement must hold, not any one of them"


def test_the_key_check_message_says_what_to_do(key_check):
    _, data = key_check
    message = data["lifecycle"]["postcondition"][0]["error_message"]
    assert "cdktf deploy encryption" in message
    assert "enable" in message


def test_every_log_group_depends_on_the_key_check(key_check, app_stack):
    name, _ = key_check
    for group in app_stack.named("aws_cloudwatch_log_group").values():
        assert f"data.aws_kms_key.{name}" in group["depends_on"]


def test_the_key_is_checked_without_shelling_out(synthesized):
    import json

    for stack in ("app", "encryption"):
        text = json.dumps(synthesized.stack(stack).document)
        assert "null_resource" not in text
        assert "local-exec" not in text
