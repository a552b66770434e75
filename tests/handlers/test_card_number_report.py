"""The card-number report on a stratified slice of the labelled corpus: every class's first texts meet the targets.

bench/card_numbers.py measures the whole corpus (thousands of texts per class, enough to see 0.1%); here the first
CARD_CORPUS_SLICE_PER_CLASS of each class must all be refused (hostile) or all pass (benign), except the classes
whose price docs/card-numbers.md names.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.card_numbers import PRICES, measure, missed_targets, render
from handlers.card_numbers import contains_card_number
from handlers.processing import PaymentContractError, process_payment
from handlers.validation import PaymentValidationError, validate_payment
from tests.handlers.card_corpus import BENIGN, CLASSES, HOSTILE, digest
from tests.handlers.conftest import CARD_CORPUS_SLICE_PER_CLASS

ROOT = Path(__file__).resolve().parents[2]
# The slice's SHA-256: the corpus is a function of card_corpus.py, its seed and the libraries Pipfile.lock pins. When
# one of them changes on purpose, put the new digest here and run bench/card_numbers.py for the figures.
SLICE_DIGEST = "2d81da30680aefb725cf8d4d8266f94a7fbe49a7262093dde5022118af49dc7e"


def test_the_corpus_slice_is_the_one_generated_when_the_figures_were_measured(card_corpus_slice):
    assert len(card_corpus_slice) == CARD_CORPUS_SLICE_PER_CLASS * len(CLASSES)
    assert digest(card_corpus_slice) == SLICE_DIGEST


def test_every_class_of_the_slice_meets_its_target(card_corpus_slice):
    results = measure(card_corpus_slice)
    assert {result.name for result in results} == {corpus_class.name for corpus_class in CLASSES}
    assert [(r.label, r.name, f"{r.refused}/{r.count}", r.example) for r in missed_targets(results)] == []


def test_the_report_shows_every_class_and_each_price_is_a_class_the_docs_name(card_corpus_slice):
    report = render(measure(card_corpus_slice), CARD_CORPUS_SLICE_PER_CLASS, CARD_CORPUS_SLICE_PER_CLASS,
                    digest(card_corpus_slice), timings=[])
    assert all(f"| {corpus_class.name} |" in report for corpus_class in CLASSES)
    docs = (ROOT / "docs" / "card-numbers.md").read_text()
    for name in PRICES:
        assert name in {corpus_class.name for corpus_class in CLASSES}, name
        assert f"**{name}**" in docs, f"docs/card-numbers.md does not name the price of {name!r}"


class _RecordingLedger:
    """Stands in for DynamoDB: the test is about which payments reach the write, not about the write."""

    def __init__(self) -> None:
        self.writes: list[str] = []

    def put_item(self, **request: Any) -> None:
        self.writes.append(request["Item"]["payment_id"]["S"])


def _payment(index: int, note: str) -> dict[str, Any]:
    return {"payment_id": f"p-{index}", "amount": "10.00", "currency": "EUR", "payer": {"account_id": "a"},
            "payee": {"account_id": "b"}, "method": {"type": "card", "token": "tok_1"}, "metadata": {"note": note}}


def test_validation_and_processing_refuse_exactly_the_corpus_texts_the_detector_refuses(card_corpus_slice):
    ledger = _RecordingLedger()
    refused_by_both = []
    for index, text in enumerate(card_corpus_slice):
        payment = _payment(index, text.text)
        refused = contains_card_number(text.text)
        try:
            validate_payment(payment, max_amount=Decimal(1000))
            validation_refused = False
        except PaymentValidationError as error:
            validation_refused = ("metadata.note", "contains a raw card number; send a token instead") in error.problems
        try:
            process_payment(payment, client=ledger, table_name="ledger", max_amount=Decimal(1000))
            processing_refused = False
        except PaymentContractError as error:
            processing_refused = ("metadata.note", "contains a raw card number; send a token instead") in error.problems
        assert validation_refused == processing_refused == refused, (text.class_name, ascii(text.text))
        if refused:
            refused_by_both.append(f"p-{index}")
    assert set(ledger.writes).isdisjoint(refused_by_both)
    assert len(ledger.writes) == len(card_corpus_slice) - len(refused_by_both)


def _measured_rows() -> dict[str, list[str]]:
    """Class name -> the cells of its row in bench/card_numbers.md, the benchmark's last run on the whole corpus."""
    rows = {}
    for line in (ROOT / "bench" / "card_numbers.md").read_text().splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if line.startswith("## Worst"):
            break  # the timings follow: their inputs are not corpus classes, though one shares a class's name
        if line.startswith("| ") and cells[0] in {corpus_class.name for corpus_class in CLASSES}:
            rows[cells[0]] = cells
    return rows


def _as_quoted(rate: str) -> str:
    """'2.800%' as the docs write it: '2.8%'."""
    return rate.rstrip("%").rstrip("0").rstrip(".") + "%"


def test_the_docs_quote_the_measured_rate_of_each_price_and_the_count_of_classes_on_target():
    rows = _measured_rows()
    assert set(rows) == {corpus_class.name for corpus_class in CLASSES}, "bench/card_numbers.md is of another corpus"
    docs, readme = (ROOT / "docs" / "card-numbers.md").read_text(), (ROOT / "README.md").read_text()
    for name in PRICES:
        assert f"**{name}** ({_as_quoted(rows[name][3])}" in docs, name
    hostile = [rows[c.name] for c in CLASSES if c.label == HOSTILE]
    on_target = sum(cells[-1] == "met" for cells in hostile)
    assert f"{on_target} of {len(hostile)} classes at 100%" in readme
    assert f"**Hostile: {on_target} of {len(hostile)} classes at 100%**" in docs
    benign = [rows[c.name] for c in CLASSES if c.label == BENIGN]
    on_target, none_refused = sum(cells[-1] == "met" for cells in benign), sum(cells[2] == "0" for cells in benign)
    assert f"**Benign: {on_target} of {len(benign)} classes within the target, {none_refused} of them" in docs
    assert f"({none_refused} of {len(benign)} classes: none of 5,000" in readme
