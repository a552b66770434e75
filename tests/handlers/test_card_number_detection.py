"""What counts as a raw card number (PAN): 13-19 Luhn-valid digits, grouped or not."""

from __future__ import annotations

import time

import pytest

from handlers.card_numbers import contains_card_number, passes_luhn


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("4111111111111111", id="visa-16"),
        pytest.param("4222222222222", id="visa-13"),
        pytest.param("378282246310005", id="amex-15"),
        pytest.param("30569309025904", id="diners-14"),
        pytest.param("6011111111111117", id="discover-16"),
        pytest.param("6250941006528599", id="unionpay-16"),
        pytest.param("4111111111111111110", id="19-digits"),
        pytest.param("4111 1111 1111 1111", id="spaces"),
        pytest.param("4111-1111-1111-1111", id="dashes"),
        pytest.param("4111 - 1111 - 1111 - 1111", id="spaced-dashes"),
        pytest.param("3782 822463 10005", id="amex-grouping"),
        pytest.param("pan=4111111111111111;", id="inside-text"),
        pytest.param("tok_4111111111111111", id="glued-to-letters"),
        pytest.param("ref 1234 4111 1111 1111 1111", id="after-other-digit-groups"),
        pytest.param("4111111111111111 exp 12/29", id="before-other-digits"),
    ],
)
def test_a_luhn_valid_13_to_19_digit_number_is_a_card_number(text: str) -> None:
    assert contains_card_number(text)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("4111111111111112", id="luhn-fails"),
        pytest.param("411111111111", id="12-digits"),
        pytest.param("41111111111111111111", id="20-digits-unbroken"),
        pytest.param("tok_1N3T00LkdIwHu7ix", id="token"),
        pytest.param("2024-01-15 10:30:00", id="timestamp"),
        pytest.param("+1 415-555-0100", id="phone-number"),
        pytest.param("125.50", id="amount"),
        pytest.param("4111.1111.1111.1111", id="dots-are-not-card-separators"),
        pytest.param("", id="empty"),
    ],
)
def test_other_digit_strings_are_not_card_numbers(text: str) -> None:
    assert not contains_card_number(text)


@pytest.mark.parametrize(
    ("digits", "valid"),
    [("0", True), ("18", True), ("79927398713", True), ("79927398710", False), ("4111111111111111", True)],
)
def test_luhn_check_digit(digits: str, valid: bool) -> None:
    assert passes_luhn(digits) is valid


def test_a_long_run_of_short_digit_groups_is_scanned_in_linear_time() -> None:
    # Quadratic scanning of 10,000 groups takes tens of seconds; linear takes ~0.2 s.
    started = time.perf_counter()
    assert not contains_card_number("1 " * 10_000)
    assert time.perf_counter() - started < 3
