"""Sample payments shared by the handler tests."""

from __future__ import annotations

import copy
from typing import Any

CARD_TOKEN = "tok_1N3T00LkdIwHu7ix"
BANK_TOKEN = "btok_9Qz2Lm"
# Well-known test PANs (Visa, Amex, Discover): Luhn-valid, never real cards.
VISA_PAN = "4111111111111111"
AMEX_PAN = "378282246310005"
DISCOVER_PAN = "6011111111111117"

_VALID_EVENT: dict[str, Any] = {
    "payment_id": "pay_8f3a2c",
    "amount": "125.50",
    "currency": "USD",
    "payer": {"account_id": "acct_123"},
    "payee": {"account_id": "acct_456"},
    "method": {"type": "card", "token": CARD_TOKEN},
    "metadata": {"order_id": "A-1001"},
}


def valid_event(**overrides: Any) -> dict[str, Any]:
    """A fresh, already-normalized valid event; keyword arguments replace fields."""
    event = copy.deepcopy(_VALID_EVENT)
    event.update(copy.deepcopy(overrides))
    return event


def without(field: str) -> dict[str, Any]:
    """A valid event missing one top-level field."""
    event = valid_event()
    del event[field]
    return event
