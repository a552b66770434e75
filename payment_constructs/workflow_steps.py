"""The workflow's steps, in the order the state machine runs them: one FunctionSpec per Lambda function.

The list decides which functions, roles, log groups, Task states and key-policy entries exist; naming.py decides
what they are called. Adding a function is a handler module, one spec here and one entry in WORKFLOW_STEPS.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.contract import LEDGER_TABLE_ENV, MAX_AMOUNT_ENV, RoutedError
from payment_constructs.iam import Statement, allow
from payment_constructs.ledger_table import OPERATIONS, ledger_key_use
from payment_constructs.naming import Names
from payment_constructs.payment_function import FunctionSpec, SharedResources
from payment_constructs.workflow_definition import PROCESSED, PROCESSING_FAILED, REJECTED, ROUTE_TARGETS


def _ledger_writer(shared: SharedResources) -> list[Statement]:
    # The conditional PutItem and the consistent GetItem of a replay: nothing else, on this table only.
    return [
        allow("RecordPayment", [f"dynamodb:{operation}" for operation in OPERATIONS], [shared.ledger.arn]),
        ledger_key_use(shared.ctx, shared.data_key_arn),
    ]


VALIDATION = FunctionSpec(
    step="validation",
    state="ValidatePayment",
    handler="handlers.validation.handler",
    description="Validates and normalizes a payment; raises PaymentValidationError listing every problem",
    timeout_seconds=10,  # CPU-light string work
    routes=((RoutedError.PAYMENT_VALIDATION, REJECTED),),
    environment=lambda shared: {MAX_AMOUNT_ENV: shared.settings.max_payment_amount},
)

PROCESSING = FunctionSpec(
    step="processing",
    state="ProcessPayment",
    handler="handlers.processing.handler",
    description="Records a validated payment in the ledger exactly once and returns its receipt",
    timeout_seconds=20,  # waits on DynamoDB, with the SDK's own retries for throttling
    routes=(
        (RoutedError.IDEMPOTENCY_CONFLICT, PROCESSING_FAILED),
        (RoutedError.PAYMENT_CONTRACT, PROCESSING_FAILED),
    ),
    # The ceiling too: processing re-validates what it records against the same limit as validation.
    environment=lambda shared: {
        LEDGER_TABLE_ENV: shared.ledger.name,
        MAX_AMOUNT_ENV: shared.settings.max_payment_amount,
    },
    statements=_ledger_writer,
)

WORKFLOW_STEPS: tuple[FunctionSpec, ...] = (VALIDATION, PROCESSING)


def workflow_log_groups(names: Names, steps: Sequence[FunctionSpec] = WORKFLOW_STEPS) -> tuple[str, ...]:
    """Every encrypted log group of a workflow of these steps: what the key policy serves and the app stack creates."""
    return names.log_groups(spec.step for spec in steps)


def checked_steps(steps: Sequence[FunctionSpec]) -> tuple[FunctionSpec, ...]:
    """The steps, or ValueError naming the first mistake in the list in one line (jsii would answer a clash of
    construct ids with a Node stack trace, and Step Functions a bad route only at deploy)."""
    if not steps:
        raise ValueError("the workflow has no steps; WORKFLOW_STEPS lists at least one FunctionSpec")
    seen_steps: set[str] = set()
    seen_states = {PROCESSED, *ROUTE_TARGETS}
    for spec in steps:
        if spec.step in seen_steps:
            raise ValueError(f"step {spec.step!r} is listed twice; each step names its own function, role and group")
        if spec.state in seen_states:
            raise ValueError(f"step {spec.step!r}: state {spec.state!r} is already a state of the workflow")
        for error, target in spec.routes:
            if error not in set(RoutedError):
                raise ValueError(
                    f"step {spec.step!r} routes {error!r}, which handlers/contract.py's RoutedError does not list"
                )
            if target not in ROUTE_TARGETS:
                raise ValueError(
                    f"step {spec.step!r} routes {error} to {target!r}; route to one of {', '.join(ROUTE_TARGETS)}"
                )
        seen_steps.add(spec.step)
        seen_states.add(spec.state)
    return tuple(steps)
