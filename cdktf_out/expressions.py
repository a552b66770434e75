"""The `${...}` expressions of the Terraform JSON cdktf writes: the one module that says how one is read.

In Terraform's JSON syntax a string is a template: `${ expression }` is interpolated and `$${` stands for a literal
`${` (Terraform language, "JSON Configuration Syntax" and "Strings and Templates"). cdktf writes references
(`${aws_kms_key.k.arn}`), references inside function calls (`${sha256(aws_kms_key.k.policy)}`,
`${lookup(data.terraform_remote_state.s.outputs.m, "key_arn")}`) and index steps (`x.triggers["key_arn"]`). Every
reader asks here: the expressions in a string, the references in an expression, a string with some or all of them
replaced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

_OPENING = re.compile(r"\$\$\{|\$\{")
_INSIDE = re.compile(r'[{}"\\]')  # what can end or nest an expression: braces, and the quotes of a string in it
# A reference is a dotted name (`type.name`, `data.type.name`) not inside a string literal or after another name,
# then its traversal steps: `.attribute` or `["key"]`.
_REFERENCE = re.compile(r"(?<![\w.\"])(?P<address>(?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][\w-]*)"
                        r"(?P<path>(?:\.[\w-]+|\[\s*\"[^\"]+\"\s*\])*)")
_PATH_PART = re.compile(r"\.([\w-]+)|\[\s*\"([^\"]+)\"\s*\]")
_LOOKUP_KEY = re.compile(r"^\s*,\s*\"(?P<key>[^\"]+)\"")


class UnresolvedInterpolationError(ValueError):
    """A string holds an expression the caller has no value for (or a `${` that is never closed)."""

    def __init__(self, text: str) -> None:
        super().__init__(f"cannot resolve {text}")
        self.text = text  # the interpolation as written, `${...}`


@dataclass(frozen=True)
class Reference:
    """One reference in an expression: `aws_kms_key.k` with the steps after it, and the key when the expression
    looks it up (`lookup(<reference>, "key")`)."""

    address: str  # "aws_kms_key.k", "data.aws_region.r"
    path: tuple[str, ...]  # ("arn",), ("triggers", "key_arn")
    looked_up: str | None = None
    text: str = ""  # the reference as written in the expression

    @property
    def attribute(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    expression: str | None  # None: `$${`, the escape for a literal `${`
    closed: bool = True


def _tokens(text: str) -> Iterator[_Token]:
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        if opening.group() == "$${":
            yield _Token(opening.start(), opening.end(), None)
            position = opening.end()
            continue
        closing = _closing_brace(text, opening.end())
        if closing is None:
            yield _Token(opening.start(), len(text), text[opening.end():], closed=False)
            return
        yield _Token(opening.start(), closing + 1, text[opening.end():closing])
        position = closing + 1


def _closing_brace(text: str, position: int) -> int | None:
    """The `}` that closes an expression starting at `position`: braces nest, and a quoted string may hold either."""
    depth, quoted = 0, False
    while (found := _INSIDE.search(text, position)) is not None:
        character, position = found.group(), found.end()
        if quoted:
            if character == "\\":
                position += 1
            elif character == '"':
                quoted = False
        elif character == '"':
            quoted = True
        elif character == "{":
            depth += 1
        elif character == "}":
            if depth == 0:
                return found.start()
            depth -= 1
    return None


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


def interpolations(text: str) -> list[str]:
    """The expressions Terraform will interpolate in a string (an escaped `$${...}` is text, not one of them)."""
    return [token.expression for token in _tokens(text) if token.expression is not None and token.closed]


def has_interpolation(text: str) -> bool:
    """Whether Terraform must evaluate something in this string (an unclosed `${` counts: it is an error there)."""
    return any(token.expression is not None for token in _tokens(text))


def whole_expression(value: Any) -> str | None:
    """The expression of a value that is one interpolation and nothing else: "${a.b.c}" -> "a.b.c"."""
    if not isinstance(value, str):
        return None
    tokens = list(_tokens(value))
    if len(tokens) == 1 and tokens[0].expression is not None and tokens[0].closed and \
            (tokens[0].start, tokens[0].end) == (0, len(value)):
        return tokens[0].expression
    return None


def references_in(expression: str) -> list[Reference]:
    """Every reference in one expression, in order."""
    found = []
    for match in _REFERENCE.finditer(expression):
        path = tuple(a or b for a, b in _PATH_PART.findall(match.group("path")))
        after = _LOOKUP_KEY.match(expression[match.end():])
        looked_up = after.group("key") if after and expression[:match.start()].rstrip().endswith("lookup(") else None
        found.append(Reference(match.group("address"), path, looked_up, match.group()))
    return found


def as_reference(expression: str | None) -> Reference | None:
    """The reference an expression is, when it is one and nothing else ("aws_kms_key.k.arn")."""
    references = references_in(expression or "")
    if len(references) == 1 and references[0].text == (expression or "").strip():
        return references[0]
    return None


def single_reference(value: Any) -> Reference | None:
    """The reference a value is, when it is one interpolation of one bare reference ("${aws_kms_key.k.arn}")."""
    return as_reference(whole_expression(value))


def referenced_paths(value: Any) -> Iterator[tuple[str, str]]:
    """(address, attribute path) of every reference in every string of a JSON value: ("aws_kms_key.k", "arn")."""
    for text in strings_in(value):
        for expression in interpolations(text):
            for reference in references_in(expression):
                yield reference.address, reference.attribute


def references(value: Any, known: set[str]) -> set[str]:
    """The addresses among `known` that a value refers to."""
    return {address for address, _ in referenced_paths(value) if address in known}


def depends_on(body: dict[str, Any]) -> set[str]:
    """Explicit dependencies; cdktf writes them as "aws_x.name" strings, Terraform also accepts "${aws_x.name}"."""
    return {whole_expression(entry) or entry for entry in body.get("depends_on", [])}


def substitute(text: str, replace: Callable[[str], str | None]) -> str:
    """The string with each interpolation `replace` has a text for replaced by it; the rest stays as written."""
    pieces, position = [], 0
    for token in _tokens(text):
        if token.expression is None or not token.closed:
            continue
        replacement = replace(token.expression)
        if replacement is not None:
            pieces += [text[position:token.start], replacement]
            position = token.end
    return "".join([*pieces, text[position:]])


def render(text: str, values: Mapping[str, str]) -> str:
    """The string Terraform makes of a template whose every expression is a key of `values`: each replaced by its
    value, `$${` by `${`; UnresolvedInterpolationError for any other expression (or an unclosed `${`)."""
    pieces, position = [], 0
    for token in _tokens(text):
        if token.expression is None:
            value = "${"
        elif token.closed and token.expression in values:
            value = values[token.expression]
        else:
            raise UnresolvedInterpolationError(text[token.start:token.end])
        pieces += [text[position:token.start], value]
        position = token.end
    return "".join([*pieces, text[position:]])
