"""What the handlers and the infrastructure agree on, written once.

The app stack sets these environment variables, keys the ledger table and routes these errors; the handlers read,
write and raise them. Both import this module, so a rename reaches both sides or neither. Standard library only:
it ships in the Lambda package and is imported by the constructs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

# Environment variables the app stack sets on the functions.
MAX_AMOUNT_ENV: Final = "MAX_PAYMENT_AMOUNT"
LEDGER_TABLE_ENV: Final = "LEDGER_TABLE"

# The ledger table's partition key: the payment's idempotency key, named in the processing handler's conditions.
LEDGER_KEY: Final = "payment_id"

# What the processing handler logs (as `message`) when a payment id comes back with other content; a metric filter
# on its log group counts these records and pages (payment_constructs/log_metrics.py).
IDEMPOTENCY_CONFLICT_LOG_MESSAGE: Final = "payment id reused for a different payment"

# The per-payment ceiling when MAX_AMOUNT_ENV is unset, and the default of the PAYMENT_MAX_AMOUNT setting.
DEFAULT_MAX_AMOUNT: Final = "1000000.00"


class RoutedError(StrEnum):
    """Errors the state machine routes on, each the name of the exception class a handler raises.

    Lambda reports a function error's errorType as the exception's class name, and Step Functions matches a Catch's
    ErrorEquals against it. tests/handlers/test_contract.py holds every name equal to a handler's exception class.
    """

    PAYMENT_VALIDATION = "PaymentValidationError"
    IDEMPOTENCY_CONFLICT = "IdempotencyConflictError"
    # Processing re-validates its input and refuses what validation would not have returned (defence in depth).
    PAYMENT_CONTRACT = "PaymentContractError"
