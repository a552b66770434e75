"""Detection of raw card numbers (PANs) in free text.

The workflow must never carry a PAN: Step Functions keeps every state's input
and output in its execution history, so one leaked number would end up stored
(and shown in the console) for the history's lifetime. Detection is
deliberately eager: a false positive costs a rejected payment, a false
negative costs a PCI DSS incident.

A PAN here is 13-19 ASCII digits that pass the Luhn check, written either
contiguously or in groups separated by spaces or dashes ("4111 1111 1111 1111",
"4111-1111-1111-1111"). Letters around it do not hide it ("ref4111111111111111").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

_PAN_MIN_DIGITS: Final = 13
_PAN_MAX_DIGITS: Final = 19

# One run of digit groups joined by spaces/dashes. Separators cannot be
# digits, so the regex has no ambiguous backtracking (no ReDoS on long input).
_DIGIT_RUN: Final = re.compile(r"[0-9]+(?:[ \-]+[0-9]+)*")
_DIGIT_GROUP: Final = re.compile(r"[0-9]+")


def passes_luhn(digits: str) -> bool:
    """Return whether an all-digit string has a valid Luhn (mod 10) check digit."""
    # Slices and map() keep the loop in C: a hostile event can hold ~10^6 candidates.
    kept = sum(map(int, digits[-1::-2]))
    doubled = sum(map(_LUHN_DOUBLED.__getitem__, digits[-2::-2]))
    return (kept + doubled) % 10 == 0


# Each digit doubled, minus 9 when that makes two digits (the Luhn rule).
_LUHN_DOUBLED: Final = {str(d): (2 * d if d < 5 else 2 * d - 9) for d in range(10)}


def contains_card_number(text: str) -> bool:
    """Return whether ``text`` contains something that looks like a raw PAN."""
    return any(_run_contains_pan(match.group()) for match in _DIGIT_RUN.finditer(text))


def _run_contains_pan(run: str) -> bool:
    # Candidates are whole groups only: a 20+ digit unbroken number is not a
    # PAN, but "ref 1234 4111 1111 1111 1111" must still be caught, so every
    # contiguous span of groups holding 13-19 digits is checked.
    groups = _DIGIT_GROUP.findall(run)
    for start in range(len(groups)):
        digits = ""
        for group in _groups_from(groups, start):
            digits += group
            if len(digits) > _PAN_MAX_DIGITS:
                break
            if len(digits) >= _PAN_MIN_DIGITS and passes_luhn(digits):
                return True
    return False


def _groups_from(groups: list[str], start: int) -> Iterator[str]:
    # Indexing rather than slicing keeps a long run of short groups linear.
    for index in range(start, len(groups)):
        yield groups[index]
