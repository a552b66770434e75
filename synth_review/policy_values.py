"""Reading IAM and KMS policy JSON, where any field may hold one value or a list of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def as_list(value: Any) -> list[Any]:
    """A policy field as a list: absent (None) is empty, a single value is a list of one."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def sid(statement: Mapping[str, Any]) -> str:
    """A statement as the review names it: its Sid, or "(no Sid)"."""
    return str(statement.get("Sid") or "(no Sid)")
