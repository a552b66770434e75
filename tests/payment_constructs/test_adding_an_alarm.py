"""Adding an alarm is one call on the pager in WorkflowAlarms (docs/changing.md): its name, its actions to the
encrypted topic, the dashboard, the review and the local run all follow."""

from __future__ import annotations

import json

import pytest

from cdktf_out.tree import Stack, SynthesizedApp
from local_run.signals import Monitoring
from synth_review.rules import findings
from tests.conftest import synthesize

WHAT = "ledger-writes-slow"
NAME = f"payment-workflow-qa-{WHAT}"


@pytest.fixture(scope="module")
def with_alarm(settings, tmp_path_factory: pytest.TempPathFactory) -> SynthesizedApp:
    from payment_constructs import workflow_alarms

    alarms_as_written = workflow_alarms.WorkflowAlarms.__init__

    def with_the_recipe(self, scope, construct_id, **wiring) -> None:
        alarms_as_written(self, scope, construct_id, **wiring)
        ledger = wiring["ledger"]
        # The recipe, as docs/changing.md writes it: one call on self.pager in WorkflowAlarms.__init__.
        self.pager.on_metric(WHAT, "Ledger writes take over half a second: payments are slowing down.",
                             ledger.metric("SuccessfulRequestLatency", "PutItem"), threshold=500)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workflow_alarms.WorkflowAlarms, "__init__", with_the_recipe)
        return synthesize(settings, tmp_path_factory.mktemp("with-alarm"))


@pytest.fixture(scope="module")
def app(with_alarm: SynthesizedApp) -> Stack:
    return with_alarm.stack("app")


def alarm(app: Stack) -> tuple[str, dict]:
    (found,) = [(n, a) for n, a in app.named("aws_cloudwatch_metric_alarm").items() if a["alarm_name"] == NAME]
    return found


def test_the_new_alarm_pages_through_the_encrypted_topic_on_alarm_and_on_ok(app: Stack):
    _, body = alarm(app)
    topic, _ = app.only("aws_sns_topic")
    assert body["alarm_actions"] == body["ok_actions"] == [f"${{aws_sns_topic.{topic}.arn}}"]
    assert body["dimensions"]["Operation"] == "PutItem" and body["threshold"] == 500


def test_the_dashboard_shows_the_new_alarms_state(app: Stack):
    name, _ = alarm(app)
    _, dashboard = app.only("aws_cloudwatch_dashboard")
    states = json.loads(dashboard["dashboard_body"])["widgets"][0]["properties"]["alarms"]
    assert f"${{aws_cloudwatch_metric_alarm.{name}.arn}}" in states


def test_the_topic_admits_the_new_alarm_and_the_local_run_knows_it(app: Stack):
    monitoring = Monitoring.from_document(app.document)
    assert NAME.startswith(monitoring.alarm_prefix) and monitoring.alarm_prefix
    assert NAME in {a.name for a in monitoring.alarms}


def test_the_review_passes_the_app_with_the_new_alarm(with_alarm: SynthesizedApp):
    assert [finding.line() for finding in findings(with_alarm, None, None)] == []
