"""The payment workflow in Amazon States Language, as Python data (turned into JSON once, by the state machine).

Validate → Process → Succeed. A rejected payment and a failed processing end in two different Fail states, so an
operator sees at a glance whether the customer or the system has to act.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# Error names are the exception class names the handlers raise: Lambda reports a function error's errorType as the
# class name, and Step Functions matches ErrorEquals against it. tests/test_workflow_definition.py holds them equal.
PAYMENT_VALIDATION_ERROR = "PaymentValidationError"
IDEMPOTENCY_CONFLICT_ERROR = "IdempotencyConflictError"
# Processing re-validates its input and refuses anything validation would not have returned (defence in depth).
PAYMENT_CONTRACT_ERROR = "PaymentContractError"

# The Lambda service errors AWS recommends retrying for the lambda:invoke integration (Step Functions developer
# guide, "Handling transient Lambda service exceptions").
LAMBDA_TRANSIENT_ERRORS = [
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
]

VALIDATE = "ValidatePayment"
PROCESS = "ProcessPayment"
PROCESSED = "PaymentProcessed"
REJECTED = "PaymentRejected"
PROCESSING_FAILED = "ProcessingFailed"

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


@dataclass(frozen=True)
class WorkflowTargets:
    partition: str
    validation_function_arn: str
    processing_function_arn: str
    validation_timeout_seconds: int
    processing_timeout_seconds: int


def execution_timeout_seconds(targets: WorkflowTargets) -> int:
    """Room for every attempt of both tasks plus the longest backoffs; past it the execution is a stuck one."""
    attempts = RETRY["MaxAttempts"] + 1
    per_task = [
        attempts * (t + TASK_TIMEOUT_MARGIN_SECONDS) + attempts * RETRY["MaxDelaySeconds"]
        for t in (targets.validation_timeout_seconds, targets.processing_timeout_seconds)
    ]
    return sum(per_task)


def _invoke(targets: WorkflowTargets, function_arn: str, timeout: int) -> dict[str, Any]:
    return {
        "Type": "Task",
        "Resource": f"arn:{targets.partition}:states:::lambda:invoke",
        "Parameters": {"FunctionName": function_arn, "Payload.$": "$"},
        # The integration wraps the function's result in Payload; the next state wants the result itself.
        "OutputPath": "$.Payload",
        "TimeoutSeconds": timeout + TASK_TIMEOUT_MARGIN_SECONDS,
        "Retry": [RETRY],
    }


def _catch(error: str, state: str) -> dict[str, Any]:
    # ResultPath keeps the payment beside the error, for the Fail state's cause and for the execution history.
    return {"ErrorEquals": [error], "ResultPath": "$.error", "Next": state}


def payment_workflow(targets: WorkflowTargets) -> dict[str, Any]:
    validate = _invoke(targets, targets.validation_function_arn, targets.validation_timeout_seconds)
    validate["Catch"] = [_catch(PAYMENT_VALIDATION_ERROR, REJECTED), _catch("States.ALL", PROCESSING_FAILED)]
    validate["Next"] = PROCESS

    process = _invoke(targets, targets.processing_function_arn, targets.processing_timeout_seconds)
    process["Catch"] = [
        _catch(IDEMPOTENCY_CONFLICT_ERROR, PROCESSING_FAILED),
        _catch(PAYMENT_CONTRACT_ERROR, PROCESSING_FAILED),
        _catch("States.ALL", PROCESSING_FAILED),
    ]
    process["Next"] = PROCESSED

    return {
        "Comment": "Payment workflow: validate, then record exactly once in the ledger",
        "StartAt": VALIDATE,
        "TimeoutSeconds": execution_timeout_seconds(targets),
        "States": {
            VALIDATE: validate,
            PROCESS: process,
            PROCESSED: {"Type": "Succeed"},
            REJECTED: {
                "Type": "Fail",
                "Comment": "The payment broke the contract; the cause lists every problem, field by field",
                "Error": PAYMENT_VALIDATION_ERROR,
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
