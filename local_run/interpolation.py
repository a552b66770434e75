"""Substitute Terraform interpolations with the values of the locally created resources.

Only plain references (``${aws_lambda_function.x.arn}``) are understood. Any
other expression (a function call, a reference to something not created
locally) raises instead of passing through: a definition that still held
``${...}`` would fail later inside moto with a far less helpful message, or
worse, run with a wrong value.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# "$${" is Terraform's escape for a literal "${"; it is matched first so the
# text after it is never taken for an interpolation. An unclosed "${" is
# matched too (with no address), so it cannot slip through as text.
_TOKEN = re.compile(r"\$\$\{|\$\{([^}]*)\}|\$\{")


class UnresolvedInterpolationError(ValueError):
    """The synthesized JSON holds an expression the local run cannot evaluate."""


def resolve_text(text: str, values: Mapping[str, str], *, where: str) -> str:
    """``text`` with every ``${address}`` replaced by ``values[address]``."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$${":
            return "${"
        address = match.group(1)
        if address is None or address not in values:
            known = ", ".join(sorted(values)) or "none"
            raise UnresolvedInterpolationError(
                f"{where}: cannot resolve {match.group(0)} locally (known references: {known})"
            )
        return values[address]

    return _TOKEN.sub(substitute, text)


def resolve_value(value: Any, values: Mapping[str, str], *, where: str) -> Any:
    """Resolve interpolations in every string inside a JSON-like value."""
    if isinstance(value, str):
        return resolve_text(value, values, where=where)
    if isinstance(value, Mapping):
        return {key: resolve_value(item, values, where=f"{where}.{key}") for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_value(item, values, where=f"{where}[{index}]") for index, item in enumerate(value)]
    return value
