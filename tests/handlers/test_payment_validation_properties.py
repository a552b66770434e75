"""Properties of the validation handler over generated events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.card_numbers import contains_card_number
from handlers.validation import METHOD_TOKEN_PREFIXES, PaymentValidationError, handler
from tests.handlers.iso4217 import ACCEPTED as MINOR_UNITS  # ISO 4217 as written in the tests, not the handler's table
from tests.hypothesis_profile import examples

PROPERTY_SETTINGS = settings(
    max_examples=examples(200),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

MAX_AMOUNT = Decimal("1000000.00")

# --- arbitrary JSON-like events ---------------------------------------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=8,
)
plausible_strings = st.sampled_from(
    ["", "usd", "JPY", "xau", "card", "bank_transfer", "tok_a", "btok_b", "4111111111111111", "1e3", "NaN", "-1"]
)
plausible_amounts = (
    st.decimals(allow_nan=True, allow_infinity=True).map(str)
    | st.floats()
    | st.integers(min_value=-(10**8), max_value=10**8)
    | st.booleans()
)
# Mostly the right field names with arbitrary values, so generated events get past
# the "not an object" check and exercise every field rule, not just the first.
near_payments = st.fixed_dictionaries(
    {
        "payment_id": json_values | plausible_strings,
        "amount": plausible_amounts | json_values,
        "currency": st.sampled_from(sorted(MINOR_UNITS)) | plausible_strings | json_values,
        "payer": st.fixed_dictionaries({"account_id": st.text(max_size=8) | plausible_strings}) | json_values,
        "payee": st.fixed_dictionaries({"account_id": st.text(max_size=8) | plausible_strings}) | json_values,
        "method": st.fixed_dictionaries(
            {"type": plausible_strings | json_values, "token": plausible_strings | st.text(max_size=12)}
        )
        | json_values,
    },
    optional={
        "metadata": st.dictionaries(st.text(max_size=8), json_values | st.text(max_size=300), max_size=22),
        "extra": json_values,
    },
)


@PROPERTY_SETTINGS
@given(event=json_values | near_payments)
def test_any_json_event_is_either_a_payment_that_revalidates_to_itself_or_a_validation_error(event: Any) -> None:
    try:
        payment = handler(event, None)
    except PaymentValidationError as error:
        assert error.problems, "a rejection must say why"
        return
    assert handler(payment, None) == payment


# --- valid payments ---------------------------------------------------------------------------

IDENTIFIER_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
identifiers = st.text(IDENTIFIER_ALPHABET, min_size=1, max_size=64).filter(lambda s: not contains_card_number(s))
# Short texts keep generation fast; the 256-character limits have their own example tests.
safe_text = st.text(max_size=40).filter(lambda s: not contains_card_number(s))


@st.composite
def amounts(draw: st.DrawFn, currency: str) -> tuple[Any, Decimal]:
    """An amount in one of the accepted spellings, with the value it denotes."""
    places = MINOR_UNITS[currency]
    minor = draw(st.integers(min_value=1, max_value=int(MAX_AMOUNT * 10**places)))
    value = Decimal(minor).scaleb(-places)
    spelling = draw(st.sampled_from(["plain", "trailing-zeros", "int", "float"]))
    if spelling == "trailing-zeros":
        plain = f"{value:f}"
        return plain + ("" if "." in plain else ".") + "0" * draw(st.integers(1, 3)), value
    if spelling == "int" and value == value.to_integral_value():
        return int(value), value
    if spelling == "float" and Decimal(repr(float(value))) == value:
        return float(value), value
    return f"{value:f}", value


@st.composite
def valid_payments(draw: st.DrawFn) -> tuple[dict[str, Any], Decimal]:
    currency = draw(st.sampled_from(sorted(MINOR_UNITS)))
    amount, value = draw(amounts(currency))
    payer, payee = draw(st.lists(identifiers, min_size=2, max_size=2, unique=True))
    method_type = draw(st.sampled_from(sorted(METHOD_TOKEN_PREFIXES)))
    token = METHOD_TOKEN_PREFIXES[method_type] + draw(identifiers)
    event: dict[str, Any] = {
        "payment_id": draw(identifiers),
        "amount": amount,
        "currency": draw(st.sampled_from([currency, currency.lower(), currency.title()])),
        "payer": {"account_id": payer},
        "payee": {"account_id": payee},
        "method": {"type": method_type, "token": token},
    }
    if draw(st.booleans()):
        event["metadata"] = draw(st.dictionaries(safe_text.filter(bool), safe_text, max_size=20))
    return event, value


@PROPERTY_SETTINGS
@given(case=valid_payments())
def test_every_valid_payment_is_accepted_with_its_value_and_currency_preserved(
    case: tuple[dict[str, Any], Decimal],
) -> None:
    event, value = case
    payment = handler(event, None)
    currency = event["currency"].upper()
    assert payment["currency"] == currency
    assert Decimal(payment["amount"]) == value
    places = MINOR_UNITS[currency]
    assert len(payment["amount"].partition(".")[2]) == places
    assert {k: v for k, v in payment.items() if k not in ("amount", "currency")} == {
        k: v for k, v in event.items() if k not in ("amount", "currency")
    }
    assert handler(payment, None) == payment


@pytest.fixture(autouse=True)
def default_maximum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MAX_PAYMENT_AMOUNT", raising=False)
