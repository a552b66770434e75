"""Which of the synthesized alarms one local execution would set off, read from the synthesized alarms and filters.

Nothing here knows which alarm exists or what it counts: the alarms (`aws_cloudwatch_metric_alarm`) and metric
filters (`aws_cloudwatch_log_metric_filter`) come from the app stack's JSON. The execution supplies what AWS would
see of it:
- AWS/States: one count of Executions<Status> for the state machine (Step Functions developer guide, execution
  metrics);
- AWS/Lambda: one Errors count per invocation that ended in a function error (Lambda developer guide, "Errors");
- the state machine's log events, one per history event, `{"type", "details"}` without input or output (the stack
  logs without execution data), and each function's log records in Lambda's JSON format, both matched against the
  filters on their log group.
Metrics a local run cannot produce (Duration, Throttles, DynamoDB's ThrottledRequests and SystemErrors) are never
observed, so alarms on them are shown as not reached.
"""

from __future__ import annotations

import json
import operator
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cdktf_out.expressions import Reference, single_reference, strings_in
from local_run.filter_pattern import FilterPattern

# What Step Functions logs without execution data: the event minus its payloads.
_EXECUTION_DATA = {"input", "output", "inputDetails", "outputDetails"}
EXECUTION_STATUS_METRICS = {
    "SUCCEEDED": "ExecutionsSucceeded",
    "FAILED": "ExecutionsFailed",
    "TIMED_OUT": "ExecutionsTimedOut",
    "ABORTED": "ExecutionsAborted",
}

MetricKey = tuple[str, str, frozenset[tuple[str, str]]]  # namespace, metric name, dimensions (values: addresses)
# How an alarm compares its statistic with its threshold (CloudWatch API reference, PutMetricAlarm,
# ComparisonOperator); the anomaly-detection operators compare with a band, which these alarms never use.
COMPARISONS = {
    "GreaterThanOrEqualToThreshold": operator.ge,
    "GreaterThanThreshold": operator.gt,
    "LessThanThreshold": operator.lt,
    "LessThanOrEqualToThreshold": operator.le,
}


@dataclass(frozen=True)
class Alarm:
    name: str
    metrics: tuple[MetricKey, ...]
    threshold: float
    comparison: str

    def breaches(self, value: float) -> bool:
        """Whether a period whose statistic is `value` is past the threshold, as CloudWatch compares them."""
        return COMPARISONS[self.comparison](value, self.threshold)


@dataclass(frozen=True)
class LogFilter:
    log_group: str  # the log group's Terraform address
    pattern: FilterPattern
    metric: MetricKey


@dataclass(frozen=True)
class FunctionLog:
    """What one invocation wrote to its log group, as Lambda's JSON log format would."""

    function_name: str
    records: tuple[Mapping[str, Any], ...]
    failed: bool  # the invocation ended in a function error (AWS/Lambda Errors)


