"""The alerts path, read from the synthesized JSON: key, wait, topic, alarms, compliance rule, dashboard."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from moto.events.models import EventPattern

from cdktf_out.placeholders import with_placeholders
from local_run.signals import Alarm, Monitoring
from tests.synthesized import reference

TOPIC_ARN = "arn:<partition>:sns:<region>:<account>:payment-workflow-alerts-qa"
ALARM_ARNS = "arn:<partition>:cloudwatch:<region>:<account>:alarm:payment-workflow-qa-*"
TOPIC_CONTEXT = "kms:EncryptionContext:aws:sns:topicArn"


@pytest.fixture(scope="session")
def alerts_key(encryption_stack, names):
    return encryption_stack.key_by_alias(names.alerts_key_alias)


@pytest.fixture(scope="session")
def alerts_key_policy(alerts_key) -> dict[str, Any]:
    return json.loads(with_placeholders(alerts_key[1]["policy"]))


@pytest.fixture(scope="session")
def alarms(app_stack) -> dict[str, dict[str, Any]]:
    return {alarm["alarm_name"]: alarm for alarm in app_stack.named("aws_cloudwatch_metric_alarm").values()}


@pytest.fixture(scope="session")
def topic(app_stack) -> tuple[str, dict[str, Any]]:
    return app_stack.only("aws_sns_topic")


def by_principal(policy: dict[str, Any], service: str) -> list[dict[str, Any]]:
    return [s for s in policy["Statement"] if s.get("Principal", {}).get("Service") == service]


def cloudwatch_may_publish_through(policy: dict[str, Any], topic_arn: str) -> bool:
    """The unit-level form of the trap: does the key let CloudWatch encrypt notifications for this topic?"""
    return any(
        s["Effect"] == "Allow"
        and set(s["Action"]) >= {"kms:Decrypt", "kms:GenerateDataKey*"}
        and s["Condition"].get("ArnEquals", {}).get(TOPIC_CONTEXT) == topic_arn
        for s in by_principal(policy, "cloudwatch.amazonaws.com")
    )


def test_cloudwatch_may_use_the_alerts_key_for_the_alerts_topic_only(alerts_key_policy):
    (grant,) = by_principal(alerts_key_policy, "cloudwatch.amazonaws.com")
    assert grant["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert grant["Resource"] == "*"
    assert grant["Condition"] == {
        "ArnEquals": {TOPIC_CONTEXT: TOPIC_ARN},
        "StringEquals": {"aws:SourceAccount": "<account>"},
        "ArnLike": {"aws:SourceArn": ALARM_ARNS},
    }


def test_stripping_the_cloudwatch_grant_from_the_alerts_key_policy_is_caught_by_the_unit_check(alerts_key_policy):
    assert cloudwatch_may_publish_through(alerts_key_policy, TOPIC_ARN)
    stripped = copy.deepcopy(alerts_key_policy)
    grants = by_principal(stripped, "cloudwatch.amazonaws.com")
    stripped["Statement"] = [s for s in stripped["Statement"] if s not in grants]
    assert not cloudwatch_may_publish_through(stripped, TOPIC_ARN)


def test_eventbridge_may_use_the_alerts_key_for_the_topic_with_no_source_condition_it_cannot_meet(alerts_key_policy):
    (grant,) = by_principal(alerts_key_policy, "events.amazonaws.com")
    assert grant["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert grant["Condition"] == {"ArnEquals": {TOPIC_CONTEXT: TOPIC_ARN}}


def test_every_service_principal_on_the_alerts_key_is_held_to_the_topic(alerts_key_policy):
    services = [s for s in alerts_key_policy["Statement"] if "Service" in s.get("Principal", {})]
    assert len(services) == 2
    assert all(s["Condition"]["ArnEquals"][TOPIC_CONTEXT] == TOPIC_ARN for s in services)


def test_the_alerts_key_arn_is_published_only_through_its_own_wait(encryption_stack, alerts_key):
    key_name, _ = alerts_key
    sleep_name, _ = encryption_stack.sleep_for_key(key_name)
    assert reference(encryption_stack.output("alerts_key_arn")["value"]) == f"time_sleep.{sleep_name}.triggers.key_arn"


def test_the_topic_is_encrypted_with_the_alerts_key_read_through_its_wait_and_checked(app_stack, topic):
    _, body = topic
    assert body["name"] == "payment-workflow-alerts-qa"
    check = reference(body["kms_master_key_id"])
    assert check.startswith("data.aws_kms_key.") and check.endswith(".arn")
    data = app_stack.named_data("aws_kms_key")[check.split(".")[2]]
    assert data["key_id"] == "${data.terraform_remote_state.encryption.outputs.alerts_key_arn}"
    assert "postcondition" in data["lifecycle"]


def test_the_topic_policy_admits_this_environments_alarms_and_the_compliance_rule_and_denies_plain_http(app_stack):
    _, body = app_stack.only("aws_sns_topic_policy")
    statements = {s["Sid"]: s for s in json.loads(with_placeholders(body["policy"]))["Statement"]}
    alarms = statements["ThisEnvironmentsAlarmsPublish"]
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert alarms["Condition"]["ArnLike"] == {"aws:SourceArn": ALARM_ARNS}
    rule = statements["LogEncryptionComplianceRulePublishes"]
    assert rule["Condition"]["ArnEquals"] == {
        "aws:SourceArn": "arn:<partition>:events:<region>:<account>:rule/payment-workflow-log-encryption-compliance-qa"
    }
    deny = statements["DenyPublishWithoutTls"]
    assert (deny["Effect"], deny["Condition"]) == ("Deny", {"Bool": {"aws:SecureTransport": "false"}})


def test_nothing_is_subscribed_when_no_alert_email_is_set(app_stack):
    assert app_stack.named("aws_sns_topic_subscription") == {}


def test_every_alarm_pages_through_the_topic_on_alarm_and_on_ok(alarms, topic):
    topic_arn = f"${{aws_sns_topic.{topic[0]}.arn}}"
    assert alarms
    for name, alarm in alarms.items():
        assert name.startswith("payment-workflow-qa-")
        assert alarm["alarm_actions"] == alarm["ok_actions"] == [topic_arn]
        assert alarm["treat_missing_data"] == "notBreaching"


def test_the_alarms_are_the_ones_an_operator_is_promised(alarms):
    assert sorted(alarms) == sorted(f"payment-workflow-qa-{what}" for what in (
        "payments-failed", "executions-timed-out", "executions-aborted", "executions-throttled",
        "validation-errors", "validation-throttles", "validation-duration-near-timeout",
        "processing-errors", "processing-throttles", "processing-duration-near-timeout",
        "conflicting-replays", "ledger-throttles", "ledger-system-errors",
    ))


def test_no_alarm_counts_rejections(alarms):
    for alarm in alarms.values():
        assert alarm.get("metric_name") != "ExecutionsFailed"
        assert alarm.get("metric_name") != "ConditionalCheckFailedRequests"
    validation = alarms["payment-workflow-qa-validation-errors"]
    assert (validation["namespace"], validation["metric_name"]) == ("PaymentWorkflow/qa", "ValidationFaults")


def test_failures_are_counted_at_the_processing_failed_state_and_where_no_catch_can_route(app_stack):
    filters = {f["name"]: f for f in app_stack.named("aws_cloudwatch_log_metric_filter").values()}
    assert filters["PaymentsFailed"]["pattern"] == (
        '{ (($.type = "FailStateEntered") && ($.details.name = "ProcessingFailed")) || (($.type = "ExecutionFailed") '
        '&& (($.details.error = "States.Runtime") || ($.details.error = "States.DataLimitExceeded"))) }'
    )
    assert filters["ValidationFaults"]["pattern"] == (
        '{ ($.errorType = "*") && ($.errorType != "PaymentValidationError") }'
    )


@pytest.fixture(scope="session")
def monitoring(app_stack) -> Monitoring:
    """The alarms as CloudWatch evaluates them: statistic against threshold, with the alarm's own operator."""
    return Monitoring.from_document(app_stack.document)


