"""Alarms that page: each publishes to the alerts topic on ALARM and on OK, and treats missing data as fine.

Common choices, once: a 5-minute period and one datapoint. A payment workflow has no background rate of failures to
average over, so one failed payment is one page; five minutes is CloudWatch's standard resolution for AWS metrics
and groups a burst into one notification. Missing data is "notBreaching": no executions means nothing failed.
"""

from __future__ import annotations

from collections.abc import Callable

from cdktf_cdktf_provider_aws.cloudwatch_metric_alarm import (
    CloudwatchMetricAlarm,
    CloudwatchMetricAlarmMetricQuery,
    CloudwatchMetricAlarmMetricQueryMetric,
)
from constructs import Construct

from payment_constructs.log_metrics import LogMetric
from payment_constructs.metrics import Metric

PERIOD_SECONDS = 300
# A function whose slowest invocation in a period used this share of its timeout is one slow dependency away from
# timing out (and a timed-out invocation reports a Duration equal to the timeout, so this also catches timeouts).
DURATION_ALARM_SHARE_OF_TIMEOUT = 0.8


class Pager(Construct):
    """Makes the environment's alarms, all wired to one topic, and remembers them for the dashboard."""

    def __init__(
        self, scope: Construct, construct_id: str, *, topic_arn: str, alarm_name: Callable[[str], str]
    ) -> None:
        super().__init__(scope, construct_id)
        self._topic_arn = topic_arn
        self._alarm_name = alarm_name  # Names.alarm: every alarm name starts with the prefix the key policy admits
        self.alarms: list[CloudwatchMetricAlarm] = []
        self.watched: dict[str, tuple[Metric, ...]] = {}  # what each alarm watches, by its short name

    def on_metric(self, what: str, description: str, metric: Metric, threshold: float = 1) -> CloudwatchMetricAlarm:
        """ALARM when the period's statistic reaches `threshold`."""
        self.watched[what] = (metric,)
        return self._alarm(
            what,
            description,
            threshold,
            namespace=metric.namespace,
            metric_name=metric.name,
            dimensions=metric.dimensions or None,
            statistic=metric.statistic,
            period=PERIOD_SECONDS,
        )

    def on_log_metric(self, what: str, description: str, log_metric: LogMetric) -> CloudwatchMetricAlarm:
        return self.on_metric(what, description, log_metric.metric())

    def on_sum_of(self, what: str, description: str, metrics: list[Metric]) -> CloudwatchMetricAlarm:
        """ALARM when the metrics together reach 1 in a period (DynamoDB reports these per operation)."""
        self.watched[what] = tuple(metrics)
        queries = [
            CloudwatchMetricAlarmMetricQuery(
                id=f"m{i}",
                metric=CloudwatchMetricAlarmMetricQueryMetric(
                    namespace=m.namespace,
                    metric_name=m.name,
                    dimensions=m.dimensions,
                    stat=m.statistic,
                    period=PERIOD_SECONDS,
                ),
                return_data=False,
            )
            for i, m in enumerate(metrics)
        ]
        # FILL(m, 0): a plain m0+m1 has no value where either has no datapoint, so throttled writes with no reads
        # in the period would never breach (CloudWatch user guide, "Metric math syntax and functions").
        total = CloudwatchMetricAlarmMetricQuery(
            id="total", expression=" + ".join(f"FILL({q.id}, 0)" for q in queries), label=what, return_data=True
        )
        return self._alarm(what, description, 1, metric_query=[*queries, total])

    def _alarm(self, what: str, description: str, threshold: float, **metric: object) -> CloudwatchMetricAlarm:
        alarm = CloudwatchMetricAlarm(
            self,
            what,
            alarm_name=self._alarm_name(what),
            alarm_description=description,
            comparison_operator="GreaterThanOrEqualToThreshold",
            threshold=threshold,
            evaluation_periods=1,
            datapoints_to_alarm=1,
            treat_missing_data="notBreaching",
            # OK too: the person paged learns when it is over without opening the console.
            alarm_actions=[self._topic_arn],
            ok_actions=[self._topic_arn],
            **metric,  # type: ignore[arg-type]
        )
        self.alarms.append(alarm)
        return alarm
