"""Second state of the payment workflow: record the payment exactly once.

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
from typing import Any, Final

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from handlers.contract import LEDGER_KEY, LEDGER_TABLE_ENV
from handlers.validation import PaymentValidationError

logger = logging.getLogger(__name__)

STATUS_PROCESSED: Final = "PROCESSED"
# (path, key) pairs that must hold non-empty strings; None means top level.
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


class LedgerTableNotConfiguredError(RuntimeError):
    """LEDGER_TABLE is unset: a deployment bug, not a property of the payment."""


def handler(event: Any, context: Any) -> Receipt:
    """Lambda entry point: record the validated payment and return its receipt."""
    return process_payment(event, client=_dynamodb_client(), table_name=_ledger_table())


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
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    new_transaction_id: Callable[[], str] = lambda: f"txn_{uuid.uuid4().hex}",
) -> Receipt:
    """Record ``payment`` in the ledger once and return its receipt."""
    _check_shape(payment)
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
    """The identity fields, rebuilt from the contract's keys only.

    Rebuilding (rather than copying the input's nested objects) keeps any
    stray key of an unvalidated event out of both the fingerprint and the
    ledger.
    """
    identity: dict[str, Any] = {}
    for parent, name in REQUIRED_STRINGS:
        if parent is None:
            if name != "payment_id":
                identity[name] = payment[name]
        else:
            identity.setdefault(parent, {})[name] = payment[parent][name]
    return identity


def _check_shape(payment: Any) -> None:
    # Only validation output reaches here, but a wrong Step Functions
    # InputPath or a manual StartExecution could feed anything; fail before
    # writing rather than store a record that cannot be compared later.
    if not isinstance(payment, Mapping):
        raise PaymentValidationError([("event", "must be a validated payment object")])
    problems = [
        (name if parent is None else f"{parent}.{name}", "must be a non-empty string")
        for parent, name in REQUIRED_STRINGS
        if not _is_non_empty_string(payment if parent is None else payment.get(parent), name)
    ]
    if "metadata" in payment and not _is_string_map(payment["metadata"]):
        problems.append(("metadata", "must be an object of strings"))
    if problems:
        raise PaymentValidationError(problems)


def _is_non_empty_string(container: Any, name: str) -> bool:
    if not isinstance(container, Mapping):
        return False
    value = container.get(name)
    return isinstance(value, str) and value != ""


def _is_string_map(value: Any) -> bool:
    return isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items())


def _stored_payment(payment: Mapping[str, Any]) -> dict[str, Any]:
    stored = _identity(payment)
    if "metadata" in payment:
        stored["metadata"] = dict(payment["metadata"])
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
            "payment id reused for a different payment",
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
