"""Matching a policy's strings against a request's: IAM wildcards, ARNs segment by segment, and policy variables.

IAM's `*` (any run of characters) and `?` (any one character) are its only wildcards; fnmatch would also read `[...]`
as a character class, so patterns are translated here. In an ARN each of the six colon-separated segments is matched
on its own ("IAM JSON policy elements: Condition operators", ARN operators; "IAM JSON policy elements: Resource"):
a wildcard never spans a colon before the resource segment, and in the resource segment it may span `/` and `:`.

A policy variable (`${aws:username}`, `${key, 'default'}`, `${*}` for a literal asterisk) is replaced by the
request's value of that key before matching, and that value is always literal ("IAM policy elements: Variables and
tags"). A variable with no value makes the string match nothing. These are IAM's own, read in the policy AWS
receives, after Terraform has rendered its `${...}` templates (cdktf_out/expressions.py): a policy escapes them as
`$${aws:username}` in the synthesized JSON.
"""

from __future__ import annotations

import re
from functools import lru_cache

from synth_review.access.request import Request

Part = tuple[str, bool]  # text, and whether wildcards in it are active (policy text) or literal (a variable's value)

_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_WITH_DEFAULT = re.compile(r"^(?P<key>[^,]+?)\s*(?:,\s*'(?P<default>[^']*)')?\s*$")
_LITERAL_VARIABLES = {"*": "*", "?": "?", "$": "$"}
ARN_SEGMENTS = 6


def resolve(text: str, request: Request, variables: bool) -> tuple[Part, ...] | None:
    """A policy string with its variables replaced, as parts; None when a variable has no single value."""
    if not variables or "${" not in text:
        return ((text, True),)
    parts: list[Part] = []
    position = 0
    for match in _VARIABLE.finditer(text):
        parts.append((text[position:match.start()], True))
        inner = match.group(1)
        if inner in _LITERAL_VARIABLES:
            parts.append((_LITERAL_VARIABLES[inner], False))
        else:
            spelled = _WITH_DEFAULT.match(inner)
            if spelled is None:
                return None
            values = request.values(spelled.group("key"))
            if values is not None and len(values) == 1:  # a multivalued key cannot be a variable
                parts.append((values[0], False))
            elif spelled.group("default") is not None:
                parts.append((spelled.group("default"), False))
            else:
                return None
        position = match.end()
    parts.append((text[position:], True))
    return tuple(part for part in parts if part[0])


def equals(parts: tuple[Part, ...], value: str, ignore_case: bool = False) -> bool:
    text = "".join(piece for piece, _ in parts)
    return text.casefold() == value.casefold() if ignore_case else text == value


def like(parts: tuple[Part, ...], value: str, ignore_case: bool = False) -> bool:
    """StringLike, and Action names: `*` and `?` anywhere, colons included."""
    return _compiled(parts, ignore_case, arn=False).fullmatch(value) is not None


def arn_like(parts: tuple[Part, ...], value: str) -> bool:
    """ArnLike / ArnEquals (which behave identically) and Resource: case-sensitive, segment by segment."""
    if parts == (("*", True),):
        return True
    if value.count(":") < ARN_SEGMENTS - 1:
        return False
    return _compiled(parts, False, arn=True).fullmatch(value) is not None


@lru_cache(maxsize=4096)
def _compiled(parts: tuple[Part, ...], ignore_case: bool, arn: bool) -> re.Pattern[str]:
    pieces: list[str] = []
    colons = 0
    for text, wild in parts:
        for char in text:
            in_resource = not arn or colons >= ARN_SEGMENTS - 1
            if wild and char == "*":
                pieces.append(".*" if in_resource else "[^:]*")
            elif wild and char == "?":
                pieces.append("." if in_resource else "[^:]")
            else:
                pieces.append(re.escape(char))
            colons += char == ":"
    return re.compile("".join(pieces), re.DOTALL | (re.IGNORECASE if ignore_case else 0))
