"""The library's log-group pattern, read from the stacks its README's use synthesizes (once per session)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cdktf_out.placeholders import with_placeholders
from cdktf_out.tree import SynthesizedApp, load
from synth_review.rules import findings
from tests.encrypted_logs.readme_app import readme_use

README_GROUPS = ("/aws/lambda/orders-api",)
pytestmark = pytest.mark.engine  # the README's app runs on the session's engine (make test-cdktn: CDK Terrain)


@pytest.fixture(scope="module")
def library_app(background_jobs) -> SynthesizedApp:
    return load(background_jobs["library_synth"].outcome())


def only(blocks: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    (found,) = blocks.items()
    return found


def key_policy(app: SynthesizedApp) -> dict[str, Any]:
    _, key = only(app.stack("keys").document["resource"]["aws_kms_key"])
    return json.loads(with_placeholders(key["policy"]))


def test_the_readme_shows_a_complete_use_in_under_25_lines():
    assert len(readme_use().splitlines()) < 25


def test_logs_may_use_the_key_only_for_exactly_the_log_groups_it_serves(library_app):
    (logs,) = [s for s in key_policy(library_app)["Statement"] if s["Sid"] == "CloudWatchLogsEncryptsLogGroups"]
    assert re.fullmatch(r"logs\.<region[^>]*>\.<[^>]*dns_suffix[^>]*>", logs["Principal"]["Service"])
    assert logs["Action"] == ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    arns = logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
    assert [arn.rsplit(":log-group:", 1)[1] for arn in arns] == list(README_GROUPS)
    assert not any("*" in arn for arn in arns)


def test_the_account_keeps_the_key_manageable(library_app):
    (admin,) = [s for s in key_policy(library_app)["Statement"] if s["Sid"] == "AccountAdministersKey"]
    assert admin["Action"] == "kms:*" and admin["Principal"]["AWS"].endswith(":root")


def test_the_key_arn_is_published_only_through_its_wait_which_carries_the_policy_digest(library_app):
    keys = library_app.stack("keys").document
    key_name, _ = only(keys["resource"]["aws_kms_key"])
    sleep_name, sleep = only(keys["resource"]["time_sleep"])
    assert sleep["triggers"] == {"key_arn": f"${{aws_kms_key.{key_name}.arn}}",
                                 "policy_sha256": f"${{sha256(aws_kms_key.{key_name}.policy)}}"}
    assert sleep["create_duration"] == "30s"
    assert keys["output"]["logs_key_arn"]["value"] == f"${{time_sleep.{sleep_name}.triggers.key_arn}}"


def test_every_log_group_waits_for_a_check_that_the_key_is_enabled(library_app):
    service = library_app.stack("service").document
    check_name, check = only(service["data"]["aws_kms_key"])
    (postcondition,) = check["lifecycle"]["postcondition"]
    assert 'self.key_state == "Enabled"' in postcondition["condition"]
    assert check["key_id"] == "${data.terraform_remote_state.keys.outputs.logs_key_arn}"
    _, group = only(service["resource"]["aws_cloudwatch_log_group"])
    assert group["depends_on"] == [f"data.aws_kms_key.{check_name}"]
    assert group["kms_key_id"] == check["key_id"]
    assert (group["name"], group["retention_in_days"]) == (README_GROUPS[0], 365)


def test_each_stack_keeps_its_own_state_and_the_reader_looks_where_the_key_stack_writes(library_app):
    keys, service = library_app.stack("keys").document, library_app.stack("service").document
    reader = service["data"]["terraform_remote_state"]["keys"]["config"]["path"]
    assert reader == keys["terraform"]["backend"]["local"]["path"] != service["terraform"]["backend"]["local"]["path"]


def test_the_review_finds_nothing_wrong_with_the_readme_use(library_app):
    assert [f for f in findings(library_app, None, None) if f.rule != "checkov"] == []
