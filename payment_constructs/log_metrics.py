"""Metrics the workflow's own logs carry and AWS's metrics do not: the outcome of a payment, and conflicting replays.

Why not AWS/States ExecutionsFailed: a rejected payment ends in the PaymentRejected Fail state, so that metric counts
rejections (the customer's problem) together with processing failures (ours). The state machine's log group records
each Fail state entered by name, and only ProcessingFailed means the system has to act. Likewise AWS/Lambda Errors
counts every PaymentValidationError the validation function raises for a rejection.

Filter patterns use CloudWatch Logs' JSON syntax (CloudWatch Logs user guide, "Filter pattern syntax for metric
filters", JSON log events): `$.field = "value"` matches a property, `&&` / `||` combine terms.
"""

from __future__ import annotations

from cdktf_cdktf_provider_aws.cloudwatch_log_metric_filter import (
    CloudwatchLogMetricFilter,
    CloudwatchLogMetricFilterMetricTransformation,
)
from constructs import Construct

from handlers.contract import IDEMPOTENCY_CONFLICT_LOG_MESSAGE
from payment_constructs.metrics import Metric

# Step Functions writes one log event per history event, typed as in GetExecutionHistory, with the state's name in
# details.name for *StateEntered events (Step Functions developer guide, "Log levels" and "CloudWatch Logs payloads").
FAIL_STATE_ENTERED = "FailStateEntered"
EXECUTION_FAILED = "ExecutionFailed"  # details.error is the error the execution failed with
# The processing handler's record of a payment id reused with other content (handlers/contract.py): Lambda's JSON
# log format puts the message in `message` (Lambda developer guide, "Configuring JSON and plain text log formats").
CONFLICT_LOG_MESSAGE = IDEMPOTENCY_CONFLICT_LOG_MESSAGE
# The Lambda Python runtime logs an unhandled exception, in JSON format, as one record with `errorType` (the class
# name) beside `errorMessage` and `stackTrace` (aws-lambda-python-runtime-interface-client, bootstrap.log_error).
ERROR_TYPE_FIELD = "errorType"


# Errors that end an execution without any Catch seeing them, so without entering a Fail state: "States.ALL ... can't
# catch the States.DataLimitExceeded terminal error type and runtime error types" (Step Functions developer guide,
# "Error handling in Step Functions", error names).
UNCATCHABLE_ERRORS = ("States.Runtime", "States.DataLimitExceeded")


def failed_at_or_without_catch(state: str) -> str:
    """An execution that ended in `state`, or failed with an error no Catch can route there."""
    uncaught = " || ".join(f'($.details.error = "{error}")' for error in UNCATCHABLE_ERRORS)
    return f'{{ ({_entered(state)}) || (($.type = "{EXECUTION_FAILED}") && ({uncaught})) }}'


def fail_state_entered(state: str) -> str:
    return f"{{ {_entered(state)} }}"


def _entered(state: str) -> str:
    return f'($.type = "{FAIL_STATE_ENTERED}") && ($.details.name = "{state}")'


def message_is(message: str) -> str:
    return f'{{ $.message = "{message}" }}'


def unhandled_error_except(expected_errors: list[str]) -> str:
    """An invocation that failed with anything but the errors the function raises by design."""
    excluded = " && ".join(f'($.{ERROR_TYPE_FIELD} != "{error}")' for error in expected_errors)
    return f'{{ ($.{ERROR_TYPE_FIELD} = "*") && {excluded} }}'


class LogMetric(Construct):
    """One count per matching log event, in the environment's namespace; no data (not 0) when nothing matches."""

    def __init__(
        self, scope: Construct, construct_id: str, *, log_group_name: str, pattern: str, namespace: str, metric: str
    ) -> None:
        super().__init__(scope, construct_id)
        self.namespace = namespace
        self.metric_name = metric
        self.filter = CloudwatchLogMetricFilter(
            self,
            "filter",
            name=metric,
            log_group_name=log_group_name,
            pattern=pattern,
            metric_transformation=CloudwatchLogMetricFilterMetricTransformation(
                name=metric, namespace=namespace, value="1", unit="Count"
            ),
        )

    def metric(self) -> Metric:
        return Metric(self.namespace, self.metric_name)
