"""Specification of the validation handler: what it accepts, how it normalizes, what it rejects."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from handlers.currencies import MINOR_UNITS
from handlers.validation import MAX_EVENT_CHARACTERS, PaymentValidationError, handler, validate_payment
from tests.handlers.iso4217 import ACCEPTED as ISO_ACCEPTED
from tests.handlers.iso4217 import ISO_4217_WITHOUT_MINOR_UNIT, OUTSIDE_THE_CONTRACT, WITHDRAWN
from tests.handlers.payments import (
    AMEX_PAN,
    BANK_TOKEN,
    CARD_TOKEN,
    DISCOVER_PAN,
    VISA_PAN,
    valid_event,
    without,
)


@pytest.fixture(autouse=True)
def default_maximum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAX_PAYMENT_AMOUNT", raising=False)


def rejected(event: Any) -> PaymentValidationError:
    with pytest.raises(PaymentValidationError) as caught:
        handler(event, None)
    return caught.value


def problem_fields(event: Any) -> set[str]:
    return {path for path, _ in rejected(event).problems}


# --- acceptance and normalization -------------------------------------------------------------


def test_a_valid_payment_is_returned_with_exactly_the_contract_fields() -> None:
    assert handler(valid_event(), None) == valid_event()


def test_metadata_is_optional_and_stays_absent_when_not_given() -> None:
    assert "metadata" not in handler(without("metadata"), None)


def test_empty_metadata_is_kept() -> None:
    assert handler(valid_event(metadata={}), None)["metadata"] == {}


def test_the_output_is_a_copy_so_later_states_cannot_alias_the_input() -> None:
    event = valid_event()
    result = handler(event, None)
    result["payer"]["account_id"] = "changed"
    assert event["payer"]["account_id"] == "acct_123"


@pytest.mark.parametrize("currency", ["usd", "Usd", "uSD", "USD"])
def test_currency_is_matched_case_insensitively_and_returned_upper_case(currency: str) -> None:
    assert handler(valid_event(currency=currency), None)["currency"] == "USD"


@pytest.mark.parametrize(
    ("currency", "amount", "normalized"),
    [
        ("USD", "125.5", "125.50"),
        ("USD", "7", "7.00"),
        ("USD", "007.10", "7.10"),
        ("USD", "7.500", "7.50"),
        ("JPY", "500", "500"),
        ("JPY", "500.00", "500"),
        ("KWD", "1.5", "1.500"),
        ("KWD", "0.001", "0.001"),
        ("USD", 7, "7.00"),
        ("USD", 125.5, "125.50"),
        ("USD", 0.1, "0.10"),
        ("JPY", 500.0, "500"),
        ("USD", "1000000.00", "1000000.00"),
    ],
)
def test_amount_is_formatted_with_the_currency_minor_unit_digits(
    currency: str, amount: str | float, normalized: str
) -> None:
    assert handler(valid_event(currency=currency, amount=amount), None)["amount"] == normalized


def amount_handled(currency: str, amount: str) -> str:
    """What the handler makes of `amount` in `currency`: the amount it returns, or the fields it rejects."""
    try:
        return handler(valid_event(currency=currency, amount=amount), None)["amount"]
    except PaymentValidationError as error:
        return f"rejected: {', '.join(sorted({path for path, _ in error.problems}))}"


def test_every_supported_currency_is_held_to_its_own_minor_unit() -> None:
    """One table, every ISO 4217 currency the contract accepts: whole amounts are written with its exponent's digits,
    its smallest unit is accepted as it is, and one digit more than it allows is refused. A failure lists each
    currency that differs, with what the handler did and what ISO 4217 says."""
    wrong = []
    for currency, exponent in sorted(ISO_ACCEPTED.items()):
        smallest = "1" if exponent == 0 else "0." + "0" * (exponent - 1) + "1"
        expected = {
            "42": "42" if exponent == 0 else "42." + "0" * exponent,
            smallest: smallest,
            "1." + "0" * exponent + "1": "rejected: amount",
        }
        for amount, wanted in expected.items():
            got = amount_handled(currency.lower() if amount == "42" else currency, amount)
            if got != wanted:
                wrong.append(f"{currency} (exponent {exponent}): {amount} -> {got!r}, ISO 4217 wants {wanted!r}")
    assert wrong == []


@pytest.mark.parametrize(
    "method",
    [
        {"type": "card", "token": CARD_TOKEN},
        {"type": "card", "token": "tok_visa"},
        {"type": "bank_transfer", "token": BANK_TOKEN},
        {"type": "bank_transfer", "token": "btok_" + "a" * 64},
    ],
)
def test_tokenized_card_and_bank_transfer_methods_are_accepted(method: dict[str, str]) -> None:
    assert handler(valid_event(method=method), None)["method"] == method


def test_validating_the_output_again_returns_it_unchanged() -> None:
    once = handler(valid_event(amount=12.5, currency="kwd", metadata={"a": ""}), None)
    assert handler(once, None) == once


# --- amount limits ----------------------------------------------------------------------------


def test_the_default_maximum_is_one_million_currency_units() -> None:
    assert handler(valid_event(amount="1000000"), None)["amount"] == "1000000.00"
    assert problem_fields(valid_event(amount="1000000.01")) == {"amount"}


def test_the_maximum_applies_in_units_of_the_payment_currency_not_usd() -> None:
    assert handler(valid_event(currency="JPY", amount="1000000"), None)["amount"] == "1000000"
    assert problem_fields(valid_event(currency="JPY", amount="1000001")) == {"amount"}


def test_the_maximum_comes_from_max_payment_amount(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_PAYMENT_AMOUNT", "50.00")
    assert handler(valid_event(amount="50"), None)["amount"] == "50.00"
    assert problem_fields(valid_event(amount="50.01")) == {"amount"}


@pytest.mark.parametrize("setting", ["", "abc", "-5", "0", "1e6", "NaN"])
def test_a_malformed_maximum_is_a_deployment_error_not_a_rejected_payment(
    monkeypatch: pytest.MonkeyPatch, setting: str
) -> None:
    monkeypatch.setenv("MAX_PAYMENT_AMOUNT", setting)
    with pytest.raises(ValueError, match="MAX_PAYMENT_AMOUNT"):
        handler(valid_event(), None)


def test_a_huge_configured_maximum_still_formats_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_PAYMENT_AMOUNT", "1" + "0" * 40)
    assert handler(valid_event(amount=10**39 + 1), None)["amount"] == str(10**39 + 1) + ".00"


# --- rejections, one per rule -----------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        pytest.param(None, id="null"),
        pytest.param([], id="array"),
        pytest.param("payment", id="string"),
        pytest.param(42, id="number"),
        pytest.param(True, id="boolean"),
    ],
)
def test_an_event_that_is_not_an_object_is_rejected(event: Any) -> None:
    assert problem_fields(event) == {"event"}


@pytest.mark.parametrize("field", ["payment_id", "amount", "currency", "payer", "payee", "method"])
def test_a_missing_required_field_is_rejected(field: str) -> None:
    error = rejected(without(field))
    assert (field, "is required") in error.problems


@pytest.mark.parametrize(
    ("extra", "path"),
    [
        ({"status": "PAID"}, "status"),
        ({"card_number": "tok_x"}, "card_number"),
        ({"Amount": "1.00"}, "Amount"),
    ],
)
def test_an_extra_top_level_field_is_rejected(extra: dict[str, str], path: str) -> None:
    assert problem_fields(valid_event(**extra)) == {path}


@pytest.mark.parametrize(
    "payment_id",
    ["", "a" * 65, "pay 1", "pay.1", "pay/1", "päy", "pay_1\n", 123, None, ["pay_1"]],
)
def test_a_malformed_payment_id_is_rejected(payment_id: Any) -> None:
    assert problem_fields(valid_event(payment_id=payment_id)) == {"payment_id"}


@pytest.mark.parametrize(
    ("amount", "why"),
    [
        pytest.param("0", "must be greater than zero", id="zero"),
        pytest.param("0.00", "must be greater than zero", id="zero-with-decimals"),
        pytest.param("-1.00", "must be greater than zero", id="negative"),
        pytest.param(-5, "must be greater than zero", id="negative-int"),
        pytest.param(0.0, "must be greater than zero", id="zero-float"),
        pytest.param("1000000.01", "must not exceed", id="above-maximum"),
        pytest.param(10**7, "must not exceed", id="above-maximum-int"),
        pytest.param("NaN", "finite", id="nan-string"),
        pytest.param("Infinity", "finite", id="infinity-string"),
        pytest.param("-inf", "finite", id="negative-infinity-string"),
        pytest.param(float("nan"), "finite", id="nan-float"),
        pytest.param(float("inf"), "finite", id="infinity-float"),
        pytest.param("1e3", "exponent", id="exponent"),
        pytest.param("1.25E+2", "exponent", id="exponent-upper-case"),
        pytest.param(True, "boolean", id="true"),
        pytest.param(False, "boolean", id="false"),
        pytest.param("1.234", "decimal places", id="too-many-decimals"),
        pytest.param(0.30000000000000004, "decimal places", id="binary-float-noise"),
        pytest.param("12,50", "plain decimal", id="decimal-comma"),
        pytest.param("1,000.00", "plain decimal", id="thousands-separator"),
        pytest.param(" 1.00", "plain decimal", id="leading-space"),
        pytest.param("+1.00", "plain decimal", id="explicit-plus"),
        pytest.param("1.", "plain decimal", id="trailing-point"),
        pytest.param(".5", "plain decimal", id="leading-point"),
        pytest.param("$1.00", "plain decimal", id="currency-symbol"),
        pytest.param("١٢٣", "plain decimal", id="non-ascii-digits"),
        pytest.param("", "plain decimal", id="empty"),
        pytest.param(None, "decimal string or a number", id="null"),
        pytest.param({"value": "1.00"}, "decimal string or a number", id="object"),
        # Sizes and spellings a hostile caller sends: refused by the one bounded path, never a crash.
        pytest.param("1.0010", "decimal places", id="usd-four-places-with-a-trailing-zero"),
        pytest.param("1." + "0" * 30 + "1", "decimal places", id="a-far-decimal"),
        pytest.param(10**5000 - 1, "at most 40 digits", id="5000-digit-int"),
        pytest.param(-(10**5000 - 1), "at most 40 digits", id="5000-digit-negative-int"),
        pytest.param(10**40, "at most 40 digits", id="41-digit-int"),
        pytest.param(10**39, "must not exceed", id="40-digit-int"),
        pytest.param("9" * 100_000, "at most 40 characters", id="100000-digit-string"),
        pytest.param("1." + "0" * 39, "at most 40 characters", id="41-characters-of-trailing-zeros"),
        pytest.param(1e300, "must not exceed", id="huge-float"),
        pytest.param(1e-300, "decimal places", id="tiny-float"),
        pytest.param(-0.0, "must be greater than zero", id="negative-zero-float"),
        pytest.param("sNaN", "finite", id="signalling-nan-string"),
        pytest.param("-Infinity", "finite", id="negative-infinity-word"),
        pytest.param("1e-2", "exponent", id="negative-exponent"),
        pytest.param("1E400000000", "exponent", id="vast-exponent"),
        pytest.param("0x10", "plain decimal", id="hexadecimal"),
        pytest.param("1_000", "plain decimal", id="python-digit-separator"),
        pytest.param("１０", "plain decimal", id="full-width-digits"),
        pytest.param("10\n", "plain decimal", id="trailing-newline"),
        pytest.param(["1.00"], "decimal string or a number", id="list"),
    ],
)
def test_an_unacceptable_amount_is_rejected(amount: Any, why: str) -> None:
    error = rejected(valid_event(amount=amount))
    assert {path for path, _ in error.problems} == {"amount"}
    assert any(why in reason for _, reason in error.problems)


def test_the_currency_table_is_iso_4217_list_one_with_exponents_0_2_and_3() -> None:
    # Both directions and every exponent: a missing, extra or wrong entry fails here, whatever the handler's table.
    assert dict(MINOR_UNITS) == ISO_ACCEPTED


@pytest.mark.parametrize(
    "currency",
    [
        *ISO_4217_WITHOUT_MINOR_UNIT,
        *OUTSIDE_THE_CONTRACT,
        *WITHDRAWN,
        *["ABC", "US", "USDD", "U$D", " USD", "ＵＳＤ", "", 840, None],
    ],
)
def test_an_unknown_or_unsupported_currency_is_rejected(currency: Any) -> None:
    assert problem_fields(valid_event(currency=currency)) == {"currency"}


@pytest.mark.parametrize(
    ("party", "value", "path"),
    [
        ("payer", "acct_123", "payer"),
        ("payer", {}, "payer.account_id"),
        ("payer", {"account_id": ""}, "payer.account_id"),
        ("payer", {"account_id": "acct 123"}, "payer.account_id"),
        ("payee", {"account_id": 456}, "payee.account_id"),
        ("payee", {"account_id": "acct_456", "name": "Bob"}, "payee.name"),
        ("payee", None, "payee"),
    ],
)
def test_a_malformed_party_is_rejected(party: str, value: Any, path: str) -> None:
    assert problem_fields(valid_event(**{party: value})) == {path}


def test_paying_yourself_is_rejected() -> None:
    error = rejected(valid_event(payee={"account_id": "acct_123"}))
    assert error.problems == (("payee", "must differ from payer"),)


@pytest.mark.parametrize(
    ("method", "paths"),
    [
        pytest.param({"type": "cash", "token": CARD_TOKEN}, {"method.type"}, id="unknown-type"),
        pytest.param({"type": "CARD", "token": CARD_TOKEN}, {"method.type"}, id="type-is-case-sensitive"),
        pytest.param({"token": CARD_TOKEN}, {"method.type"}, id="missing-type"),
        pytest.param({"type": "card"}, {"method.token"}, id="card-without-token"),
        pytest.param({"type": "card", "token": "card_abc"}, {"method.token"}, id="card-token-without-tok-prefix"),
        pytest.param({"type": "card", "token": BANK_TOKEN}, {"method.token"}, id="card-with-bank-token"),
        pytest.param({"type": "card", "token": "tok_"}, {"method.token"}, id="empty-token-body"),
        pytest.param({"type": "card", "token": "tok_" + "a" * 65}, {"method.token"}, id="token-too-long"),
        pytest.param({"type": "card", "token": "tok_a b"}, {"method.token"}, id="token-with-space"),
        pytest.param({"type": "bank_transfer"}, {"method.token"}, id="bank-transfer-without-token"),
        pytest.param({"type": "bank_transfer", "token": CARD_TOKEN}, {"method.token"}, id="bank-with-card-token"),
        pytest.param({"type": "card", "token": CARD_TOKEN, "cvc": "123"}, {"method.cvc"}, id="extra-key-like-a-cvc"),
        pytest.param(
            {"type": "bank_transfer", "token": BANK_TOKEN, "iban": "DE89"}, {"method.iban"}, id="extra-key-like-an-iban"
        ),
        pytest.param("card", {"method"}, id="not-an-object"),
    ],
)
def test_an_unacceptable_method_is_rejected(method: Any, paths: set[str]) -> None:
    assert problem_fields(valid_event(method=method)) == paths


@pytest.mark.parametrize(
    ("metadata", "path"),
    [
        pytest.param("A-1001", "metadata", id="not-an-object"),
        pytest.param(None, "metadata", id="null"),
        pytest.param({f"k{i}": "v" for i in range(21)}, "metadata", id="21-keys"),
        pytest.param({"order_id": 1001}, "metadata.order_id", id="number-value"),
        pytest.param({"order_id": None}, "metadata.order_id", id="null-value"),
        pytest.param({"tags": ["a"]}, "metadata.tags", id="array-value"),
        pytest.param({"note": "x" * 257}, "metadata.note", id="value-too-long"),
        pytest.param({"k" * 257: "x"}, "metadata.<key>", id="key-too-long"),
        pytest.param({"": "x"}, "metadata.<key>", id="empty-key"),
        pytest.param({"note": "\ud800"}, "metadata.note", id="lone-surrogate"),
    ],
)
def test_unacceptable_metadata_is_rejected(metadata: Any, path: str) -> None:
    assert problem_fields(valid_event(metadata=metadata)) == {path}


def test_metadata_at_its_limits_is_accepted() -> None:
    metadata = {f"{i:0>256}": "v" * 256 for i in range(20)}
    assert handler(valid_event(metadata=metadata), None)["metadata"] == metadata


# --- card numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "path"),
    [
        pytest.param({"payment_id": VISA_PAN}, "payment_id", id="payment-id"),
        pytest.param({"amount": VISA_PAN}, "amount", id="amount-string"),
        pytest.param({"amount": int(VISA_PAN)}, "amount", id="amount-number"),
        pytest.param({"payer": {"account_id": AMEX_PAN}}, "payer.account_id", id="account-id"),
        pytest.param({"method": {"type": "card", "token": "tok_" + VISA_PAN}}, "method.token", id="inside-token"),
        pytest.param({"method": {"type": "card", "token": "4111 1111 1111 1111"}}, "method.token", id="token-spaces"),
        pytest.param({"metadata": {"note": "card 6011-1111-1111-1117 ok"}}, "metadata.note", id="metadata-dashes"),
        pytest.param({"metadata": {DISCOVER_PAN: "x"}}, "metadata.<key>", id="metadata-key"),
        pytest.param({"extra": {"deep": [{"x": VISA_PAN}]}}, "extra.deep[0].x", id="nested-extra-field"),
        pytest.param({VISA_PAN: "x"}, "<key>", id="top-level-key"),
        pytest.param({"metadata": {"note": "card 4111*1111*1111*1111"}}, "metadata.note", id="digits-behind-asterisks"),
        pytest.param(
            {"metadata": {"note": "４１１１\u200b１１１１\u200b１１１１\u200b１１１１"}},
            "metadata.note",
            id="full-width-zwsp",
        ),
        pytest.param({"metadata": {"٤١١١ ١١١١ ١١١١ ١١١١": "x"}}, "metadata.<key>", id="arabic-indic-metadata-key"),
        pytest.param(
            {"extra": [[{"k": ["6011\u00ad1111\u00ad1111\u00ad1117"]}]]}, "extra[0][0].k[0]", id="nested-lists"
        ),
        pytest.param({"extra": {"4111.1111.1111.1111": {}}}, "extra.<key>", id="nested-key-with-dots"),
        pytest.param({"extra": 4.111111111111111e15}, "extra", id="pan-as-a-float"),
    ],
)
def test_a_raw_card_number_anywhere_in_the_event_is_rejected(overrides: dict[str, Any], path: str) -> None:
    error = rejected(valid_event(**overrides))
    assert (path, "contains a raw card number; send a token instead") in error.problems


@pytest.mark.parametrize("event", [[VISA_PAN], VISA_PAN, {"a": [[[AMEX_PAN]]]}])
def test_a_raw_card_number_is_reported_even_when_the_event_is_malformed(event: Any) -> None:
    assert any("card number" in reason for _, reason in rejected(event).problems)


def test_the_error_message_never_repeats_a_card_number_or_token() -> None:
    event = valid_event(
        payment_id=VISA_PAN,
        method={"type": "cash", "token": CARD_TOKEN},
        metadata={AMEX_PAN: "4111-1111-1111-1111", CARD_TOKEN: 5},
        **{DISCOVER_PAN: 1},
    )
    message = str(rejected(event))
    for secret in (VISA_PAN, AMEX_PAN, DISCOVER_PAN, "4111-1111-1111-1111", CARD_TOKEN):
        assert secret not in message


# --- reporting --------------------------------------------------------------------------------


def test_every_problem_is_listed_field_by_field() -> None:
    event = {
        "payment_id": "bad id",
        "amount": "-1",
        "currency": "XXX",
        "payer": {"account_id": "same"},
        "payee": {"account_id": "same"},
        "method": {"type": "cheque"},
        "metadata": {"n": 1},
        "surprise": True,
    }
    error = rejected(event)
    assert {path for path, _ in error.problems} == {
        "payment_id",
        "amount",
        "currency",
        "payee",
        "method.type",
        "method.token",
        "metadata.n",
        "surprise",
    }
    for path, reason in error.problems:
        assert f"{path}: {reason}" in str(error)


def test_the_message_counts_the_problems() -> None:
    assert str(rejected(without("amount"))).startswith("payment rejected, 1 problem: amount: is required")


def test_a_hostile_deeply_nested_event_is_rejected_not_crashed() -> None:
    nested: Any = VISA_PAN
    for _ in range(20_000):
        nested = {"n": nested}
    event = valid_event()
    event["n"] = nested
    error = rejected(event)
    assert ("n", "is not an allowed field") in error.problems
    assert any(path.startswith("n.n.n") and "card number" in reason for path, reason in error.problems)


def test_a_flood_of_problems_is_reported_in_part_and_counted_in_full() -> None:
    event = valid_event(**{f"extra_{i}": VISA_PAN for i in range(100)})
    error = rejected(event)
    assert len(error.problems) == 50
    assert error.omitted == 150
    assert str(error).startswith("payment rejected, 200 problems: ")
    assert str(error).endswith("; and 150 more")


def test_an_amount_with_more_places_than_its_currency_is_rejected_not_rounded() -> None:
    error = rejected(valid_event(currency="USD", amount="1.0010"))
    assert error.problems == (("amount", "has more decimal places than USD allows (2)"),)


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"metadata": {"n": "x" * (MAX_EVENT_CHARACTERS + 1)}}, id="one-long-string"),
        pytest.param({"extra": [""] * MAX_EVENT_CHARACTERS}, id="many-empty-strings"),
        pytest.param({"extra": [[]] * MAX_EVENT_CHARACTERS}, id="many-empty-lists"),
        pytest.param({"extra": {f"k{i}": 1 for i in range(MAX_EVENT_CHARACTERS // 4)}}, id="many-keys"),
        # Under the limit as written, over it once NFKC writes each ligature as 18 letters.
        pytest.param({"extra": ["\ufdfa" * 200] * 80}, id="many-strings-nfkc-lengthens"),
        # Under the limit as written, over it read twice (as written and percent-decoded).
        pytest.param({"extra": ["%20" * 1000] * 80}, id="many-strings-read-decoded-too"),
    ],
)
def test_an_event_larger_than_step_functions_carries_is_refused_unscanned(overrides: dict[str, Any]) -> None:
    error = rejected(valid_event(**overrides))
    assert len(error.problems) == 1
    path, reason = error.problems[0]
    assert path == "event"
    assert f"more than {MAX_EVENT_CHARACTERS} characters" in reason


def test_an_event_just_under_the_size_limit_is_checked_field_by_field() -> None:
    error = rejected(valid_event(extra="x" * (MAX_EVENT_CHARACTERS - 1000)))
    assert error.problems == (("extra", "is not an allowed field"),)


@pytest.mark.parametrize(
    "number",
    [10**5000 - 1, float("inf"), float("nan"), 1e300, -(10**25)],
    ids=["5000-digit-int", "infinity", "nan", "huge-float", "25-digit-negative-int"],
)
def test_a_number_anywhere_in_the_event_is_scanned_without_crashing(number: Any) -> None:
    assert problem_fields(valid_event(extra={"n": [number]})) == {"extra"}


def test_validate_payment_takes_the_maximum_as_an_argument() -> None:
    with pytest.raises(PaymentValidationError):
        validate_payment(valid_event(amount="2.00"), max_amount=Decimal("1.99"))
