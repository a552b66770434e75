"""A CloudWatch metric as the resource that emits it names it: namespace, metric name and dimensions, in one place.

Each construct whose AWS service reports metrics about it says how (as AWS CDK's `metricFailed()` lives on the state
machine): the alarms watch those metrics and the dashboard graphs the same ones, so a dimension cannot drift apart.
Names and dimensions: Step Functions developer guide, "Monitoring Step Functions metrics using Amazon CloudWatch"
(dimension StateMachineArn); Lambda developer guide, "Types of metrics for Lambda functions" (FunctionName);
DynamoDB developer guide, "DynamoDB metrics and dimensions" (TableName, and Operation for the per-request metrics).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

STATES = "AWS/States"
LAMBDA = "AWS/Lambda"
DYNAMODB = "AWS/DynamoDB"


@dataclass(frozen=True)
class Metric:
    namespace: str
    name: str
    dimensions: dict[str, str] = field(default_factory=dict)
    statistic: str = "Sum"

    def graphed(self, **options: Any) -> list[Any]:
        """The metric as a dashboard widget lists it: namespace, name, each dimension's name and value, options."""
        row: list[Any] = [self.namespace, self.name]
        for dimension in self.dimensions.items():
            row += dimension
        return [*row, options] if options else row
