"""Substitute Terraform interpolations with the values of the locally created resources.

Only plain references (``${aws_lambda_function.x.arn}``) have local values. Any other expression (a function call, a
reference to something not created locally) raises instead of passing through: a definition that still held ``${...}``
would fail later inside moto with a far less helpful message, or worse, run with a wrong value.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cdktf_out.expressions import UnresolvedInterpolationError as _Unresolved
from cdktf_out.expressions import render


class UnresolvedInterpolationError(ValueError):
    """The synthesized JSON holds an expression the local run cannot evaluate."""


def resolve_text(text: str, values: Mapping[str, str], *, where: str) -> str:
    """``text`` with every ``${address}`` replaced by ``values[address]``."""
    try:
        return render(text, values)
    except _Unresolved as error:
        known = ", ".join(sorted(values)) or "none"
        raise UnresolvedInterpolationError(
            f"{where}: cannot resolve {error.text} locally (known references: {known})"
        ) from None


def resolve_value(value: Any, values: Mapping[str, str], *, where: str) -> Any:
    """Resolve interpolations in every string inside a JSON-like value."""
    if isinstance(value, str):
        return resolve_text(value, values, where=where)
    if isinstance(value, Mapping):
        return {key: resolve_value(item, values, where=f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_value(item, values, where=f"{where}[{index}]") for index, item in enumerate(value)]
    return value
