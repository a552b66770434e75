"""Which blocks a synthesized value points at: the `${...}` interpolations Terraform will resolve.

A reference may sit inside a function call (`${sha256(aws_kms_key.k.policy)}`, `${lookup(x.triggers, "k")}`), so
candidates are every dotted name in the expression, kept only when they name a block that exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_INTERPOLATION = re.compile(r"\$\{(.*?)\}(?!\})", re.DOTALL)
_ADDRESS = re.compile(r"(?<![\w.\"])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)((?:\.[\w-]+)*)")
_WHOLE = re.compile(r"^\$\{([^{}]*)\}$")


def strings_in(value: Any) -> Iterator[str]:
    """Every string in a JSON value, skipping cdktf's "//" metadata (construct paths, never Terraform input)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "//":
                yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def referenced_paths(value: Any) -> Iterator[tuple[str, str]]:
    """(address, attribute path) of every dotted name inside an interpolation: ("aws_kms_key.k", "arn")."""
    for text in strings_in(value):
        for expression in _INTERPOLATION.findall(text):
            for match in _ADDRESS.finditer(expression):
                yield match.group(1), match.group(2).lstrip(".")


def interpolations(text: str) -> list[str]:
    """The expressions Terraform will interpolate in a string; `$${...}` is Terraform's escape for a literal `${`."""
    return _INTERPOLATION.findall(text.replace("$${", "\0"))


def references(value: Any, known: set[str]) -> set[str]:
    """The addresses among `known` that a value refers to."""
    return {address for address, _ in referenced_paths(value) if address in known}


def depends_on(body: dict[str, Any]) -> set[str]:
    """Explicit dependencies; cdktf writes them as "aws_x.name" strings, Terraform also accepts "${aws_x.name}"."""
    found: set[str] = set()
    for entry in body.get("depends_on", []):
        whole = _WHOLE.match(entry)
        found.add(whole.group(1) if whole else entry)
    return found


def whole_reference(value: Any) -> str | None:
    """The expression of a value that is one interpolation and nothing else: "${a.b.c}" -> "a.b.c"."""
    if not isinstance(value, str):
        return None
    match = _WHOLE.match(value)
    return match.group(1) if match else None
