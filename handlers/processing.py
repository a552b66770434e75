"""Second state of the payment workflow: record the payment exactly once.

Nothing is recorded that validation would not have returned: the payment is
run through the validation handler's own ``validate_payment`` again, and
must come out unchanged (canonical amount, upper-case currency, no extra
keys). Anything else -- a direct invocation, a test console, a future second
caller, a wrong InputPath -- is refused with PaymentContractError before any
write, and the state machine routes it to ProcessingFailed.

Step Functions may run this task more than once for one payment (Retry after
a timeout whose write did land, a client resubmitting the same payment), so
``payment_id`` is an idempotency key:

- The whole ledger record, receipt included, goes in with one conditional
  PutItem (``attribute_not_exists(payment_id)``), so a record is either
  absent or complete: there is no second write to lose.
- If the condition fails, the stored record is read back with a strongly
  consistent GetItem. Same fingerprint (amount, currency, payer, payee,
  method) means a replay: the stored receipt is returned unchanged, so every
  caller sees the same transaction_id. A different fingerprint is a client
  reusing an id for another payment: IdempotencyConflictError.
- Any other AWS error propagates untouched, for the state machine's Retry.

``metadata`` is stored but is not part of the fingerprint: annotating a
retried payment differently does not make it another payment.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Final

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from handlers.contract import DEFAULT_MAX_AMOUNT, IDEMPOTENCY_CONFLICT_LOG_MESSAGE, LEDGER_KEY, LEDGER_TABLE_ENV
from handlers.validation import (
    Payment,
    PaymentValidationError,
    configured_max_amount,
    describe_problems,
    loggable_payment_id,
    validate_payment,
)

logger = logging.getLogger(__name__)

STATUS_PROCESSED: Final = "PROCESSED"
# (path, key) pairs of the contract's string fields; None means top level. All but payment_id identify a payment.
REQUIRED_STRINGS: Final = (
    (None, "payment_id"),
    (None, "amount"),
    (None, "currency"),
    ("payer", "account_id"),
    ("payee", "account_id"),
    ("method", "type"),
    ("method", "token"),
)

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

Receipt = dict[str, str]


class IdempotencyConflictError(Exception):
    """A payment_id already recorded for a different payment.

    The class name is the Step Functions error name the state machine catches.
    Retrying cannot help: the client must use a new payment_id.
    """


class PaymentContractError(Exception):
    """The input is not a payment the validation step returns; nothing was recorded.

    The class name is the Step Functions error name the state machine catches. Like a validation error it lists
    field paths and rules, never values. Retrying cannot help: the caller must send what validation returns.
    """

    def __init__(self, problems: tuple[tuple[str, str], ...], omitted: int = 0) -> None:
        self.problems = problems
        self.omitted = omitted
        super().__init__(describe_problems("payment refused by processing, not a validated payment", problems, omitted))


class LedgerTableNotConfiguredError(RuntimeError):
    """LEDGER_TABLE is unset: a deployment bug, not a property of the payment."""


def handler(event: Any, context: Any) -> Receipt:
    """Lambda entry point: record the validated payment and return its receipt."""
    return process_payment(
        event, client=_dynamodb_client(), table_name=_ledger_table(), max_amount=configured_max_amount()
    )


@functools.cache
def _dynamodb_client() -> Any:
    # Created on first use, not at import, so importing this module needs no
    # region or credentials; cached so warm invocations reuse the connection.
    return boto3.client("dynamodb")


def _ledger_table() -> str:
    name = os.environ.get(LEDGER_TABLE_ENV, "")
    if not name:
        raise LedgerTableNotConfiguredError(f"{LEDGER_TABLE_ENV} is not set")
    return name


def process_payment(
    payment: Any,
    *,
    client: Any,
    table_name: str,
    max_amount: Decimal = Decimal(DEFAULT_MAX_AMOUNT),
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    new_transaction_id: Callable[[], str] = lambda: f"txn_{uuid.uuid4().hex}",
) -> Receipt:
    """Record ``payment`` in the ledger once and return its receipt; PaymentContractError if it is not validated."""
    payment = validated_payment(payment, max_amount=max_amount)
    payment_id = payment["payment_id"]
    fingerprint = payment_fingerprint(payment)
    receipt: Receipt = {
        "payment_id": payment_id,
        "transaction_id": new_transaction_id(),
        "status": STATUS_PROCESSED,
        "amount": payment["amount"],
        "currency": payment["currency"],
        "processed_at": _timestamp(now()),
    }
    record = {
        "payment_id": payment_id,
        "fingerprint": fingerprint,
        "payment": _stored_payment(payment),
        "receipt": receipt,
    }
    try:
        client.put_item(
            TableName=table_name,
            Item=_to_dynamodb(record),
            ConditionExpression=f"attribute_not_exists({LEDGER_KEY})",
        )
    except ClientError as error:
        if _error_code(error) != "ConditionalCheckFailedException":
            raise
        return _replay_or_conflict(payment, fingerprint, client, table_name)
    logger.info(
        "payment recorded",
        extra={"payment_id": payment_id, "transaction_id": receipt["transaction_id"]},
    )
    return receipt


def payment_fingerprint(payment: Mapping[str, Any]) -> str:
    """Hash of the fields that make two submissions the same payment.

    Canonical JSON (sorted keys, fixed separators) so the hash does not
    depend on key order; a fixed-size digest so the comparison is one string.
    """
    canonical = json.dumps(_identity(payment), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _identity(payment: Mapping[str, Any]) -> dict[str, Any]:
    """The identity fields, rebuilt from the contract's keys only: what the fingerprint hashes."""
    identity: dict[str, Any] = {}
    for parent, name in REQUIRED_STRINGS:
        if parent is None:
            if name != "payment_id":
                identity[name] = payment[name]
        else:
            identity.setdefault(parent, {})[name] = payment[parent][name]
    return identity


