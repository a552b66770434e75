"""Review rules on alarms: every alarm reaches a topic encrypted with a key CloudWatch may use.

Each test breaks the real synthesized JSON in one realistic way and shows the review names it.
"""

from __future__ import annotations

from pathlib import Path

from synth_review.rules.alert_rules import ALARM, EVENT_TARGET, TOPIC, TOPIC_POLICY, alert_findings
from tests.synth_review.conftest import edit_policy, first, review_in_process, rewrite_stack, statement

CLOUDWATCH_GRANT = "CloudWatchAlarmsPublishToAlertsTopic"
EVENTS_GRANT = "EventBridgeDeliversToAlertsTopic"


def rules_failed(app) -> list[str]:
    return sorted({finding.rule for finding in alert_findings(app)})


def alerts_key(app):
    (key,) = [k for k in app.stack("encryption").resources("aws_kms_key") if "alerts" in k.name]
    return key


def topic(app):
    return first(app.stack("app"), TOPIC)


def test_every_synthesized_alarm_passes_every_alert_rule(review_app):
    assert alert_findings(review_app) == []


def test_the_synthesized_app_has_alarms_for_the_rules_to_check(review_app):
    assert len(review_app.stack("app").resources(ALARM)) >= 10


def test_stripping_the_cloudwatch_grant_from_the_alerts_key_policy_is_caught(review_app):
    edit_policy(alerts_key(review_app), lambda s: s.remove(statement(s, CLOUDWATCH_GRANT)))
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]
    assert any("cloudwatch.amazonaws.com" in f.message for f in alert_findings(review_app))


def test_the_review_exits_1_when_the_cloudwatch_grant_is_stripped_from_the_alerts_key(outdir_copy: Path,
                                                                                     passing_checkov):
    import json

    def strip(document):
        for name, key in document["resource"]["aws_kms_key"].items():
            if "alerts" in name:
                policy = json.loads(key["policy"])
                policy["Statement"] = [s for s in policy["Statement"] if s.get("Sid") != CLOUDWATCH_GRANT]
                key["policy"] = json.dumps(policy)

    rewrite_stack(outdir_copy, "encryption", strip)
    done = review_in_process(outdir_copy, "--checkov", str(passing_checkov))
    assert done.returncode == 1
    assert "FAIL [alerts-key-grant-missing]" in done.stdout


def test_a_cloudwatch_grant_without_the_topic_encryption_context_is_caught(review_app):
    def loosen(statements):
        del statement(statements, CLOUDWATCH_GRANT)["Condition"]["ArnEquals"]

    edit_policy(alerts_key(review_app), loosen)
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]


def test_a_cloudwatch_grant_for_another_topic_is_caught(review_app):
    def elsewhere(statements):
        condition = statement(statements, CLOUDWATCH_GRANT)["Condition"]["ArnEquals"]
        condition["kms:EncryptionContext:aws:sns:topicArn"] += "-old"

    edit_policy(alerts_key(review_app), elsewhere)
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]


def test_a_cloudwatch_grant_with_a_wildcard_topic_is_caught(review_app):
    def wildcard(statements):
        condition = statement(statements, CLOUDWATCH_GRANT)["Condition"]
        condition["ArnEquals"]["kms:EncryptionContext:aws:sns:topicArn"] = "arn:aws:sns:*"

    edit_policy(alerts_key(review_app), wildcard)
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]


def test_a_cloudwatch_grant_missing_generate_data_key_is_caught(review_app):
    edit_policy(alerts_key(review_app), lambda s: statement(s, CLOUDWATCH_GRANT).update(Action=["kms:Decrypt"]))
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]


def test_a_cloudwatch_grant_to_the_regional_logs_principal_instead_is_caught(review_app):
    def wrong_principal(statements):
        statement(statements, CLOUDWATCH_GRANT)["Principal"] = {"Service": "logs.eu-west-1.amazonaws.com"}

    edit_policy(alerts_key(review_app), wrong_principal)
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]


def test_an_alarm_renamed_outside_the_prefix_the_key_admits_is_caught(review_app):
    first(review_app.stack("app"), ALARM).body["alarm_name"] = "someone-elses-alarm"
    assert rules_failed(review_app) == ["alerts-key-grant-missing", "topic-policy"]


def test_stripping_the_eventbridge_grant_is_caught(review_app):
    edit_policy(alerts_key(review_app), lambda s: s.remove(statement(s, EVENTS_GRANT)))
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]


