"""The one error the library raises for bad props: a line a person can act on, never a jsii trace."""

from __future__ import annotations


class PropsError(ValueError):
    """A prop is invalid; the message names the prop, the bad value and what is allowed, on one line."""


def refuse(prop: str, value: object, allowed: str) -> PropsError:
    shown = repr(value)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return PropsError(f"{prop}={shown} is not allowed; {allowed}")
