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

A file that cannot be a workflow input (not JSON, not an object, nested
deeper than the local interpreter can carry) is a SampleError naming the
file, so the CLI says so in one line instead of running it into a
States.Runtime error or a RecursionError.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from local_run.outcome import ExecutionOutcome

EXPECTATION_SUFFIX = ".expected.json"
# moto's Step Functions interpreter recurses through the input and fails past ~900 levels (and json past ~1000);
# the payment contract is two levels deep, so a hundred leaves hostile samples plenty of room.
MAX_NESTING = 100


class SampleError(ValueError):
    """A sample file that cannot be run; the message starts with the file's path."""


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
    """The payment at ``path`` and, if there is one, the expectation beside it; SampleError if either is unusable."""
    name = path.name.removesuffix(".json")
    payment = _json_object(path, "a payment must be a JSON object (the workflow's input)")
    expectation_path = path.with_name(name + EXPECTATION_SUFFIX)
    expectation = None
    if expectation_path.exists():
        document = _json_object(expectation_path, "an expectation must be a JSON object")
        try:
            expectation = Expectation.from_json(document)
        except KeyError as missing:
            raise SampleError(f"{expectation_path}: the expectation has no {missing} field") from None
        except ValueError as error:
            raise SampleError(f"{expectation_path}: {error}") from None
    return Sample(name=name, payment=payment, expectation=expectation)


def load_samples(directory: Path) -> list[Sample]:
    """Every sample in ``directory``, in file-name order; SampleError if there is none to run."""
    if not directory.is_dir():
        reason = "is not a folder" if directory.exists() else "does not exist"
        raise SampleError(f"{directory}: {reason}; --samples takes a folder of <name>.json payments")
    paths = sorted(path for path in directory.glob("*.json") if not path.name.endswith(EXPECTATION_SUFFIX))
    if not paths:
        raise SampleError(f"{directory}: has no payments to run (no <name>.json files)")
    return [load_sample(path) for path in paths]


def _json_object(path: Path, rule: str) -> dict[str, Any]:
    document = read_json(path)
    if not isinstance(document, dict):
        raise SampleError(f"{path}: {rule}, not {_json_kind(document)}")
    return document


def read_json(path: Path) -> Any:
    """The JSON document in ``path``, at most MAX_NESTING deep; SampleError naming the file otherwise."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SampleError(f"{path}: is not UTF-8 text") from None
    except OSError as error:
        raise SampleError(f"{path}: cannot be read ({error.strerror or type(error).__name__})") from None
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise SampleError(f"{path}: is nested deeper than {MAX_NESTING} levels") from None
    except ValueError as error:  # json.JSONDecodeError, _refuse_constant, or an integer too long to read
        raise SampleError(f"{path}: is not valid JSON: {error}") from None
    if _deeper_than(document, MAX_NESTING):
        raise SampleError(f"{path}: is nested deeper than {MAX_NESTING} levels")
    return document


def _refuse_constant(name: str) -> Any:
    # Python's json reads NaN and Infinity; JSON (RFC 8259) and Step Functions do not.
    raise ValueError(f"{name} is not a JSON value")


def _deeper_than(document: Any, limit: int) -> bool:
    level: list[Any] = [document]
    for _ in range(limit):
        level = [
            child
            for node in level
            if isinstance(node, dict | list)
            for child in (node.values() if isinstance(node, dict) else node)
        ]
        if not level:
            return False
    return any(isinstance(node, dict | list) for node in level)


def _json_kind(document: Any) -> str:
    if isinstance(document, list):
        return "a list"
    if isinstance(document, str):
        return "a string"
    if isinstance(document, bool):
        return "a boolean"
    if document is None:
        return "null"
    return "a number"


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
