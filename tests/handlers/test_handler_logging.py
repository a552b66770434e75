"""What the handlers log: structured records keyed by payment id, never tokens, PANs or events.

Lambda's JSON log format turns each record's ``extra`` fields into JSON keys,
so the record attributes checked here are what lands in CloudWatch.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from handlers import processing, validation
from handlers.processing import IdempotencyConflictError, PaymentContractError
from handlers.validation import PaymentValidationError
from tests.handlers.conftest import Ledger
from tests.handlers.payments import AMEX_PAN, BANK_TOKEN, CARD_TOKEN, VISA_PAN, valid_event

# Values that must never reach a log line: secrets, and fields only a dumped event would carry.
NEVER_LOGGED = (CARD_TOKEN, BANK_TOKEN, VISA_PAN, AMEX_PAN, "4111 1111 1111 1111", "acct_123", "A-1001")


def rendered(record: logging.LogRecord) -> str:
    """Everything a JSON formatter could emit for the record, message and extras alike."""
    return record.getMessage() + json.dumps(record.__dict__, default=str)


def handler_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("handlers.")]


def assert_nothing_secret_logged(caplog: pytest.LogCaptureFixture) -> None:
    records = handler_records(caplog)
    assert records, "the handler should have logged"
    for record in records:
        text = rendered(record)
        for secret in NEVER_LOGGED:
            assert secret not in text, f"{secret!r} leaked into {record.getMessage()!r}"


@pytest.fixture(autouse=True)
def capture_everything(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    caplog.set_level(logging.DEBUG, logger="handlers")
    monkeypatch.delenv("MAX_PAYMENT_AMOUNT", raising=False)


def test_an_accepted_payment_is_logged_by_id_without_its_token(caplog: pytest.LogCaptureFixture) -> None:
    validation.handler(valid_event(), None)
    (record,) = handler_records(caplog)
    assert record.levelno == logging.INFO
    assert record.__dict__["payment_id"] == "pay_8f3a2c"
    assert_nothing_secret_logged(caplog)


def test_a_rejection_is_logged_with_the_failing_fields_only(caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(PaymentValidationError):
        validation.handler(valid_event(amount="-1", method={"type": "card", "token": "4111 1111 1111 1111"}), None)
    (record,) = handler_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.__dict__["payment_id"] == "pay_8f3a2c"
    assert record.__dict__["problem_fields"] == ["amount", "method.token"]
    assert_nothing_secret_logged(caplog)


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(valid_event(payment_id=VISA_PAN), id="payment-id-is-a-pan"),
        pytest.param(valid_event(metadata={AMEX_PAN: VISA_PAN}), id="pan-in-metadata"),
        pytest.param([VISA_PAN, CARD_TOKEN], id="not-an-object"),
        pytest.param(valid_event(metadata={CARD_TOKEN: 5}), id="token-as-a-rejected-metadata-key"),
    ],
)
def test_a_card_number_or_token_in_a_rejected_event_never_reaches_the_log(
    caplog: pytest.LogCaptureFixture, event: Any
) -> None:
    with pytest.raises(PaymentValidationError):
        validation.handler(event, None)
    assert_nothing_secret_logged(caplog)


def test_a_bank_transfer_token_is_not_logged(caplog: pytest.LogCaptureFixture) -> None:
    validation.handler(valid_event(method={"type": "bank_transfer", "token": BANK_TOKEN}), None)
    assert_nothing_secret_logged(caplog)


def test_recording_replaying_and_conflicting_are_logged_by_id_without_secrets(
    caplog: pytest.LogCaptureFixture, ledger: Ledger
) -> None:
    receipt = processing.handler(valid_event(), None)
    processing.handler(valid_event(), None)
    with pytest.raises(IdempotencyConflictError):
        processing.handler(valid_event(method={"type": "bank_transfer", "token": BANK_TOKEN}), None)

    records = handler_records(caplog)
    assert [r.getMessage() for r in records] == [
        "payment recorded",
        "payment replayed",
        "payment id reused for a different payment",
    ]
    assert all(r.__dict__["payment_id"] == "pay_8f3a2c" for r in records)
    assert records[0].__dict__["transaction_id"] == receipt["transaction_id"]
    assert records[2].__dict__["differing_fields"] == ["method"]
    assert_nothing_secret_logged(caplog)


def test_the_conflict_error_message_carries_no_token(ledger: Ledger) -> None:
    processing.handler(valid_event(), None)
    with pytest.raises(IdempotencyConflictError) as caught:
        processing.handler(valid_event(method={"type": "bank_transfer", "token": BANK_TOKEN}), None)
    assert CARD_TOKEN not in str(caught.value)
    assert BANK_TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(valid_event(amount="-1", metadata={"note": VISA_PAN}), id="pan-in-metadata"),
        pytest.param(valid_event(payment_id=VISA_PAN), id="payment-id-is-a-pan"),
        pytest.param(valid_event(amount="125.5"), id="not-canonical"),
    ],
)
def test_a_refusal_by_processing_is_logged_with_the_failing_fields_only(
    caplog: pytest.LogCaptureFixture, ledger: Ledger, event: Any
) -> None:
    with pytest.raises(PaymentContractError):
        processing.handler(event, None)
    (record,) = handler_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.__dict__["problem_fields"]
    assert_nothing_secret_logged(caplog)
