"""The workflow's steps, in the order the state machine runs them: one FunctionSpec per Lambda function.

The list decides which functions, roles, log groups, Task states and key-policy entries exist; naming.py decides
what they are called. Adding a function is a handler module, one spec here and one entry in WORKFLOW_STEPS.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.contract import LEDGER_TABLE_ENV, MAX_AMOUNT_ENV, RoutedError
from payment_constructs.iam import Statement, allow
from payment_constructs.ledger_table import ledger_key_use
from payment_constructs.naming import Names
from payment_constructs.payment_function import FunctionSpec, SharedResources
from payment_constructs.workflow_definition import PROCESSING_FAILED, REJECTED


def _ledger_writer(shared: SharedResources) -> list[Statement]:
    # The conditional PutItem and the consistent GetItem of a replay: nothing else, on this table only.
    return [
        allow("RecordPayment", ["dynamodb:PutItem", "dynamodb:GetItem"], [shared.ledger.arn]),
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
    routes=((RoutedError.IDEMPOTENCY_CONFLICT, PROCESSING_FAILED),),
    environment=lambda shared: {LEDGER_TABLE_ENV: shared.ledger.name},
    statements=_ledger_writer,
)

WORKFLOW_STEPS: tuple[FunctionSpec, ...] = (VALIDATION, PROCESSING)


def workflow_log_groups(names: Names, steps: Sequence[FunctionSpec] = WORKFLOW_STEPS) -> tuple[str, ...]:
    """Every encrypted log group of a workflow of these steps: what the key policy serves and the app stack creates."""
    return names.log_groups(spec.step for spec in steps)
