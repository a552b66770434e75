"""The change review's verdict: acknowledgements by name, findings new and fixed, text a reviewer can paste."""

from __future__ import annotations

import pytest

from cdktf_out.tree import load
from synth_review.change.acknowledgement import AcknowledgementError, acknowledged, parse
from synth_review.change.change_report import WIDTH, ChangeReview, render_markdown, render_text
from synth_review.change.change_set import Change, Severity, diff_apps
from synth_review.change.findings_delta import compare
from synth_review.rules import findings
from tests.synth_review.conftest import first

TABLE = Change(Severity.DESTRUCTIVE, "app", "aws_dynamodb_table.ledger", "REPLACED", kind="replaced")
APP_BACKEND = Change(Severity.DESTRUCTIVE, "app", "backend", "state moved", kind="backend")
ENCRYPTION_BACKEND = Change(Severity.DESTRUCTIVE, "encryption", "backend", "state moved", kind="backend")


def test_names_are_comma_separated_and_blanks_ignored():
    assert parse(" app/backend, ,encryption/backend ") == ["app/backend", "encryption/backend"]
    assert parse(None) == parse("") == []


def test_a_destructive_change_is_acknowledged_by_stack_and_address():
    assert acknowledged(["app/aws_dynamodb_table.ledger"], [TABLE]) == {"app/aws_dynamodb_table.ledger"}


def test_the_address_alone_is_enough_when_one_stack_has_it():
    assert acknowledged(["aws_dynamodb_table.ledger"], [TABLE]) == {"app/aws_dynamodb_table.ledger"}


def test_a_name_in_several_stacks_must_name_the_stack():
    with pytest.raises(AcknowledgementError, match="destructive in several stacks; name one: app/backend, "):
        acknowledged(["backend"], [APP_BACKEND, ENCRYPTION_BACKEND])


def test_a_name_that_is_not_destructive_here_is_an_error_listing_what_is():
    with pytest.raises(AcknowledgementError) as error:
        acknowledged(["app/aws_dynamodb_table.ledger_old"], [TABLE, APP_BACKEND])
    assert str(error.value) == ("PAYMENT_REVIEW_ALLOW_REPLACE names 'app/aws_dynamodb_table.ledger_old', which this "
                                "change does not replace or remove; destructive here: app/aws_dynamodb_table.ledger, "
                                "app/backend")


def test_an_acknowledgement_for_a_change_that_destroys_nothing_is_an_error():
    with pytest.raises(AcknowledgementError, match="destructive here: none: this change destroys nothing"):
        acknowledged(["app/aws_dynamodb_table.ledger"], [])


def review_of(base, head, accepted=frozenset()) -> ChangeReview:
    return ChangeReview("base", "head", ("encryption", "app"), tuple(diff_apps(base, head)),
                        compare(findings(base, None, None), findings(head, None, None)), frozenset(accepted))


def test_a_rule_the_head_breaks_is_marked_new_and_fails(synthesized):
    base, head = load(synthesized.outdir), load(synthesized.outdir)
    first(head.stack("app"), "aws_cloudwatch_log_group").body.pop("kms_key_id")
    review = review_of(base, head)
    assert [f.rule for f in review.findings.new] == ["unencrypted-log-group"]
    assert not review.passed
    assert "  NEW FAIL [unencrypted-log-group] app: " in render_text(review)


def test_a_rule_the_base_broke_and_the_head_passes_is_marked_fixed_and_passes(synthesized):
    base, head = load(synthesized.outdir), load(synthesized.outdir)
    first(base.stack("app"), "aws_cloudwatch_log_group").body.pop("kms_key_id")
    review = review_of(base, head)
    assert [f.rule for f in review.findings.fixed] == ["unencrypted-log-group"]
    assert review.passed
    assert "  FIXED [unencrypted-log-group] app: " in render_text(review)


def test_a_rule_failing_in_both_still_fails_the_change(synthesized):
    base, head = load(synthesized.outdir), load(synthesized.outdir)
    for app in (base, head):
        first(app.stack("app"), "aws_cloudwatch_log_group").body.pop("kms_key_id")
    review = review_of(base, head)
    assert [f.rule for f in review.findings.still_failing] == ["unencrypted-log-group"] and not review.passed


def test_an_unacknowledged_destructive_change_fails_and_says_how_to_accept_it(synthesized):
    base, head = load(synthesized.outdir), load(synthesized.outdir)
    table = first(head.stack("app"), "aws_dynamodb_table")
    table.body["name"] = "payment-records-qa"
    review = review_of(base, head)
    assert not review.passed
    assert f"PAYMENT_REVIEW_ALLOW_REPLACE=app/{table.address}" in render_text(review)
    assert review_of(base, head, {f"app/{table.address}"}).passed


def test_every_line_of_the_text_fits_120_columns_and_markdown_lists_the_same_changes(synthesized):
    base, head = load(synthesized.outdir), load(synthesized.outdir)
    first(head.stack("app"), "aws_dynamodb_table").body["name"] = "payment-records-qa-" + "x" * 150
    text, markdown = render_text(review_of(base, head)), render_markdown(review_of(base, head))
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert "### Destructive (fails the review unless acknowledged in `PAYMENT_REVIEW_ALLOW_REPLACE`)" in markdown


def test_the_same_tree_reads_no_change(synthesized):
    text = render_text(review_of(load(synthesized.outdir), load(synthesized.outdir)))
    assert "No change: both trees would deploy the same resources, policies, outputs and states." in text
    assert text.rstrip().endswith("PASS: nothing destructive left unacknowledged and no review rule fails")


def test_an_acknowledgement_accepts_only_the_replacement_it_names_exactly(synthesized):
    """"I saw this replacement" means one change: a shorter name, another stack's or a longer one accepts none."""
    base, head = load(synthesized.outdir), load(synthesized.outdir)
    table = first(head.stack("app"), "aws_dynamodb_table")
    table.body["name"] = "payment-records-qa"
    (replaced,) = [c for c in diff_apps(base, head) if c.severity is Severity.DESTRUCTIVE]
    assert acknowledged([f"app/{table.address}"], [replaced]) == {replaced.name}
    for near_miss in (f"app/{table.address[:-4]}", "app/aws_dynamodb_table", f"encryption/{table.address}",
                      f"app/{table.address}_old", f"{table.address[:-4]}"):
        with pytest.raises(AcknowledgementError, match="which this change does not replace or remove"):
            acknowledged([near_miss], [replaced])
