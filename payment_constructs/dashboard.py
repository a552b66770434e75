"""The on-call engineer's first screen: alarm states, payments by outcome, functions, ledger."""

from __future__ import annotations

import json
from typing import Any

from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
from constructs import Construct

from payment_constructs.alarms import PERIOD_SECONDS
from payment_constructs.workflow_alarms import DYNAMODB, LAMBDA, LEDGER_OPERATIONS, STATES, WorkflowAlarms

WIDTH = 24  # the dashboard grid is 24 units wide


def _graph(title: str, metrics: list[list[Any]], region: str, *, stat: str = "Sum") -> dict[str, Any]:
    return {
        "type": "metric",
        "width": WIDTH // 2,
        "height": 6,
        "properties": {
            "title": title, "region": region, "stat": stat, "period": PERIOD_SECONDS, "view": "timeSeries",
            "metrics": metrics,
        },
    }


class WorkflowDashboard(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        region: str,
        alarms: WorkflowAlarms,
        state_machine_arn: str,
        function_names: list[str],
        ledger_table: str,
    ) -> None:
        super().__init__(scope, construct_id)
        outcomes = [
            [STATES, "ExecutionsSucceeded", "StateMachineArn", state_machine_arn, {"label": "processed"}],
            [alarms.rejections.namespace, alarms.rejections.metric_name, {"label": "rejected (never pages)"}],
            [alarms.processing_failures.namespace, alarms.processing_failures.metric_name, {"label": "failed"}],
            [STATES, "ExecutionsTimedOut", "StateMachineArn", state_machine_arn, {"label": "timed out"}],
        ]
        errors = [[LAMBDA, "Errors", "FunctionName", f] for f in function_names]
        durations = [[LAMBDA, "Duration", "FunctionName", f, {"stat": "p99"}] for f in function_names]
        ledger = [
            [DYNAMODB, metric, "TableName", ledger_table, "Operation", op]
            for metric in ("SuccessfulRequestLatency", "ThrottledRequests")
            for op in LEDGER_OPERATIONS
        ]
        writes = [[DYNAMODB, "ConsumedWriteCapacityUnits", "TableName", ledger_table, {"label": "ledger writes"}]]
        body = {
            "widgets": [
                {
                    "type": "alarm",
                    "width": WIDTH,
                    "height": 4,
                    "properties": {"title": "Alarms (each one pages)", "alarms": [a.arn for a in alarms.pager.alarms]},
                },
                _graph("Payments by outcome", outcomes, region),
                _graph("Function errors (validation's include rejections)", errors, region),
                _graph("Function duration p99 (ms)", durations, region, stat="p99"),
                _graph("Ledger writes", writes, region),
                _graph("Ledger latency (ms) and throttles", ledger, region, stat="Maximum"),
                _graph("Conflicting replays", [[alarms.conflicts.namespace, alarms.conflicts.metric_name]], region),
            ]
        }
        self.dashboard = CloudwatchDashboard(self, "dashboard", dashboard_name=name, dashboard_body=json.dumps(body))
