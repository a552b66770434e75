"""What `make run-local` prints: two tables within 120 columns, every problem of a rejection in full on its own line."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.validation import PaymentValidationError, describe_problems, validate_payment
from local_run.emulator import LocalWorkflow
from local_run.outcome import ExecutionOutcome, Step
from local_run.runner import SampleResult, describe_result, render_results, run_samples
from local_run.samples import Sample, load_sample
from synth_review.report.table import WIDTH
from tests.hypothesis_profile import examples
from tests.local_run.payments import SAMPLES_DIR

# The README's own example: a negative amount, an unknown currency, payer = payee and a card number as the token.
FIVE_PROBLEMS = {
    "payment_id": "pay_1", "amount": "-5", "currency": "XYZ",
    "payer": {"account_id": "acct_1"}, "payee": {"account_id": "acct_1"},
    "method": {"type": "card", "token": "4111 1111 1111 1111"},
}


def rejected(message: str, error: str = "PaymentValidationError") -> ExecutionOutcome:
    """An execution that ended in the rejection state, its cause the Lambda runtime's error payload."""
    return ExecutionOutcome(
        steps=(Step("ValidatePayment"), Step("PaymentRejected")), status="FAILED", output=None, error=error,
        cause=json.dumps({"errorType": error, "errorMessage": message}),
    )


def refusal(event: dict[str, object]) -> PaymentValidationError:
    with pytest.raises(PaymentValidationError) as refused:
        validate_payment(event, max_amount=Decimal("1000000.00"))
    return refused.value


def test_a_rejection_lists_each_of_its_problems_in_full_on_its_own_line() -> None:
    error = refusal(FIVE_PROBLEMS)

    assert describe_result(rejected(str(error))) == (
        "PaymentValidationError: payment rejected, 5 problems:",
        *(f"  {field}: {reason}" for field, reason in error.problems),
    )


def test_a_message_that_lists_no_problems_is_shown_whole() -> None:
    message = "payment_id pay_1 was already used for a payment with a different amount"

    assert describe_result(rejected(message, "IdempotencyConflictError")) == (f"IdempotencyConflictError: {message}",)


fields = st.from_regex(r"[a-z_]{1,12}(?:\.[a-z_]{1,12}|\[[0-9]{1,3}\])*", fullmatch=True)
# A reason is prose: words, with ", " or "; " between some of them (as in "contains a raw card number; send a token
# instead"), never a colon right after one word, which is how a field path starts the next problem.
words = st.from_regex(r"[a-z0-9()]{1,10}", fullmatch=True)
reasons = st.lists(st.tuples(words, st.sampled_from([" ", " ", ", ", "; "])), min_size=2, max_size=10).map(
    lambda parts: "".join(word + joiner for word, joiner in parts) + "end"
)


@given(problems=st.lists(st.tuples(fields, reasons), min_size=1, max_size=8), omitted=st.integers(0, 3))
@settings(max_examples=examples(50), deadline=None)
def test_the_problems_read_back_are_those_the_handler_wrote(problems: list[tuple[str, str]], omitted: int) -> None:
    message = describe_problems("payment rejected", tuple(problems), omitted)

    lines = describe_result(rejected(message))

    more = [f"  and {omitted} more"] if omitted else []
    assert list(lines[1:]) == [f"  {field}: {reason}" for field, reason in problems] + more


def test_every_line_fits_120_columns_with_long_names_messages_and_many_alarms() -> None:
    outcome = rejected(str(refusal(FIVE_PROBLEMS)))
    result = SampleResult(Sample("x" * 60, {}, None), outcome, ("a difference " * 12,),
                          pages=tuple(f"alarm-{n}-" + "y" * 30 for n in range(4)))

    text = render_results([result])

    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert "DIFFERS" in text


def test_the_report_of_a_real_run_fits_120_columns_and_shows_the_whole_reason(workflow: LocalWorkflow) -> None:
    results = run_samples(workflow, [load_sample(SAMPLES_DIR / "10-invalid-disguised-card-number.json")])

    text = render_results(results)

    assert max(len(line) for line in text.splitlines()) <= WIDTH
    for field in ("metadata.ref", "metadata.note"):
        assert f"  {field}: contains a raw card number; send a token instead" in text
