"""checkov as a gate: every check it runs on the synthesized stacks passes, and every skip says why."""

from __future__ import annotations

import pytest

from synth_review.rules.checkov_rules import (
    CONFIG,
    DEV_ONLY_SKIPS,
    CheckovResult,
    configured_skips,
    run_checkov,
    skips_for,
)


@pytest.fixture(scope="session")
def checkov_result(synthesized, kept_checkov) -> CheckovResult:
    return run_checkov(synthesized.outdir, kept_checkov)


@pytest.mark.slow
def test_checkov_finds_no_failed_check_in_the_synthesized_stacks(checkov_result):
    failures = "\n".join(failure.line() for failure in checkov_result.failed)
    assert not checkov_result.failed, f"checkov failed {len(checkov_result.failed)} check(s):\n{failures}"


@pytest.mark.slow
def test_checkov_reads_both_stacks_without_a_parsing_error(checkov_result):
    assert checkov_result.parsing_errors == ()
    assert {f.split("/")[1] for f in checkov_result.passed_files} == {"app", "encryption"}


def test_every_skip_names_one_check_and_gives_its_reason_on_the_same_line():
    skips = configured_skips(CONFIG)
    listed = [line for line in CONFIG.read_text().splitlines() if line.lstrip().startswith("- CKV")]
    assert len(skips) == len(listed), "a skip line the review cannot read"
    assert all(skip.reason for skip in skips), [skip.check for skip in skips if not skip.reason]


def test_no_check_is_skipped_twice():
    checks = [skip.check for skip in configured_skips(CONFIG)]
    assert len(checks) == len(set(checks))


@pytest.mark.slow
def test_outside_dev_retention_and_reserved_concurrency_are_checked_not_skipped(synthesized, checkov_result):
    skipped = {skip.check for skip in checkov_result.skips}
    assert skipped == {skip.check for skip in configured_skips(CONFIG)}
    assert not skipped & {"CKV_AWS_115", "CKV_AWS_338"}


def test_a_dev_synth_skips_only_what_dev_does_differently_on_purpose(synthesized, tmp_path):
    import json
    import shutil

    dev = shutil.copytree(synthesized.outdir, tmp_path / "cdktf.out")
    for stack_file in dev.glob("stacks/*/cdk.tf.json"):
        document = json.loads(stack_file.read_text())
        document["provider"]["aws"][0]["default_tags"][0]["tags"]["environment"] = "dev"
        stack_file.write_text(json.dumps(document))
    assert skips_for(dev) == [*configured_skips(CONFIG), *DEV_ONLY_SKIPS]
    assert all(skip.reason for skip in DEV_ONLY_SKIPS)


def test_the_review_names_the_dev_environment_and_the_state_bucket_stack_as_the_app_does():
    from payment_constructs import stack_contract
    from payment_settings import settings
    from synth_review.rules import checkov_rules as checkov_gate

    assert checkov_gate.DEV_ENVIRONMENT == settings.DEV_ENVIRONMENT
    assert checkov_gate.STATE_BUCKET_STACK == stack_contract.STATE_BUCKET_STACK
