"""CloudWatch Logs metric-filter patterns for JSON log events, evaluated locally.

The subset the workflow's filters use (CloudWatch Logs user guide, "Filter pattern syntax for metric filters", "Using
filter patterns to match terms in JSON log events"): `{ <expression> }` where an expression combines, with `&&`, `||`
and parentheses, comparisons `$.a.b = "value"` / `$.a.b != "value"`. A `*` in a value matches any characters; a
comparison on a property the event does not have never matches. Anything else is refused with UnsupportedPattern, so
a pattern this module cannot read is never silently "no match".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

_TOKEN = re.compile(r'\s*(?:(?P<op>&&|\|\||!=|=|\(|\))|(?P<selector>\$(?:\.[A-Za-z_][\w-]*)+)|"(?P<string>[^"]*)")')


class UnsupportedPattern(ValueError):
    """A pattern outside the subset above: the local run cannot say what it counts."""


@dataclass(frozen=True)
class _Comparison:
    path: tuple[str, ...]
    negated: bool
    value: str

    def matches(self, event: Mapping[str, Any]) -> bool:
        current: Any = event
        for part in self.path:
            if not isinstance(current, Mapping) or part not in current:
                return False
            current = current[part]
        if isinstance(current, (dict, list)) or current is None:
            return False
        found = fnmatchcase(str(current), self.value) if "*" in self.value else str(current) == self.value
        return found != self.negated


@dataclass(frozen=True)
class _Either:
    left: Any
    right: Any
    both: bool  # True: &&, False: ||

    def matches(self, event: Mapping[str, Any]) -> bool:
        if self.both:
            return self.left.matches(event) and self.right.matches(event)
        return self.left.matches(event) or self.right.matches(event)


class FilterPattern:
    def __init__(self, pattern: str) -> None:
        text = pattern.strip()
        if not (text.startswith("{") and text.endswith("}")):
            raise UnsupportedPattern(f"{pattern!r}: only JSON patterns {{ ... }} are supported locally")
        self.pattern = pattern
        self._tokens = _tokens(text[1:-1], pattern)
        self._position = 0
        self._tree = self._or()
        if self._position != len(self._tokens):
            raise UnsupportedPattern(f"{pattern!r}: unexpected {self._tokens[self._position][1]!r}")

    def matches(self, event: Mapping[str, Any]) -> bool:
        return bool(self._tree.matches(event))

    def _or(self) -> Any:
        tree = self._and()
        while self._next_is("||"):
            tree = _Either(tree, self._and(), both=False)
        return tree

    def _and(self) -> Any:
        tree = self._term()
        while self._next_is("&&"):
            tree = _Either(tree, self._term(), both=True)
        return tree

    def _term(self) -> Any:
        if self._next_is("("):
            tree = self._or()
            if not self._next_is(")"):
                raise UnsupportedPattern(f"{self.pattern!r}: unbalanced parenthesis")
            return tree
        kind, selector = self._take()
        if kind != "selector":
            raise UnsupportedPattern(f"{self.pattern!r}: expected $.property, found {selector!r}")
        _, operator = self._take()
        if operator not in ("=", "!="):
            raise UnsupportedPattern(f"{self.pattern!r}: only = and != are supported, found {operator!r}")
        kind, value = self._take()
        if kind != "string":
            raise UnsupportedPattern(f"{self.pattern!r}: compare with a quoted string, found {value!r}")
        return _Comparison(tuple(selector.split(".")[1:]), operator == "!=", value)

    def _next_is(self, operator: str) -> bool:
        if self._position < len(self._tokens) and self._tokens[self._position] == ("op", operator):
            self._position += 1
            return True
        return False

    def _take(self) -> tuple[str, str]:
        if self._position >= len(self._tokens):
            raise UnsupportedPattern(f"{self.pattern!r}: ends too early")
        token = self._tokens[self._position]
        self._position += 1
        return token


def _tokens(text: str, pattern: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while text[position:].strip():
        match = _TOKEN.match(text, position)
        if not match:
            raise UnsupportedPattern(f"{pattern!r}: cannot read {text[position:].strip()[:20]!r}")
        kind = next(name for name in ("op", "selector", "string") if match.group(name) is not None)
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens
