"""`make bootstrap-state`'s stack: the S3 bucket for the s3 backend, in its own stack with its own local state; it
passes the review, checkov included, with CKV_AWS_145 skipped for this tree alone and said why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from cdktf_out.placeholders import with_placeholders
from cdktf_out.tree import Stack, load
from payment_constructs.stack_contract import STATE_BUCKET_STACK
from payment_settings.settings import PROJECT_ROOT, Settings
from payment_settings.state_bucket_settings import StateBucket, state_bucket_for
from synth_review import cli as review_cli
from synth_review.rules.checkov_rules import STATE_BUCKET_SKIPS, configured_skips, skips_for
from tests.conftest import TEST_ENVIRONMENT
from tests.session_synths import fast_path

pytestmark = pytest.mark.engine  # the state-bucket app is synthesized in this process, on the session's engine
BUCKET = "payment-state-qa-444455556666-eu-west-1"


@pytest.fixture(scope="module")
def tree(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The state-bucket app of the test settings, synthesized as bootstrap_state.py does."""
    outdir = tmp_path_factory.mktemp("state-bucket") / "state-bucket.out"
    with fast_path():
        from cdktf import App

        from payment_constructs.state_bucket import StateBucketStack

        app = App(outdir=str(outdir))
        StateBucketStack(app, STATE_BUCKET_STACK, settings, state_bucket_for(settings))
        app.synth()
    return outdir


@pytest.fixture(scope="module")
def stack(tree: Path) -> Stack:
    return load(tree).stack(STATE_BUCKET_STACK)


def one(stack: Stack, resource_type: str) -> dict:
    return stack.only(resource_type)[1]


def test_the_bucket_is_named_after_environment_account_and_region_unless_the_s3_settings_name_one(settings):
    assert state_bucket_for(settings) == StateBucket(BUCKET, "eu-west-1")
    named = Settings.from_environment({**TEST_ENVIRONMENT, "PAYMENT_STATE_BACKEND": "s3",
                                       "PAYMENT_STATE_BUCKET": "acme-state", "PAYMENT_STATE_REGION": "us-east-2"})
    assert state_bucket_for(named) == StateBucket("acme-state", "us-east-2")


def test_a_bucket_cannot_be_named_without_an_account_or_a_bucket_setting():
    with pytest.raises(ValueError, match="make bootstrap-state needs a bucket name: set PAYMENT_AWS_ACCOUNT_ID"):
        state_bucket_for(Settings.from_environment({}))


def test_the_stack_keeps_its_own_state_in_a_local_file_outside_the_output(stack, tree):
    kind, config = stack.backend
    resolved = (tree / "stacks" / STATE_BUCKET_STACK / config["path"]).resolve()
    assert (kind, resolved) == ("local", PROJECT_ROOT / "terraform-state" / "qa" / "state-bucket.tfstate")


def test_its_provider_acts_only_in_the_settings_account_and_the_buckets_region(stack):
    (provider,) = stack.document["provider"]["aws"]
    assert (provider["region"], provider["allowed_account_ids"]) == ("eu-west-1", ["444455556666"])


def test_the_bucket_survives_destroy_and_is_never_emptied_by_terraform(stack):
    bucket = one(stack, "aws_s3_bucket")
    assert (bucket["bucket"], bucket["force_destroy"], bucket["lifecycle"]) == (BUCKET, False,
                                                                              {"prevent_destroy": True})


def test_every_earlier_state_is_kept_as_a_version(stack):
    assert one(stack, "aws_s3_bucket_versioning")["versioning_configuration"] == {"status": "Enabled"}


def test_default_encryption_is_sse_s3_what_the_s3_backend_writes_anyway(stack):
    (rule,) = one(stack, "aws_s3_bucket_server_side_encryption_configuration")["rule"]
    assert rule["apply_server_side_encryption_by_default"] == {"sse_algorithm": "AES256"}


def test_all_public_access_is_blocked_and_acls_are_off(stack):
    block = one(stack, "aws_s3_bucket_public_access_block")
    assert all(block[flag] is True for flag in ("block_public_acls", "block_public_policy", "ignore_public_acls",
                                                 "restrict_public_buckets"))
    assert one(stack, "aws_s3_bucket_ownership_controls")["rule"] == {"object_ownership": "BucketOwnerEnforced"}


def test_the_bucket_policy_denies_every_request_without_tls(stack):
    (statement,) = json.loads(with_placeholders(one(stack, "aws_s3_bucket_policy")["policy"]))["Statement"]
    assert statement == {
        "Sid": "DenyWithoutTls", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
        "Resource": ["${aws_s3_bucket.bucket.arn}", "${aws_s3_bucket.bucket.arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def test_old_state_versions_expire_after_90_days_and_lock_files_leave_no_markers(stack):
    (rule,) = one(stack, "aws_s3_bucket_lifecycle_configuration")["rule"]
    assert rule["status"] == "Enabled" and rule["filter"] == [{}]
    assert rule["noncurrent_version_expiration"] == [{"noncurrent_days": 90}]
    assert rule["expiration"] == [{"expired_object_delete_marker": True}]
    assert rule["abort_incomplete_multipart_upload"] == [{"days_after_initiation": 7}]


def test_the_kms_default_check_is_skipped_for_the_state_bucket_tree_alone_with_its_reason(tree, synthesized):
    assert skips_for(tree) == [*configured_skips(), *STATE_BUCKET_SKIPS]
    assert "CKV_AWS_145" not in {skip.check for skip in skips_for(synthesized.outdir)}
    assert all(skip.reason for skip in STATE_BUCKET_SKIPS)


@pytest.mark.slow
def test_the_state_bucket_passes_the_review_and_checkov(tree, kept_checkov, tmp_path, capsys):
    copy = Path(shutil.copytree(tree, tmp_path / "state-bucket.out"))
    assert review_cli.main(["--outdir", str(copy), "--checkov", str(kept_checkov)]) == 0
    out = capsys.readouterr().out
    assert "checkov 3.3.30: " in out and ", 0 failed, " in out
    assert "PASS: no review rule failed" in out
