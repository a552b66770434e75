"""Specification of the processing handler against an in-process DynamoDB (moto)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings

from handlers import processing, validation
from handlers.processing import (
    IdempotencyConflictError,
    LedgerTableNotConfiguredError,
    PaymentContractError,
    handler,
)
from handlers.validation import PaymentValidationError
from tests.handlers.conftest import Ledger
from tests.handlers.payments import BANK_TOKEN, CARD_TOKEN, VISA_PAN, valid_event
from tests.handlers.test_payment_validation_properties import near_payments, valid_payments
from tests.hypothesis_profile import examples

REPO_ROOT = Path(__file__).resolve().parents[2]


def throttled(operation: str) -> ClientError:
    return ClientError(
        {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}},
        operation,
    )


class FailingClient:
    """Delegates to a real client, except that one operation raises ``error``."""

    def __init__(self, client: Any, operation: str, error: Exception) -> None:
        self._client = client
        self._operation = operation
        self._error = error
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        self.calls.append(name)
        if name == self._operation:
            raise self._error
        return getattr(self._client, name)


class RecordingClient:
    """Delegates to a real client, recording each call's operation and arguments."""

    def __init__(self, client: Any) -> None:
        self._client = client
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, name: str) -> Any:
        operation = getattr(self._client, name)

        def recorded(**kwargs: Any) -> Any:
            self.calls.append((name, kwargs))
            return operation(**kwargs)

        return recorded


# --- first write --------------------------------------------------------------------------------


def test_a_new_payment_is_recorded_and_a_processed_receipt_returned(ledger: Ledger) -> None:
    receipt = handler(valid_event(), None)
    assert set(receipt) == {"payment_id", "transaction_id", "status", "amount", "currency", "processed_at"}
    assert receipt["payment_id"] == "pay_8f3a2c"
    assert receipt["status"] == "PROCESSED"
    assert (receipt["amount"], receipt["currency"]) == ("125.50", "USD")
    assert receipt["transaction_id"].startswith("txn_")
    assert receipt["processed_at"].endswith("Z")
    assert len(ledger.items()) == 1


def test_the_ledger_record_holds_the_payment_its_fingerprint_and_the_receipt(ledger: Ledger) -> None:
    receipt = handler(valid_event(), None)
    record = ledger.record("pay_8f3a2c")
    assert record["receipt"] == receipt
    assert record["fingerprint"] == processing.payment_fingerprint(valid_event())
    expected_payment = {k: v for k, v in valid_event().items() if k != "payment_id"}
    assert record["payment"] == expected_payment


def test_receipt_timestamps_are_utc_with_milliseconds(ledger: Ledger) -> None:
    from datetime import datetime, timedelta, timezone

    def clock() -> datetime:
        return datetime(2025, 3, 1, 9, 30, 15, 123456, tzinfo=timezone(timedelta(hours=2)))

    receipt = processing.process_payment(valid_event(), client=ledger.client, table_name=ledger.table_name, now=clock)
    assert receipt["processed_at"] == "2025-03-01T07:30:15.123Z"


def test_different_payments_get_different_transaction_ids(ledger: Ledger) -> None:
    first = handler(valid_event(payment_id="pay_1"), None)
    second = handler(valid_event(payment_id="pay_2"), None)
    assert first["transaction_id"] != second["transaction_id"]
    assert len(ledger.items()) == 2


# --- replays ------------------------------------------------------------------------------------


def test_replaying_the_same_payment_returns_the_identical_receipt_and_writes_nothing(ledger: Ledger) -> None:
    first = handler(valid_event(), None)
    before = ledger.items()
    again = handler(valid_event(), None)
    assert again == first
    assert ledger.items() == before


def test_a_replay_reads_the_stored_record_with_a_strongly_consistent_read(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An eventually consistent read could miss the record the conditional write just saw, and turn a replay into a
    # "vanished" error; DynamoDB reads are eventually consistent unless ConsistentRead is asked for.
    handler(valid_event(), None)
    recording = RecordingClient(ledger.client)
    monkeypatch.setattr(processing, "_dynamodb_client", lambda: recording)
    handler(valid_event(), None)
    reads = [arguments for operation, arguments in recording.calls if operation == "get_item"]
    assert len(reads) == 1
    assert reads[0]["ConsistentRead"] is True
    assert reads[0]["Key"] == {"payment_id": {"S": "pay_8f3a2c"}}


def test_a_replay_with_different_metadata_is_still_the_same_payment(ledger: Ledger) -> None:
    first = handler(valid_event(), None)
    assert handler(valid_event(metadata={"order_id": "A-1001", "retry": "2"}), None) == first


# --- conflicts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "other_value"),
    [
        ("amount", "125.51"),
        ("currency", "EUR"),
        ("payer", {"account_id": "acct_999"}),
        ("payee", {"account_id": "acct_999"}),
        ("method", {"type": "card", "token": "tok_other"}),
        ("method", {"type": "bank_transfer", "token": BANK_TOKEN}),
    ],
)
def test_reusing_a_payment_id_for_a_different_payment_is_a_conflict(
    ledger: Ledger, field: str, other_value: Any
) -> None:
    first = handler(valid_event(), None)
    with pytest.raises(IdempotencyConflictError, match=field):
        handler(valid_event(**{field: other_value}), None)
    assert len(ledger.items()) == 1
    assert ledger.record("pay_8f3a2c")["receipt"] == first