def evaluated(monitoring: Monitoring, name: str) -> Alarm:
    (alarm,) = [a for a in monitoring.alarms if a.name == f"payment-workflow-qa-{name}"]
    return alarm


def test_every_count_alarm_pages_on_the_first_event_of_a_period_and_not_without_one(monitoring, alarms):
    """One failed payment (or throttle, or conflicting replay) in five minutes is one page: a sum of 1 breaches."""
    counts = [name for name, alarm in alarms.items() if alarm.get("statistic", "Sum") == "Sum"]
    assert len(counts) == len(alarms) - 2  # all but the two duration alarms
    for name in counts:
        alarm = evaluated(monitoring, name.removeprefix("payment-workflow-qa-"))
        assert alarm.breaches(1) and not alarm.breaches(0), name


def test_each_duration_alarm_fires_when_the_slowest_invocation_reaches_80_percent_of_its_timeout(monitoring, alarms,
                                                                                               app_stack, steps):
    timeouts = {f["function_name"]: f["timeout"] for f in app_stack.named("aws_lambda_function").values()}
    for step in steps:
        assert alarms[f"payment-workflow-qa-{step}-duration-near-timeout"]["statistic"] == "Maximum"
        alarm = evaluated(monitoring, f"{step}-duration-near-timeout")
        limit_ms = 0.8 * timeouts[f"lambda-payment-{step}-qa"] * 1000
        assert alarm.breaches(limit_ms) and not alarm.breaches(limit_ms - 1), step