def test_an_eventbridge_grant_conditioned_on_source_account_is_caught_as_silently_dropping(review_app):
    def over_tight(statements):
        statement(statements, EVENTS_GRANT)["Condition"]["StringEquals"] = {"aws:SourceAccount": "<account>"}

    edit_policy(alerts_key(review_app), over_tight)
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]
    assert any("do not carry" in f.message for f in alert_findings(review_app))


def test_an_alarm_without_actions_is_caught(review_app):
    del first(review_app.stack("app"), ALARM).body["alarm_actions"]
    assert rules_failed(review_app) == ["alarm-without-action"]


def test_an_alarm_with_actions_disabled_is_caught(review_app):
    first(review_app.stack("app"), ALARM).body["actions_enabled"] = False
    assert rules_failed(review_app) == ["alarm-without-action"]


def test_an_alarm_publishing_to_a_topic_outside_cdktf_out_is_caught(review_app):
    alarm = first(review_app.stack("app"), ALARM)
    alarm.body["alarm_actions"] = ["arn:aws:sns:eu-west-1:111122223333:somewhere"]
    assert rules_failed(review_app) == ["alarm-without-action"]


def test_an_unencrypted_alerts_topic_is_caught(review_app):
    del topic(review_app).body["kms_master_key_id"]
    assert rules_failed(review_app) == ["alarm-topic-unencrypted"]


def test_the_aws_managed_sns_key_is_caught(review_app):
    topic(review_app).body["kms_master_key_id"] = "alias/aws/sns"
    assert rules_failed(review_app) == ["alarm-topic-unencrypted"]


def test_a_topic_reading_the_alerts_key_around_its_wait_is_caught(review_app):
    topic(review_app).body["kms_master_key_id"] = "${aws_kms_key.alerts_key.arn}"
    assert rules_failed(review_app) == ["alarm-topic-unencrypted"]


def test_a_topic_encrypted_with_the_logs_key_is_caught(review_app):
    (check,) = [d for d in review_app.stack("app").data_sources("aws_kms_key") if "alerts" in d.name]
    check.body["key_id"] = check.body["key_id"].replace("alerts_key_arn", "logs_key_arn")
    assert rules_failed(review_app) == ["alerts-key-grant-missing"]


def test_a_missing_topic_policy_is_caught(review_app):
    review_app.stack("app").document["resource"].pop(TOPIC_POLICY)
    assert rules_failed(review_app) == ["topic-policy"]


def test_a_topic_policy_without_the_tls_deny_is_caught(review_app):
    edit_policy(first(review_app.stack("app"), TOPIC_POLICY),
                lambda s: s.remove(statement(s, "DenyPublishWithoutTls")))
    assert rules_failed(review_app) == ["topic-policy"]


def test_a_topic_policy_admitting_alarms_without_a_source_condition_is_caught(review_app):
    edit_policy(first(review_app.stack("app"), TOPIC_POLICY),
                lambda s: statement(s, "ThisEnvironmentsAlarmsPublish").pop("Condition"))
    assert rules_failed(review_app) == ["topic-policy"]


def test_a_topic_policy_that_forgets_the_compliance_rule_is_caught(review_app):
    edit_policy(first(review_app.stack("app"), TOPIC_POLICY),
                lambda s: s.remove(statement(s, "LogEncryptionComplianceRulePublishes")))
    assert rules_failed(review_app) == ["topic-policy"]


def test_the_compliance_rule_is_checked_as_a_publisher_only_while_it_targets_the_topic(review_app):
    review_app.stack("app").document["resource"].pop(EVENT_TARGET)
    edit_policy(alerts_key(review_app), lambda s: s.remove(statement(s, EVENTS_GRANT)))
    assert rules_failed(review_app) == []


def test_an_alerts_key_output_published_straight_from_the_key_is_caught(review_app):
    key = alerts_key(review_app)
    review_app.stack("encryption").outputs()["alerts_key_arn"]["value"] = f"${{{key.address}.arn}}"
    assert rules_failed(review_app) == ["alarm-topic-unencrypted"]


def test_a_topic_with_a_literal_key_arn_is_caught(review_app):
    topic(review_app).body["kms_master_key_id"] = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234"
    assert rules_failed(review_app) == ["alarm-topic-unencrypted"]
