"""Two versions of a state machine definition (Amazon States Language), compared as states and routes.

A reviewer asks: which states came or went, which routes (Next, Choice, Catch) now lead elsewhere, and what changed
in a state that stayed (its Retry policy, timeouts, the task it calls). Retry and Catch entries are matched by the
errors they name, so reordering them is not a change and a changed attempt count reads as one.
"""

from __future__ import annotations

from typing import Any

from cdktf_out.placeholders import parsed_with_placeholders
from synth_review.change.json_diff import describe, diff_values


def parse_definition(raw: Any) -> dict[str, Any] | None:
    parsed = parsed_with_placeholders(raw)
    return parsed if isinstance(parsed, dict) and isinstance(parsed.get("States"), dict) else None


def diff_definitions(before: dict[str, Any], after: dict[str, Any], prefix: str = "") -> list[str]:
    lines: list[str] = []
    for field in sorted((set(before) | set(after)) - {"States"}):
        if before.get(field) != after.get(field):
            lines.append(f"{prefix}{field}: {describe(before.get(field))} -> {describe(after.get(field))}")
    old_states, new_states = before["States"], after["States"]
    for name in new_states:
        if name not in old_states:
            lines.append(f"{prefix}state {name} added ({new_states[name].get('Type', '?')}): "
                         f"routes {_routes_text(routes(new_states[name]))}")
    for name in old_states:
        if name not in new_states:
            lines.append(f"{prefix}state {name} removed (was {old_states[name].get('Type', '?')})")
    for name in new_states:
        if name in old_states and old_states[name] != new_states[name]:
            lines += _state_changes(f"{prefix}{name}", old_states[name], new_states[name])
    return lines


def routes(state: dict[str, Any]) -> dict[str, str]:
    """Where a state can go next, keyed by what sends it there: "next", "default", "choice 1", "catch <errors>"."""
    found: dict[str, str] = {}
    if "Next" in state:
        found["next"] = str(state["Next"])
    if state.get("End"):
        found["next"] = "(end)"
    for index, choice in enumerate(state.get("Choices", []) or []):
        found[f"choice {index + 1}"] = str(choice.get("Next"))
    if "Default" in state:
        found["default"] = str(state["Default"])
    for catch in state.get("Catch", []) or []:
        found[f"catch {'|'.join(catch.get('ErrorEquals', []))}"] = str(catch.get("Next"))
    return found


def _state_changes(label: str, before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    old_routes, new_routes = routes(before), routes(after)
    for via in new_routes:
        if via not in old_routes:
            lines.append(f"{label}: route {via} -> {new_routes[via]} added")
        elif old_routes[via] != new_routes[via]:
            lines.append(f"{label}: route {via} now leads to {new_routes[via]} (was {old_routes[via]})")
    lines += [f"{label}: route {via} -> {old_routes[via]} removed" for via in old_routes if via not in new_routes]
    lines += _by_errors(label, "Retry", before.get("Retry", []), after.get("Retry", []))
    lines += _by_errors(label, "Catch", before.get("Catch", []), after.get("Catch", []), skip={"Next"})
    routed = {"Next", "End", "Choices", "Default", "Retry", "Catch"}
    rest_before = {k: v for k, v in before.items() if k not in routed}
    rest_after = {k: v for k, v in after.items() if k not in routed}
    lines += [f"{label}: {change}" for change in diff_values(rest_before, rest_after)]
    return lines


def _by_errors(label: str, field: str, before: list[dict[str, Any]], after: list[dict[str, Any]],
               skip: frozenset[str] | set[str] = frozenset()) -> list[str]:
    old = {tuple(entry.get("ErrorEquals", [])): entry for entry in before or []}
    new = {tuple(entry.get("ErrorEquals", [])): entry for entry in after or []}
    lines: list[str] = []
    for errors, entry in new.items():
        if errors not in old and field == "Retry":
            lines.append(f"{label}: {field} [{_errors(errors)}] added: {_fields(entry)}")
        elif errors in old:
            was = {k: v for k, v in old[errors].items() if k not in skip}
            now = {k: v for k, v in entry.items() if k not in skip}
            lines += [f"{label}: {field} [{_errors(errors)}] {change}" for change in diff_values(was, now)]
    if field == "Retry":
        lines += [f"{label}: {field} [{_errors(errors)}] removed" for errors in old if errors not in new]
    return lines


def _errors(errors: tuple[str, ...]) -> str:
    """The errors a Retry or Catch names, short: the first and how many more (the full list is in the definition)."""
    return ", ".join(errors) if len(errors) <= 2 else f"{errors[0]} +{len(errors) - 1} more"


def _fields(entry: dict[str, Any]) -> str:
    return ", ".join(f"{k} {describe(v)}" for k, v in entry.items() if k != "ErrorEquals")


def _routes_text(found: dict[str, str]) -> str:
    return ", ".join(f"{via} -> {target}" for via, target in found.items()) or "(none)"
