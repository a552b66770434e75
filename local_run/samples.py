"""Sample payments and the outcome expected of each, stored side by side.

``<name>.json`` is the execution input; ``<name>.expected.json`` beside it
says how the run must end::

    {"status": "SUCCEEDED", "end_state": "PaymentProcessed",
     "receipt": {"currency": "USD", "amount": "125.50"},   # fields that must match
     "same_receipt_as": "01-good-usd-card"}                # optional: a replay
    {"status": "FAILED", "end_state": "PaymentRejected", "error": "PaymentValidationError",
     "pages": []}                                          # optional: the alarms it sets off, exactly

``pages`` names alarms without the environment's prefix (``payments-failed``); what sets them off is read from the
synthesized alarms and metric filters (local_run.signals), never listed here.

Samples run in file-name order, because a replay only means something after
the payment it replays.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local_run.outcome import ExecutionOutcome

EXPECTATION_SUFFIX = ".expected.json"


@dataclass(frozen=True)
class Expectation:
    status: str
    end_state: str
    error: str | None = None
    receipt: Mapping[str, str] = field(default_factory=dict)
    same_receipt_as: str | None = None
    pages: tuple[str, ...] | None = None

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Expectation:
        unknown = set(document) - {"status", "end_state", "error", "receipt", "same_receipt_as", "pages"}
        if unknown:
            raise ValueError(f"unknown expectation fields: {', '.join(sorted(unknown))}")
        return cls(
            status=document["status"],
            end_state=document["end_state"],
            error=document.get("error"),
            receipt=document.get("receipt", {}),
            same_receipt_as=document.get("same_receipt_as"),
            pages=tuple(sorted(document["pages"])) if "pages" in document else None,
        )


@dataclass(frozen=True)
class Sample:
    name: str
    payment: Any
    expectation: Expectation | None


def load_sample(path: Path) -> Sample:
    """The payment at ``path`` and, if there is one, the expectation beside it."""
    name = path.name.removesuffix(".json")
    expectation_path = path.with_name(name + EXPECTATION_SUFFIX)
    expectation = Expectation.from_json(json.loads(expectation_path.read_text())) if expectation_path.exists() else None
    return Sample(name=name, payment=json.loads(path.read_text()), expectation=expectation)


def load_samples(directory: Path) -> list[Sample]:
    """Every sample in ``directory``, in file-name order."""
    paths = sorted(path for path in directory.glob("*.json") if not path.name.endswith(EXPECTATION_SUFFIX))
    return [load_sample(path) for path in paths]


def differences(
    outcome: ExecutionOutcome,
    expectation: Expectation,
    earlier: Mapping[str, ExecutionOutcome],
    pages: tuple[str, ...] = (),
) -> list[str]:
    """How ``outcome`` differs from ``expectation``; empty when it matches.

    ``earlier`` holds the outcomes of the samples already run, by name, for
    ``same_receipt_as``.
    """
    found: list[str] = []
    if outcome.status != expectation.status:
        found.append(f"status {outcome.status}, expected {expectation.status}")
    if outcome.end_state != expectation.end_state:
        found.append(f"ended in {outcome.end_state}, expected {expectation.end_state}")
    if expectation.error is not None and outcome.error != expectation.error:
        found.append(f"error {outcome.error}, expected {expectation.error}")
    receipt = outcome.output if isinstance(outcome.output, Mapping) else {}
    for name, value in expectation.receipt.items():
        if receipt.get(name) != value:
            found.append(f"receipt {name} {receipt.get(name)!r}, expected {value!r}")
    if expectation.same_receipt_as is not None:
        found.extend(_replay_differences(receipt, expectation.same_receipt_as, earlier))
    if expectation.pages is not None and tuple(sorted(pages)) != expectation.pages:
        paged, expected = ", ".join(sorted(pages)) or "no one", ", ".join(expectation.pages) or "no one"
        found.append(f"pages {paged}, expected {expected}")
    return found


def _replay_differences(
    receipt: Mapping[str, Any], original: str, earlier: Mapping[str, ExecutionOutcome]
) -> list[str]:
    if original not in earlier:
        return [f"cannot compare with {original}: it has not run before this sample"]
    if earlier[original].output != receipt:
        return [f"receipt differs from {original}'s"]
    return []
