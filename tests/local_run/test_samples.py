"""The sample payments in samples/ and the expectations stored beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from local_run.emulator import LocalWorkflow
from local_run.outcome import ExecutionOutcome, Step
from local_run.runner import run_samples
from local_run.samples import Expectation, differences, load_sample, load_samples
from tests.local_run.payments import SAMPLES_DIR

PROCESSED = ExecutionOutcome(
    steps=(Step("ValidatePayment"), Step("ProcessPayment"), Step("PaymentProcessed")),
    status="SUCCEEDED",
    output={"transaction_id": "txn_1", "amount": "1.00", "currency": "USD"},
    error=None,
    cause=None,
)
PROCESSED_EXPECTATION = Expectation(status="SUCCEEDED", end_state="PaymentProcessed", receipt={"currency": "USD"})


def test_every_sample_ends_as_its_expectation_says(workflow: LocalWorkflow) -> None:
    results = run_samples(workflow, load_samples(SAMPLES_DIR))

    assert {result.sample.name: result.differences for result in results} == {
        result.sample.name: () for result in results
    }


def test_every_sample_has_an_expectation() -> None:
    assert all(sample.expectation is not None for sample in load_samples(SAMPLES_DIR))


def test_an_outcome_that_matches_has_no_differences() -> None:
    assert differences(PROCESSED, PROCESSED_EXPECTATION, {}) == []


def test_a_different_end_state_is_a_difference() -> None:
    expectation = Expectation(status="SUCCEEDED", end_state="PaymentRejected")

    assert differences(PROCESSED, expectation, {}) == ["ended in PaymentProcessed, expected PaymentRejected"]


def test_a_replay_with_another_receipt_is_a_difference() -> None:
    expectation = Expectation(status="SUCCEEDED", end_state="PaymentProcessed", same_receipt_as="01-first")
    first = ExecutionOutcome(PROCESSED.steps, "SUCCEEDED", {"transaction_id": "txn_0"}, None, None)

    assert differences(PROCESSED, expectation, {"01-first": first}) == ["receipt differs from 01-first's"]


def test_an_unknown_expectation_field_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown expectation fields: end"):
        Expectation.from_json({"status": "SUCCEEDED", "end": "PaymentProcessed"})


def test_a_payment_without_an_expectation_file_has_no_expectation(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"payment_id": "p"}))

    assert load_sample(path).expectation is None
