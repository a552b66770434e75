"""The states of each synthesized state machine and where every error goes, read from its definition JSON.

A reviewer wants to see, before a deploy, that every Task that can fail either retries or is caught into a Fail
state, and that no error route points at a state that does not exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from cdktf_out.placeholders import with_placeholders
from cdktf_out.tree import SynthesizedApp
from synth_review.findings import Finding

# Each rule id a finding of this module may carry, and what it guards (docs/review.md lists them all).
RULES = {
    "state-machine-definition": "every state-machine route leads to a state that exists",
}

STATE_MACHINE = "aws_sfn_state_machine"


@dataclass(frozen=True)
class StateRow:
    stack: str
    machine: str  # the Terraform address, with " / <branch>" for states inside Parallel or Map
    state: str
    type: str
    next: str
    retries: tuple[str, ...]  # "States.TaskFailed x3"
    catches: tuple[str, ...]  # "States.ALL -> Failed"


@dataclass(frozen=True)
class MachineSummary:
    stack: str
    address: str
    kind: str
    logging: str
    tracing: str
    rows: tuple[StateRow, ...]
    problems: tuple[str, ...]


def machines(app: SynthesizedApp) -> list[MachineSummary]:
    found = []
    for stack in app.stacks:
        for block in stack.resources(STATE_MACHINE):
            logging = (block.body.get("logging_configuration") or [{}])
            logging = logging[0] if isinstance(logging, list) else logging
            tracing = (block.body.get("tracing_configuration") or [{}])
            tracing = tracing[0] if isinstance(tracing, list) else tracing
            definition, problems = _definition(block.body.get("definition"))
            rows = tuple(_rows(stack.name, block.address, definition)) if definition else ()
            problems += _dangling_routes(rows, definition)
            found.append(MachineSummary(
                stack=stack.name,
                address=block.address,
                kind=str(block.body.get("type", "STANDARD")),
                logging=(f"{logging.get('level', 'OFF')} -> {with_placeholders(str(logging.get('log_destination')))}"
                         if logging else "OFF"),
                tracing="on" if tracing.get("enabled") else "off",
                rows=rows,
                problems=tuple(problems),
            ))
    return found


def state_machine_findings(app: SynthesizedApp) -> list[Finding]:
    return [
        Finding("state-machine-definition", m.stack, m.address, problem)
        for m in machines(app)
        for problem in m.problems
    ]


def _definition(raw: Any) -> tuple[dict[str, Any] | None, list[str]]:
    if not isinstance(raw, str):
        return None, [f"definition is {type(raw).__name__}, not a JSON string"]
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as error:
        return None, [f"definition is not JSON the review can read ({error.msg}); it may be a Terraform expression"]
    if not isinstance(parsed, dict) or not isinstance(parsed.get("States"), dict):
        return None, ["definition has no States"]
    return parsed, []


def _rows(stack: str, machine: str, definition: dict[str, Any]) -> Iterator[StateRow]:
    for name, state in definition["States"].items():
        yield StateRow(
            stack=stack,
            machine=machine,
            state=name,
            type=str(state.get("Type", "?")),
            next=_next(state),
            retries=tuple(
                f"{'|'.join(r.get('ErrorEquals', []))} x{r.get('MaxAttempts', 3)}" for r in state.get("Retry", [])
            ),
            catches=tuple(f"{'|'.join(c.get('ErrorEquals', []))} -> {c.get('Next')}" for c in state.get("Catch", [])),
        )
        for index, branch in enumerate(_branches(state)):
            yield from _rows(stack, f"{machine} / {name}[{index}]", branch)


def _branches(state: dict[str, Any]) -> list[dict[str, Any]]:
    nested = list(state.get("Branches", []))
    for key in ("ItemProcessor", "Iterator"):
        if isinstance(state.get(key), dict):
            nested.append(state[key])
    return [b for b in nested if isinstance(b.get("States"), dict)]


def _next(state: dict[str, Any]) -> str:
    if state.get("Type") == "Choice":
        targets = [c.get("Next") for c in state.get("Choices", [])] + [state.get("Default", "(no default)")]
        return "choice: " + ", ".join(str(t) for t in targets)
    if state.get("End") or state.get("Type") in ("Succeed", "Fail"):
        return "(end)"
    return str(state.get("Next", "(missing)"))


def _dangling_routes(rows: tuple[StateRow, ...], definition: dict[str, Any] | None) -> list[str]:
    """Routes to a state that does not exist: AWS rejects the definition at deploy, the review says so before."""
    if not definition:
        return []
    problems = []
    if definition.get("StartAt") not in definition["States"]:
        problems.append(f"StartAt {definition.get('StartAt')!r} is not a state")
    top = [r for r in rows if " / " not in r.machine]
    names = {r.state for r in top}
    for row in top:
        targets = [c.split(" -> ", 1)[1] for c in row.catches]
        if row.next not in ("(end)",) and not row.next.startswith("choice: "):
            targets.append(row.next)
        problems += [f"{row.state} routes to {t!r}, which is not a state" for t in targets if t not in names]
    return problems


def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
    """The findings so far, with this module's."""
    return found + state_machine_findings(app)