def validated_payment(payment: Any, *, max_amount: Decimal) -> Payment:
    """``payment`` if it is exactly what validation returns for it, else PaymentContractError.

    The same validator, not a copy of its rules, so the two steps cannot drift apart. Equality with the canonical
    form is what refuses a payment that merely looks validated: "125.5" USD, "500.00" JPY, "usd", an extra key.
    """
    try:
        canonical = validate_payment(payment, max_amount=max_amount)
    except PaymentValidationError as error:
        _log_refusal(payment, error.problems)
        raise PaymentContractError(error.problems, error.omitted) from None
    differing = tuple(
        (name, "is not in the canonical form the validation step returns")
        for name in sorted(set(canonical) | set(payment), key=str)
        if canonical.get(name) != payment.get(name) or type(canonical.get(name)) is not type(payment.get(name))
    )
    if differing:
        _log_refusal(payment, differing)
        raise PaymentContractError(differing)
    return canonical


def _log_refusal(payment: Any, problems: tuple[tuple[str, str], ...]) -> None:
    logger.warning(
        "payment refused: not a validated payment",
        extra={
            "payment_id": loggable_payment_id(payment),
            "problem_fields": sorted({path for path, _ in problems}),
        },
    )


def _stored_payment(payment: Mapping[str, Any]) -> dict[str, Any]:
    stored = _identity(payment)
    if "metadata" in payment:
        stored["metadata"] = payment["metadata"]
    return stored


def _replay_or_conflict(payment: Mapping[str, Any], fingerprint: str, client: Any, table_name: str) -> Receipt:
    payment_id = payment["payment_id"]
    response = client.get_item(
        TableName=table_name,
        Key={LEDGER_KEY: {"S": payment_id}},
        ConsistentRead=True,
    )
    if "Item" not in response:
        # The conditional write saw a record that a consistent read cannot:
        # only possible if it was deleted in between. Not a payment problem;
        # a plain error lets the state machine's Retry run the write again.
        raise RuntimeError(f"ledger record for {payment_id} vanished during replay")
    stored = _from_dynamodb(response["Item"])
    if stored["fingerprint"] != fingerprint:
        differing = _differing_fields(payment, stored.get("payment", {}))
        logger.warning(
            IDEMPOTENCY_CONFLICT_LOG_MESSAGE,
            extra={"payment_id": payment_id, "differing_fields": differing},
        )
        raise IdempotencyConflictError(
            f"payment_id {payment_id} was already used for a payment with a "
            f"different {', '.join(differing) or 'content'}"
        )
    receipt: Receipt = stored["receipt"]
    logger.info(
        "payment replayed",
        extra={"payment_id": payment_id, "transaction_id": receipt["transaction_id"]},
    )
    return receipt


def _differing_fields(payment: Mapping[str, Any], stored: Mapping[str, Any]) -> list[str]:
    ours = _identity(payment)
    return [name for name, value in ours.items() if stored.get(name) != value]


def _timestamp(moment: datetime) -> str:
    utc = moment.astimezone(UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def _to_dynamodb(record: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _serializer.serialize(value) for name, value in record.items()}


def _from_dynamodb(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in item.items()}
