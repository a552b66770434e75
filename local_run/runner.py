"""Run samples through the local workflow and judge each outcome against its expectation."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from local_run.emulator import LocalWorkflow
from local_run.outcome import ExecutionOutcome
from local_run.samples import Sample, differences
from synth_review.report.table import WIDTH, fit, table

# A handler's refusal lists its problems as handlers/validation.py's describe_problems writes them: "<verdict>, <n>
# problem(s): <field>: <reason>; <field>: <reason>". A field path has no spaces, so a reason's own "; " (as in
# "contains a raw card number; send a token instead") is not taken for the start of the next problem.
_PROBLEM_COUNT = re.compile(r", [0-9]+ problems?$")
_PROBLEM = re.compile(r"; (?=[^\s:;]+: |and [0-9]+ more$)")


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
    """Two tables within WIDTH: each payment's path and whether it ended as expected; then what it returned, every
    problem of a rejection on its own line, and the alarms it would set off. Then each difference from an expectation.
    """
    paths = [[r.sample.name, " → ".join(str(step) for step in r.outcome.steps), r.outcome.status, _verdict(r)]
             for r in results]
    returned = [[r.sample.name, describe_result(r.outcome), r.pages or "no one"] for r in results]
    lines = table(["payment", "path", "status", "expected"], paths, indent="", rule=True, width=WIDTH)
    lines += ["", *table(["payment", "result", "pages"], returned, indent="", rule=True, width=WIDTH)]
    for result in results:
        lines.extend(f"  {result.sample.name}: {difference}" for difference in result.differences or ())
    return "\n".join(fit(lines))


def describe_result(outcome: ExecutionOutcome) -> tuple[str, ...]:
    """The receipt of a processed payment, or the error and its message, a line per problem it lists."""
    if outcome.status == "SUCCEEDED":
        return (_receipt(outcome.output),)
    message = outcome.error_message or ""
    summary, _, listed = message.partition(": ")
    if not _PROBLEM_COUNT.search(summary):
        return (f"{outcome.error}: {message}",)
    return (f"{outcome.error}: {summary}:", *(f"  {problem}" for problem in _PROBLEM.split(listed)))


def _receipt(output: Any) -> str:
    if not isinstance(output, Mapping):
        return repr(output)
    return f"{output.get('transaction_id')} {output.get('amount')} {output.get('currency')}"


def _verdict(result: SampleResult) -> str:
    if result.differences is None:
        return "-"
    return "ok" if result.as_expected else "DIFFERS"
