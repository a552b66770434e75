"""A readable difference of two JSON values: one line per changed leaf, named by its path.

cdktf's "//" metadata (construct paths) is not Terraform input and never counts as a change. Lists of plain values
are compared as lists but reported by item added/removed; lists of objects item by item.
"""

from __future__ import annotations

import json
from typing import Any

from cdktf_out.placeholders import with_placeholders

METADATA = "//"
VALUE_WIDTH = 70  # a value longer than this is cut: the reviewer needs to recognise it, not read it whole


def describe(value: Any, width: int = VALUE_WIDTH) -> str:
    """A value as it appears in the JSON, with account/region/partition placeholders, cut to `width`."""
    if value is None:
        return "(none)"
    text = with_placeholders(value if isinstance(value, str) else json.dumps(value, sort_keys=True))
    text = json.dumps(text) if isinstance(value, str) else text
    return text if len(text) <= width else text[: width - 1] + "…"


def without_metadata(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_metadata(v) for k, v in value.items() if k != METADATA}
    if isinstance(value, list):
        return [without_metadata(v) for v in value]
    return value


def changed_keys(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Top-level keys whose value differs (metadata ignored)."""
    keys = (set(before) | set(after)) - {METADATA}
    return {k for k in keys if without_metadata(before.get(k)) != without_metadata(after.get(k))}


def diff_values(before: Any, after: Any, path: str = "") -> list[str]:
    before, after = without_metadata(before), without_metadata(after)
    if before == after:
        return []
    if isinstance(before, dict) and isinstance(after, dict):
        lines: list[str] = []
        for key in list(before) + [k for k in after if k not in before]:
            child = f"{path}.{key}" if path else str(key)
            if key not in after:
                lines.append(f"{child} removed (was {describe(before[key])})")
            elif key not in before:
                lines.append(f"{child} added: {describe(after[key])}")
            else:
                lines += diff_values(before[key], after[key], child)
        return lines
    if isinstance(before, list) and isinstance(after, list):
        return _list_diff(before, after, path)
    return [f"{path or '(value)'}: {describe(before)} -> {describe(after)}"]


def _list_diff(before: list[Any], after: list[Any], path: str) -> list[str]:
    if all(not isinstance(v, dict | list) for v in before + after):
        added = [v for v in after if v not in before]
        removed = [v for v in before if v not in after]
        if not added and not removed:
            return [f"{path}: order changed"]
        return ([f"{path}: {describe(v)} added" for v in added]
                + [f"{path}: {describe(v)} removed" for v in removed])
    lines: list[str] = []
    for index in range(max(len(before), len(after))):
        child = f"{path}[{index}]"
        if index >= len(after):
            lines.append(f"{child} removed (was {describe(before[index])})")
        elif index >= len(before):
            lines.append(f"{child} added: {describe(after[index])}")
        else:
            lines += diff_values(before[index], after[index], child)
    return lines
