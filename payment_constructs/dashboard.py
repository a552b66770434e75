"""The on-call engineer's first screen: alarm states, payments by outcome, functions, ledger."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cdktf_cdktf_provider_aws.cloudwatch_dashboard import CloudwatchDashboard
from constructs import Construct

from payment_constructs.alarms import PERIOD_SECONDS
from payment_constructs.ledger_table import OPERATIONS, LedgerTable
from payment_constructs.payment_function import PaymentFunction
from payment_constructs.state_machine import PaymentStateMachine
from payment_constructs.workflow_alarms import WorkflowAlarms

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
    """Graphs what the alarms watch, read from them, beside the metrics no alarm watches (successes, latency)."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        region: str,
        alarms: WorkflowAlarms,
        state_machine: PaymentStateMachine,
        functions: Sequence[PaymentFunction],
        ledger: LedgerTable,
    ) -> None:
        super().__init__(scope, construct_id)
        watched = alarms.pager.watched
        outcomes = [
            state_machine.metric("ExecutionsSucceeded").graphed(label="processed"),
            alarms.rejections.metric().graphed(label="rejected (never pages)"),
            alarms.processing_failures.metric().graphed(label="failed"),
            *(m.graphed(label="timed out") for m in watched["executions-timed-out"]),
        ]
        errors = [f.metric("Errors").graphed() for f in functions]
        durations = [f.metric("Duration").graphed(stat="p99") for f in functions]
        ledger_rows = [ledger.metric("SuccessfulRequestLatency", op).graphed() for op in OPERATIONS]
        ledger_rows += [m.graphed() for m in watched["ledger-throttles"]]
        writes = [ledger.metric("ConsumedWriteCapacityUnits").graphed(label="ledger writes")]
        conflicts = [m.graphed() for m in watched.get("conflicting-replays", ())]
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
                _graph("Ledger latency (ms) and throttles", ledger_rows, region, stat="Maximum"),
                _graph("Conflicting replays", conflicts, region),
            ]
        }
        self.dashboard = CloudwatchDashboard(self, "dashboard", dashboard_name=name, dashboard_body=json.dumps(body))
