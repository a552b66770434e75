"""Run samples through the local workflow and judge each outcome against its expectation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from local_run.emulator import LocalWorkflow
from local_run.outcome import ExecutionOutcome
from local_run.samples import Sample, differences
from synth_review.table import table, truncate

RESULT_WIDTH = 72


@dataclass(frozen=True)
class SampleResult:
    sample: Sample
    outcome: ExecutionOutcome
    differences: tuple[str, ...] | None  # None: the sample has no expectation
    pages: tuple[str, ...] = ()  # the synthesized alarms the execution would set off

    @property
    def as_expected(self) -> bool:
        return not self.differences


def run_samples(workflow: LocalWorkflow, samples: Sequence[Sample]) -> list[SampleResult]:
    """One execution per sample, in order, each judged with the outcomes before it."""
    results: list[SampleResult] = []
    earlier: dict[str, ExecutionOutcome] = {}
    for sample in samples:
        outcome = workflow.run(sample.payment, label=sample.name)
        pages = workflow.pages(outcome)
        found = (
            None if sample.expectation is None else tuple(differences(outcome, sample.expectation, earlier, pages))
        )
        results.append(SampleResult(sample, outcome, found, pages))
        earlier[sample.name] = outcome
    return results


def render_results(results: Sequence[SampleResult]) -> str:
    """The table of outcomes, then one line per difference from an expectation."""
    rows = [
        [
            result.sample.name,
            " → ".join(str(step) for step in result.outcome.steps),
            result.outcome.status,
            truncate(describe_result(result.outcome), RESULT_WIDTH),
            ", ".join(result.pages) or "no one",
            _verdict(result),
        ]
        for result in results
    ]
    lines = table(["payment", "path", "status", "result", "pages", "expected"], rows, indent="", rule=True)
    for result in results:
        lines.extend(f"  {result.sample.name}: {difference}" for difference in result.differences or ())
    return "\n".join(lines)


def describe_result(outcome: ExecutionOutcome) -> str:
    """The receipt of a processed payment, or the error and its message."""
    if outcome.status == "SUCCEEDED":
        return _receipt(outcome.output)
    return f"{outcome.error}: {outcome.error_message}"


def _receipt(output: Any) -> str:
    if not isinstance(output, Mapping):
        return repr(output)
    return f"{output.get('transaction_id')} {output.get('amount')} {output.get('currency')}"


def _verdict(result: SampleResult) -> str:
    if result.differences is None:
        return "-"
    return "ok" if result.as_expected else "DIFFERS"