@dataclass(frozen=True)
class Monitoring:
    alarms: tuple[Alarm, ...]
    filters: tuple[LogFilter, ...]
    log_group_of: Mapping[str, str]  # address of a function or the state machine -> address of its log group
    alarm_prefix: str = ""  # "payment-workflow-<env>-": shown and expected without it, so samples fit every env

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> Monitoring:
        resources = document.get("resource", {})
        alarms = tuple(_alarm(body) for body in resources.get("aws_cloudwatch_metric_alarm", {}).values())
        filters = tuple(
            LogFilter(
                _address(body["log_group_name"]),
                FilterPattern(body["pattern"]),
                _metric_key(_single(body["metric_transformation"])["namespace"],
                            _single(body["metric_transformation"])["name"], {}),
            )
            for body in resources.get("aws_cloudwatch_log_metric_filter", {}).values()
        )
        log_group_of = {
            f"aws_lambda_function.{rid}": _address(_single(body.get("logging_config"))["log_group"])
            for rid, body in resources.get("aws_lambda_function", {}).items()
            if _single(body.get("logging_config")).get("log_group")
        } | {
            f"aws_sfn_state_machine.{rid}": _address(_single(body.get("logging_configuration"))["log_destination"])
            for rid, body in resources.get("aws_sfn_state_machine", {}).items()
            if _single(body.get("logging_configuration")).get("log_destination")
        }
        return cls(alarms, filters, log_group_of, _alarm_prefix(document))

    def observe(
        self,
        *,
        state_machine: str,
        status: str,
        history: Sequence[Mapping[str, Any]],
        function_logs: Iterable[tuple[str, FunctionLog]],
    ) -> Counter[MetricKey]:
        """The metric datapoints one execution produces; `function_logs` pairs each log with its function address."""
        seen: Counter[MetricKey] = Counter()
        if status in EXECUTION_STATUS_METRICS:
            seen[_metric_key("AWS/States", EXECUTION_STATUS_METRICS[status], {"StateMachineArn": state_machine})] += 1
        self._count(seen, self.log_group_of.get(state_machine), [state_machine_log_event(e) for e in history])
        for function, log in function_logs:
            if log.failed:
                seen[_metric_key("AWS/Lambda", "Errors", {"FunctionName": function})] += 1
            self._count(seen, self.log_group_of.get(function), log.records)
        return seen

    def pages(self, seen: Counter[MetricKey]) -> tuple[str, ...]:
        """The alarms these datapoints would set off, by name without the environment's prefix."""
        # A metric nobody produced has no datapoint, which these alarms treat as not breaching (treat_missing_data).
        fired = [a.name for a in self.alarms
                 if any(m in seen for m in a.metrics) and a.breaches(sum(seen[m] for m in a.metrics))]
        return tuple(sorted(name.removeprefix(self.alarm_prefix) for name in fired))

    def _count(self, seen: Counter[MetricKey], group: str | None, events: Sequence[Mapping[str, Any]]) -> None:
        for log_filter in self.filters:
            if log_filter.log_group == group:
                seen[log_filter.metric] += sum(1 for event in events if log_filter.pattern.matches(event))


def state_machine_log_event(event: Mapping[str, Any]) -> dict[str, Any]:
    """A GetExecutionHistory event as Step Functions writes it to CloudWatch Logs (type, details, no payloads)."""
    details = next((v for k, v in event.items() if k.endswith("EventDetails") and isinstance(v, Mapping)), {})
    return {
        "type": event["type"],
        "details": {k: v for k, v in details.items() if k not in _EXECUTION_DATA},
    }


def _alarm_prefix(document: Mapping[str, Any]) -> str:
    """What every alarm name of the environment starts with: the topic's policy admits its alarms by that prefix
    (aws:SourceArn like `arn:...:alarm:<prefix>*`); "" when no topic policy says so."""
    for body in document.get("resource", {}).get("aws_sns_topic_policy", {}).values():
        try:
            policy = json.loads(body.get("policy", ""))
        except (TypeError, ValueError):
            continue
        for text in strings_in(policy if isinstance(policy, dict) else {}):
            if ":alarm:" in text and text.endswith("*"):
                return text.split(":alarm:", 1)[1].removesuffix("*")
    return ""


def _alarm(body: Mapping[str, Any]) -> Alarm:
    if body.get("metric_query"):
        metrics = tuple(
            _metric_key(m["namespace"], m["metric_name"], m.get("dimensions", {}))
            for query in body["metric_query"]
            if (m := _single(query.get("metric")))
        )
    else:
        metrics = (_metric_key(body["namespace"], body["metric_name"], body.get("dimensions", {})),)
    return Alarm(body["alarm_name"], metrics, float(body["threshold"]), body["comparison_operator"])


def _metric_key(namespace: str, name: str, dimensions: Mapping[str, str]) -> MetricKey:
    return namespace, name, frozenset((k, _address_or_value(v)) for k, v in dimensions.items())


def _address_or_value(value: str) -> str:
    reference = _reference(value)
    return reference.address if reference else value


def _address(value: str) -> str:
    reference = _reference(value)
    if reference is None:
        raise ValueError(f"{value!r} is not a reference to a resource of the stack")
    return reference.address


def _reference(value: str) -> Reference | None:
    """The resource an attribute reference names; a log destination may add ":*" (every stream of the group)."""
    reference = single_reference(value.removesuffix(":*"))
    return reference if reference is not None and reference.path else None


def _single(block: Any) -> Mapping[str, Any]:
    if isinstance(block, list):
        return block[0] if block else {}
    return block or {}
