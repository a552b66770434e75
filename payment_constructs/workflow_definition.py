"""The payment workflow in Amazon States Language, as Python data (turned into JSON once, by the state machine).

One Task state per step of workflow_steps.py, in order, then Succeed. A rejected payment and a failed processing end
in two different Fail states, so an operator sees at a glance whether the customer or the system has to act.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from handlers.contract import RoutedError

# The Lambda service errors AWS recommends retrying for the lambda:invoke integration (Step Functions developer
# guide, "Handling transient Lambda service exceptions").
LAMBDA_TRANSIENT_ERRORS = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
]

PROCESSED = "PaymentProcessed"
REJECTED = "PaymentRejected"
PROCESSING_FAILED = "ProcessingFailed"
# Where a step may route an error: the two Fail states (the tasks run in order, so there is nowhere else to go).
ROUTE_TARGETS = (REJECTED, PROCESSING_FAILED)

# Each task's limit sits above its function's timeout, so a slow function times out in Lambda (and is retried)
# before the state gives up on it.
TASK_TIMEOUT_MARGIN_SECONDS = 5
RETRY = {
    "ErrorEquals": LAMBDA_TRANSIENT_ERRORS,
    "IntervalSeconds": 1,
    "MaxAttempts": 3,
    "BackoffRate": 2.0,  # statelint insists on a float; AWS accepts either
    "MaxDelaySeconds": 8,
    "JitterStrategy": "FULL",  # spreads retries of a throttled burst instead of synchronizing them
}


class Task(Protocol):
    """What the definition needs of a step (a PaymentFunction is one)."""

    @property
    def state(self) -> str: ...

    @property
    def arn(self) -> str: ...

    @property
    def timeout_seconds(self) -> int: ...

    @property
    def routes(self) -> Sequence[tuple[str, str]]: ...


def execution_timeout_seconds(tasks: Sequence[Task]) -> int:
    """Room for every attempt of every task plus the longest backoffs; past it the execution is a stuck one."""
    attempts = RETRY["MaxAttempts"] + 1
    per_task = [
        attempts * (task.timeout_seconds + TASK_TIMEOUT_MARGIN_SECONDS) + attempts * RETRY["MaxDelaySeconds"]
        for task in tasks
    ]
    return sum(per_task)


def _invoke(partition: str, task: Task, next_state: str) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": f"arn:{partition}:states:::lambda:invoke",
        "Parameters": {"FunctionName": task.arn, "Payload.$": "$"},
        # The integration wraps the function's result in Payload; the next state wants the result itself.
        "OutputPath": "$.Payload",
        "TimeoutSeconds": task.timeout_seconds + TASK_TIMEOUT_MARGIN_SECONDS,
        "Retry": [RETRY],
        # The step's own routes first; anything else is a fault of the system, not of the payment.
        "Catch": [_catch(error, state) for error, state in (*task.routes, ("States.ALL", PROCESSING_FAILED))],
        "Next": next_state,
    }


def _catch(error: str, state: str) -> dict[str, Any]:
    # ResultPath keeps the payment beside the error, for the Fail state's cause and for the execution history.
    return {"ErrorEquals": [error], "ResultPath": "$.error", "Next": state}


def payment_workflow(partition: str, tasks: Sequence[Task]) -> dict[str, Any]:
    """The tasks run in order; the last one's success is the payment's."""
    next_states = [task.state for task in tasks[1:]] + [PROCESSED]
    invokes = {task.state: _invoke(partition, task, then) for task, then in zip(tasks, next_states, strict=True)}
    return {
        "Comment": "Payment workflow: validate, then record exactly once in the ledger",
        "StartAt": tasks[0].state,
        "TimeoutSeconds": execution_timeout_seconds(tasks),
        "States": {
            **invokes,
            PROCESSED: {"Type": "Succeed"},
            REJECTED: {
                "Type": "Fail",
                "Comment": "The payment broke the contract; the cause lists every problem, field by field",
                "Error": RoutedError.PAYMENT_VALIDATION,
                "CausePath": "$.error.Cause",
            },
            PROCESSING_FAILED: {
                "Type": "Fail",
                "Comment": (
                    "A payment could not be recorded: an id reused for another payment, an input that is not a "
                    "validated payment, or a fault"
                ),
                "ErrorPath": "$.error.Error",
                "CausePath": "$.error.Cause",
            },
        },
    }
