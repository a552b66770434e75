"""What happened to one execution, distilled from its history."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from local_run.signals import FunctionLog


@dataclass(frozen=True)
class Step:
    """One state entered; ``attempts`` counts its task attempts (more than one when retried)."""

    state: str
    attempts: int = 1

    def __str__(self) -> str:
        return self.state if self.attempts <= 1 else f"{self.state} ×{self.attempts}"


@dataclass(frozen=True)
class ExecutionOutcome:
    steps: tuple[Step, ...]
    status: str
    output: Any
    error: str | None
    cause: str | None
    history: tuple[Mapping[str, Any], ...] = ()  # GetExecutionHistory, for what the execution logs
    function_logs: tuple[FunctionLog, ...] = ()  # what each Lambda invocation of the execution logged

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(step.state for step in self.steps)

    @property
    def end_state(self) -> str | None:
        return self.steps[-1].state if self.steps else None

    @property
    def error_message(self) -> str | None:
        """The Lambda's ``errorMessage`` when the cause is a Lambda error payload, else the cause."""
        if self.cause is None:
            return None
        try:
            payload = json.loads(self.cause)
        except json.JSONDecodeError:
            return self.cause
        if isinstance(payload, Mapping) and isinstance(payload.get("errorMessage"), str):
            return payload["errorMessage"]
        return self.cause


def outcome_from_history(
    description: Mapping[str, Any],
    events: Sequence[Mapping[str, Any]],
    function_logs: Sequence[FunctionLog] = (),
) -> ExecutionOutcome:
    """Build the outcome from DescribeExecution, the full GetExecutionHistory and what the functions logged."""
    output = description.get("output")
    return ExecutionOutcome(
        steps=_steps(events),
        status=description["status"],
        output=json.loads(output) if output is not None else None,
        error=description.get("error"),
        cause=description.get("cause"),
        history=tuple(events),
        function_logs=tuple(function_logs),
    )


def _steps(events: Sequence[Mapping[str, Any]]) -> tuple[Step, ...]:
    steps: list[Step] = []
    for event in events:
        entered = event.get("stateEnteredEventDetails")
        if entered is not None:
            steps.append(Step(entered["name"], attempts=0))
        elif event["type"].endswith("Scheduled") and steps:
            # TaskScheduled / LambdaFunctionScheduled: one per attempt of the current state.
            current = steps[-1]
            steps[-1] = Step(current.state, current.attempts + 1)
    return tuple(Step(step.state, max(step.attempts, 1)) for step in steps)
