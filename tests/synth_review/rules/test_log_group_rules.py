"""Review rules on log groups: each is encrypted with the logs key, read through the encryption stack's sleep."""

from __future__ import annotations

from synth_review.rules import findings
from synth_review.rules.log_group_rules import LOG_GROUP, log_group_rows
from tests.synth_review.conftest import first, rules_failed


def test_every_synthesized_log_group_passes_both_log_group_rules(review_app):
    assert rules_failed(review_app) == []


def test_every_synthesized_log_group_reads_its_key_through_a_time_sleep_trigger(review_app):
    rows = log_group_rows(review_app)
    assert rows
    assert all(".triggers." in row.key.description and "time_sleep." in row.key.description for row in rows)


def test_a_log_group_without_kms_key_id_fails_as_unencrypted(review_app):
    del first(review_app.stack("app"), LOG_GROUP).body["kms_key_id"]
    assert rules_failed(review_app) == ["unencrypted-log-group"]


def test_a_log_group_reading_the_key_resource_directly_fails_as_sleep_bypassed(review_app):
    first(review_app.stack("app"), LOG_GROUP).body["kms_key_id"] = "${aws_kms_key.logs_key.arn}"
    assert rules_failed(review_app) == ["sleep-bypassed"]


def test_a_log_group_with_a_literal_key_arn_fails_as_sleep_bypassed(review_app):
    group = first(review_app.stack("app"), LOG_GROUP)
    group.body["kms_key_id"] = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert rules_failed(review_app) == ["sleep-bypassed"]


def test_an_encryption_output_published_straight_from_the_key_fails_every_log_group_reading_it(review_app):
    encryption = review_app.stack("encryption")
    (key,) = [k for k in encryption.resources("aws_kms_key") if "logs" in k.name]
    encryption.outputs()["logs_key_arn"]["value"] = f"${{{key.address}.arn}}"
    groups = {group.address for group in review_app.stack("app").resources(LOG_GROUP)}
    found = findings(review_app, None, None)
    assert {f.rule for f in found} == {"sleep-bypassed"}
    assert groups <= {f.subject for f in found}  # and any other user of the logs key (the encryption monitor)


def test_an_encryption_output_naming_a_trigger_the_sleep_does_not_have_fails_as_sleep_bypassed(review_app):
    output = review_app.stack("encryption").outputs()["logs_key_arn"]
    output["value"] = output["value"].replace(".triggers.key_arn", ".triggers.no_such_trigger")
    assert set(rules_failed(review_app)) == {"sleep-bypassed"}
