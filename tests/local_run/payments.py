"""Payments for the workflow tests, each with a payment id no other test uses."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

SAMPLES_DIR = Path(__file__).resolve().parents[2] / "samples"


def good_payment(**overrides: Any) -> dict[str, Any]:
    """The first sample payment under a fresh id; keyword arguments replace fields."""
    payment = json.loads((SAMPLES_DIR / "01-good-usd-card.json").read_text())
    payment["payment_id"] = f"pay_test_{uuid.uuid4().hex[:16]}"
    payment.update(overrides)
    return payment


def invalid_payment() -> dict[str, Any]:
    return good_payment(currency="XYZ")