def test_the_conflict_error_names_are_the_step_functions_error_names() -> None:
    assert IdempotencyConflictError.__name__ == "IdempotencyConflictError"
    assert PaymentValidationError.__name__ == "PaymentValidationError"
    assert PaymentContractError.__name__ == "PaymentContractError"


# --- concurrency --------------------------------------------------------------------------------


def test_concurrent_duplicate_submissions_record_once_and_all_get_the_same_receipt(ledger: Ledger) -> None:
    callers = 8
    barrier = threading.Barrier(callers)
    receipts: list[dict[str, str]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def submit() -> None:
        barrier.wait()
        try:
            receipt = handler(valid_event(), None)
        except BaseException as error:  # collected and asserted on below
            with lock:
                errors.append(error)
            return
        with lock:
            receipts.append(receipt)

    threads = [threading.Thread(target=submit) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(receipts) == callers
    assert all(receipt == receipts[0] for receipt in receipts)
    assert len(ledger.items()) == 1


# --- AWS failures -------------------------------------------------------------------------------


def test_a_throttled_write_propagates_and_leaves_no_record(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = FailingClient(ledger.client, "put_item", throttled("PutItem"))
    monkeypatch.setattr(processing, "_dynamodb_client", lambda: failing)
    with pytest.raises(ClientError) as caught:
        handler(valid_event(), None)
    assert caught.value.response["Error"]["Code"] == "ProvisionedThroughputExceededException"
    assert ledger.items() == []


def test_a_failed_read_during_a_replay_propagates_and_leaves_the_record_unchanged(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    handler(valid_event(), None)
    before = ledger.items()
    failing = FailingClient(ledger.client, "get_item", throttled("GetItem"))
    monkeypatch.setattr(processing, "_dynamodb_client", lambda: failing)
    with pytest.raises(ClientError):
        handler(valid_event(), None)
    assert failing.calls == ["put_item", "get_item"]
    assert ledger.items() == before


def test_after_a_transient_failure_the_retry_records_the_payment_once(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        processing, "_dynamodb_client", lambda: FailingClient(ledger.client, "put_item", throttled("PutItem"))
    )
    with pytest.raises(ClientError):
        handler(valid_event(), None)
    monkeypatch.setattr(processing, "_dynamodb_client", lambda: ledger.client)
    receipt = handler(valid_event(), None)
    assert handler(valid_event(), None) == receipt
    assert len(ledger.items()) == 1


def test_a_missing_table_is_not_mistaken_for_a_replay(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEDGER_TABLE", "no-such-table")
    with pytest.raises(ClientError) as caught:
        handler(valid_event(), None)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


# --- input and configuration --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event", "path"),
    [
        pytest.param([], "event", id="not-an-object"),
        pytest.param({k: v for k, v in valid_event().items() if k != "amount"}, "amount", id="missing-amount"),
        pytest.param(valid_event(payment_id=""), "payment_id", id="empty-payment-id"),
        pytest.param(valid_event(amount="-1.00"), "amount", id="negative-amount"),
        pytest.param(valid_event(amount="abc"), "amount", id="amount-abc"),
        pytest.param(valid_event(amount="1e3"), "amount", id="exponent-amount"),
        pytest.param(valid_event(amount="1000000.01"), "amount", id="above-the-maximum"),
        pytest.param(valid_event(currency="XYZ"), "currency", id="unknown-currency"),
        pytest.param(valid_event(payee={"account_id": "acct_123"}), "payee", id="payer-is-payee"),
        pytest.param(valid_event(payer={}), "payer.account_id", id="payer-without-account"),
        pytest.param(valid_event(method={"type": "card"}), "method.token", id="method-without-token"),
        pytest.param(valid_event(method={"type": "card", "token": VISA_PAN}), "method.token", id="raw-pan-as-token"),
        pytest.param(valid_event(metadata={"note": "4111*1111*1111*1111"}), "metadata.note", id="raw-pan-in-metadata"),
        pytest.param(valid_event(metadata={"n": 1.5}), "metadata.n", id="metadata-with-a-number"),
        # Shapes validation accepts but never returns: processing wants the canonical form itself.
        pytest.param(valid_event(amount="125.5"), "amount", id="usd-amount-with-one-decimal"),
        pytest.param(valid_event(amount="125.500"), "amount", id="usd-amount-with-three-decimals"),
        pytest.param(valid_event(amount=125.5), "amount", id="amount-as-a-number"),
        pytest.param(valid_event(currency="JPY", amount="500.00"), "amount", id="jpy-amount-with-decimals"),
        pytest.param(valid_event(currency="KWD", amount="12.34"), "amount", id="kwd-amount-with-two-decimals"),
        pytest.param(valid_event(currency="usd"), "currency", id="lower-case-currency"),
        pytest.param(valid_event(surprise="extra"), "surprise", id="an-extra-field"),
        pytest.param(valid_event(method={"type": "card", "token": "tok_x", "cvc": "123"}), "method.cvc", id="a-cvc"),
    ],
)
def test_input_that_is_not_validation_output_is_refused_before_any_write(ledger: Ledger, event: Any, path: str) -> None:
    with pytest.raises(PaymentContractError) as caught:
        handler(event, None)
    assert path in {field for field, _ in caught.value.problems}
    assert ledger.items() == []


def test_the_contract_error_is_its_own_error_not_a_validation_error(ledger: Ledger) -> None:
    # Step Functions routes on the class name: a refusal in processing must not read as the customer's mistake.
    with pytest.raises(PaymentContractError) as caught:
        handler(valid_event(amount="-1"), None)
    assert not isinstance(caught.value, PaymentValidationError)
    assert str(caught.value) == (
        "payment refused by processing, not a validated payment, 1 problem: amount: must be greater than zero"
    )


def test_the_contract_error_never_repeats_a_card_number_or_token(ledger: Ledger) -> None:
    event = valid_event(payment_id=VISA_PAN, method={"type": "card", "token": CARD_TOKEN + " "})
    with pytest.raises(PaymentContractError) as caught:
        handler(event, None)
    assert VISA_PAN not in str(caught.value)
    assert CARD_TOKEN not in str(caught.value)


def test_processing_refuses_an_amount_above_the_configured_maximum(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAX_PAYMENT_AMOUNT", "100.00")
    with pytest.raises(PaymentContractError):
        handler(valid_event(amount="125.50"), None)
    assert ledger.items() == []


def test_processing_accepts_up_to_the_configured_maximum(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_PAYMENT_AMOUNT", "5000000")
    assert handler(valid_event(amount="2000000.00"), None)["amount"] == "2000000.00"


def test_what_validation_returns_is_recorded_unchanged(ledger: Ledger) -> None:
    payment = validation.handler(valid_event(amount="7", currency="kwd", metadata={"a": ""}), None)
    handler(payment, None)
    stored = ledger.record(payment["payment_id"])
    assert stored["payment"] == {k: v for k, v in payment.items() if k != "payment_id"}


def test_a_missing_ledger_table_setting_is_a_deployment_error(ledger: Ledger, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LEDGER_TABLE")
    with pytest.raises(LedgerTableNotConfiguredError):
        handler(valid_event(), None)


@pytest.mark.slow
def test_importing_the_handler_needs_no_aws_region_or_credentials() -> None:
    clean_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    clean_env["PYTHONPATH"] = str(REPO_ROOT)
    result = subprocess.run(
        [sys.executable, "-c", "import handlers.processing, handlers.validation"],
        env=clean_env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def validated(case: tuple[dict[str, Any], Decimal]) -> dict[str, Any]:
    return validation.validate_payment(case[0], max_amount=Decimal(validation.DEFAULT_MAX_AMOUNT))


@settings(max_examples=examples(150), deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(event=near_payments | valid_payments().map(lambda case: case[0]) | valid_payments().map(validated))
def test_processing_records_only_what_validation_returns_unchanged(ledger: Ledger, event: Any) -> None:
    # Arbitrary near-payments, valid ones in any accepted spelling, and validation's own output: only the last kind
    # may be recorded, and exactly as given.
    before = ledger.count()
    try:
        receipt = processing.process_payment(event, client=ledger.client, table_name=ledger.table_name)
    except (PaymentContractError, IdempotencyConflictError):
        assert ledger.count() == before
        return
    assert validation.validate_payment(event, max_amount=Decimal(validation.DEFAULT_MAX_AMOUNT)) == event
    stored = ledger.record(event["payment_id"])
    assert stored["payment"] == {k: v for k, v in event.items() if k != "payment_id"} or stored["receipt"] == receipt