def test_ledger_alarms_add_up_every_operation_the_processing_function_performs(alarms):
    for what, metric in (("ledger-throttles", "ThrottledRequests"), ("ledger-system-errors", "SystemErrors")):
        queries = alarms[f"payment-workflow-qa-{what}"]["metric_query"]
        operations = sorted(q["metric"]["dimensions"]["Operation"] for q in queries if "metric" in q)
        assert operations == ["GetItem", "PutItem"]
        assert {q["metric"]["metric_name"] for q in queries if "metric" in q} == {metric}
        (total,) = [q for q in queries if q.get("return_data")]
        assert total["expression"] == "FILL(m0, 0) + FILL(m1, 0)"


def test_the_config_rule_checks_log_groups_against_the_logs_key(app_stack, names):
    _, rule = app_stack.only("aws_config_config_rule")
    assert rule["source"] == {"owner": "AWS", "source_identifier": "CLOUDWATCH_LOG_GROUP_ENCRYPTED"}
    assert json.loads(rule["input_parameters"]) == {
        "KmsKeyId": "${data.terraform_remote_state.encryption.outputs.logs_key_arn}"
    }
    groups = {g["kms_key_id"] for g in app_stack.named("aws_cloudwatch_log_group").values()}
    assert groups == {json.loads(rule["input_parameters"])["KmsKeyId"]}


def test_compliance_changes_of_the_workflows_log_groups_only_reach_the_topic(app_stack, topic):
    _, rule = app_stack.only("aws_cloudwatch_event_rule")
    pattern = json.loads(rule["event_pattern"])
    created = sorted(g["name"] for g in app_stack.named("aws_cloudwatch_log_group").values())
    assert sorted(pattern["detail"]["resourceId"]) == created
    assert pattern["detail"]["configRuleName"] == ["payment-workflow-log-groups-encrypted-qa"]
    _, target = app_stack.only("aws_cloudwatch_event_target")
    assert target["arn"] == f"${{aws_sns_topic.{topic[0]}.arn}}"
    assert "role_arn" not in target


def config_compliance_change(rule: str, resource_type: str, resource_id: str) -> dict[str, Any]:
    """The event AWS Config sends to EventBridge when a resource's compliance with a rule changes, as AWS documents it:
    the envelope of "Amazon EventBridge format for AWS Config" (AWS Config developer guide, "Monitoring AWS Config
    with Amazon EventBridge") around the message of its "Example Compliance Change Notification", for this rule and
    resource, turned non-compliant."""
    account, region = "111122223333", "eu-west-1"
    rule_arn = f"arn:aws:config:{region}:{account}:config-rule/config-rule-9rpvxc"

    def evaluation(compliance: str, at: str) -> dict[str, Any]:
        qualifier = {"configRuleName": rule, "resourceType": resource_type, "resourceId": resource_id}
        return {"evaluationResultIdentifier": {"evaluationResultQualifier": qualifier, "orderingTimestamp": at},
                "complianceType": compliance, "resultRecordedTime": at, "configRuleInvokedTime": at,
                "annotation": None, "resultToken": None}

    return {
        "version": "0", "id": "cd4d811e-ab12-322b-8255-872ce65b1bc8", "detail-type": "Config Rules Compliance Change",
        "source": "aws.config", "account": account, "time": "2026-12-02T10:00:00Z", "region": region,
        "resources": [rule_arn],
        "detail": {
            "awsAccountId": account, "configRuleName": rule, "configRuleARN": rule_arn, "resourceType": resource_type,
            "resourceId": resource_id, "awsRegion": region,
            "newEvaluationResult": evaluation("NON_COMPLIANT", "2026-12-02T10:00:00.000Z"),
            "oldEvaluationResult": evaluation("COMPLIANT", "2026-12-02T09:00:00.000Z"),
            "notificationCreationTime": "2026-12-02T10:00:01.000Z", "messageType": "ComplianceChangeNotification",
            "recordVersion": "1.0",
        },
    }


def test_the_compliance_rule_matches_what_aws_config_sends_for_each_workflow_log_group_and_nothing_else(app_stack):
    """Matched by EventBridge's own pattern semantics (moto's implementation), on the event AWS Config sends."""
    _, rule = app_stack.only("aws_cloudwatch_event_rule")
    matches = EventPattern.load(rule["event_pattern"]).matches_event
    _, config_rule = app_stack.only("aws_config_config_rule")
    groups = [g["name"] for g in app_stack.named("aws_cloudwatch_log_group").values()]
    log_group = "AWS::Logs::LogGroup"  # the type AWS Config records a log group as (its "Supported resource types")
    assert all(matches(config_compliance_change(config_rule["name"], log_group, group)) for group in groups)
    assert not matches(config_compliance_change(config_rule["name"], log_group, "/aws/lambda/another-function"))
    assert not matches(config_compliance_change("another-teams-rule", log_group, groups[0]))


def test_no_configuration_recorder_is_created(app_stack):
    assert app_stack.named("aws_config_configuration_recorder") == {}


def plotted(widget: dict[str, Any]) -> set[tuple[str, ...]]:
    """The metrics a graph widget plots: namespace, name and dimension pairs, without the rendering options."""
    return {tuple(part for part in row if not isinstance(part, dict)) for row in widget["properties"]["metrics"]}


def alarm_metric(alarm: dict[str, Any]) -> tuple[str, ...]:
    return (alarm["namespace"], alarm["metric_name"], *(part for pair in alarm.get("dimensions", {}).items()
                                                          for part in pair))


def test_each_dashboard_graph_plots_the_metrics_its_title_names(app_stack, alarms):
    """What a graph shows is what its title says, and where an alarm pages on it, the very metric the alarm watches."""
    _, dashboard = app_stack.only("aws_cloudwatch_dashboard")
    graphs = {w["properties"]["title"]: plotted(w) for w in json.loads(dashboard["dashboard_body"])["widgets"]
              if w["type"] == "metric"}
    machine = f"${{aws_sfn_state_machine.{app_stack.only('aws_sfn_state_machine')[0]}.arn}}"
    functions = [f"${{aws_lambda_function.{name}.function_name}}" for name in app_stack.named("aws_lambda_function")]
    ledger = f"${{aws_dynamodb_table.{app_stack.only('aws_dynamodb_table')[0]}.name}}"
    filters = app_stack.named("aws_cloudwatch_log_metric_filter").values()
    rejections = next(f["metric_transformation"] for f in filters if '"PaymentRejected"' in f["pattern"])

    def paged(what: str) -> tuple[str, ...]:
        return alarm_metric(alarms[f"payment-workflow-qa-{what}"])

    assert graphs == {
        "Payments by outcome": {
            ("AWS/States", "ExecutionsSucceeded", "StateMachineArn", machine),
            (rejections["namespace"], rejections["name"]),
            paged("payments-failed"),
            paged("executions-timed-out"),
        },
        "Function errors (validation's include rejections)": {("AWS/Lambda", "Errors", "FunctionName", f)
                                                              for f in functions},
        "Function duration p99 (ms)": {("AWS/Lambda", "Duration", "FunctionName", f) for f in functions},
        "Ledger writes": {("AWS/DynamoDB", "ConsumedWriteCapacityUnits", "TableName", ledger)},
        "Ledger latency (ms) and throttles": {("AWS/DynamoDB", metric, "TableName", ledger, "Operation", operation)
                                              for metric in ("SuccessfulRequestLatency", "ThrottledRequests")
                                              for operation in ("GetItem", "PutItem")},
        "Conflicting replays": {paged("conflicting-replays")},
    }


def test_the_dashboard_shows_alarm_states_and_payments_by_outcome(app_stack, alarms):
    _, dashboard = app_stack.only("aws_cloudwatch_dashboard")
    assert dashboard["dashboard_name"] == "payment-workflow-qa"
    body = json.loads(dashboard["dashboard_body"])
    (alarm_widget,) = [w for w in body["widgets"] if w["type"] == "alarm"]
    assert len(alarm_widget["properties"]["alarms"]) == len(alarms)
    titles = [w["properties"]["title"] for w in body["widgets"]]
    assert "Payments by outcome" in titles


def test_the_topic_arn_and_dashboard_name_are_outputs(app_stack):
    assert app_stack.output("alerts_topic_arn")["value"].endswith(".arn}")
    assert "dashboard_name" in app_stack.document["output"]


def test_an_alert_email_subscribes_that_address_to_the_topic(fast_path):  # a configuration of its own
    from cdktf import App, TerraformStack, Testing

    from encrypted_logs.aws_context import AwsContext
    from payment_constructs.alerts_topic import AlertsTopic
    from payment_constructs.providers import aws_provider
    from tests.conftest import settings_from

    stack = TerraformStack(App(), "topic_only")
    aws_provider(stack, settings_from({}))
    AlertsTopic(stack, "alerts", ctx=AwsContext(stack, "ctx"), name="t", kms_key_arn="k", alarm_arn_pattern="a",
                event_rule_arn="r", email="oncall@example.com")
    (subscription,) = json.loads(Testing.synth(stack))["resource"]["aws_sns_topic_subscription"].values()
    assert (subscription["protocol"], subscription["endpoint"]) == ("email", "oncall@example.com")
