"""Detection of raw card numbers (PANs) in free text.

The workflow must never carry a PAN: Step Functions keeps every state's input
and output in its execution history, so one leaked number would end up stored
(and shown in the console) for the history's lifetime. Detection is
deliberately eager: a false positive costs a rejected payment, a false
negative costs a PCI DSS incident.

What counts, designed for what people and systems write rather than for a list
of separators:

1. The text is Unicode NFKC-normalised, so full-width "４１１１", superscript
   and circled digits become the digits they show.
2. A *digit* is any Unicode decimal digit (category Nd: Arabic-Indic,
   Devanagari, Thai, ...), read by its value (``unicodedata.decimal``).
3. A *digit group* is a maximal run of digits. Groups joined by any run of
   non-alphanumeric characters -- punctuation, any whitespace, invisible
   format characters such as U+200B, U+00AD or U+2060, combining marks --
   form one candidate span; a letter (or a non-decimal numeral) ends it.
4. A card number is any stretch of whole consecutive groups of one span
   holding 13-19 digits that passes the Luhn check. Letters around it do not
   hide it ("ref4111111111111111"); digit groups around it do not either
   ("ref 1234 4111 1111 1111 1111").

Policy on long digit runs: a group of 20 or more digits with no separator is
an identifier, never scanned for a 13-19-digit window inside it. A random
30-digit reference holds 15 sixteen-digit windows alone, each Luhn-valid with
probability 1/10, so window scanning would refuse most long references. The
cost: a PAN glued to other digits with nothing between them
("41111111111111110000") is not detected; nobody writes a card number that way
by accident, and a separator of any kind between the two brings it back.

The price of eager separators: 13-19 digits of structured data joined by
punctuation (a "2024-01-15 10:30:00" timestamp, an IP address with a port)
pass Luhn one time in ten and are refused. Send such values with a letter in
them (ISO 8601's "T") or as separate fields.

Work is linear in the text's length (one regex pass, then O(1) per group
boundary), and texts longer than MAX_SCAN_CHARACTERS are refused outright
(TextTooLongError) rather than scanned.
"""

from __future__ import annotations

import re
import unicodedata
from itertools import accumulate
from typing import Final

PAN_MIN_DIGITS: Final = 13
PAN_MAX_DIGITS: Final = 19

# The most any one Step Functions state input can hold (262,144 bytes of UTF-8, so at most as many characters):
# nothing longer can come through the workflow, so nothing longer is worth scanning.
MAX_SCAN_CHARACTERS: Final = 262_144

# \d is Unicode category Nd and \w is "alphanumeric or underscore" for str patterns: a span is digit groups joined by
# runs of anything that is neither a letter nor a digit (the underscore included). The two classes are disjoint, so
# the regex cannot backtrack into itself: linear time on any input.
_SPAN: Final = re.compile(r"\d+(?:[\W_]+\d+)*")
_GROUP: Final = re.compile(r"\d+")

_DOUBLED: Final = tuple(2 * d if d < 5 else 2 * d - 9 for d in range(10))  # the Luhn rule for a doubled digit
_PLAIN_BYTES: Final = bytes.maketrans(b"0123456789", bytes(range(10)))
_DOUBLED_BYTES: Final = bytes.maketrans(b"0123456789", bytes(_DOUBLED))


class TextTooLongError(ValueError):
    """The text is longer than MAX_SCAN_CHARACTERS; it was not scanned."""


def passes_luhn(digits: str) -> bool:
    """Return whether a string of ASCII digits has a valid Luhn (mod 10) check digit."""
    kept = sum(map(int, digits[-1::-2]))
    doubled = sum(_DOUBLED[int(d)] for d in digits[-2::-2])
    return (kept + doubled) % 10 == 0


def contains_card_number(text: str) -> bool:
    """Return whether ``text`` contains something that reads as a raw PAN (see the module docstring).

    Raises TextTooLongError for a text longer than MAX_SCAN_CHARACTERS.
    """
    if len(text) > MAX_SCAN_CHARACTERS:
        raise TextTooLongError(f"text of {len(text)} characters is longer than {MAX_SCAN_CHARACTERS}")
    if not text.isascii():
        # NFKC can lengthen a text ("⑳" is "20") but only by a bounded factor.
        text = unicodedata.normalize("NFKC", text)
    if len(text) < PAN_MIN_DIGITS:
        return False  # the common case of a short value, without a regex pass
    return any(_span_holds_pan(span.group()) for span in _SPAN.finditer(text))


def _span_holds_pan(span: str) -> bool:
    groups = _GROUP.findall(_ascii_digits(span))
    if sum(map(len, groups)) < PAN_MIN_DIGITS:
        return False
    return _luhn_valid_stretch(groups)


# Digits of other scripts met so far -> their ASCII digit, for str.translate (one C pass per span).
_NATIVE_DIGITS: dict[int, str] = {}


def _ascii_digits(span: str) -> str:
    if span.isascii():
        return span
    for character in set(span):
        if not character.isascii() and character.isdecimal():
            _NATIVE_DIGITS.setdefault(ord(character), str(unicodedata.decimal(character)))
    return span.translate(_NATIVE_DIGITS)


def _luhn_valid_stretch(groups: list[str]) -> bool:
    """Whether some consecutive groups hold 13-19 digits that pass Luhn, in time linear in the digits.

    With P(p) the Luhn sum of digits [0, p) weighted from an end at p, a stretch [s, e) passes iff P's value at e and
    at s agree modulo 10 -- provided both are weighted for the same end parity. Two prefix sums (one per parity of
    the end) give every stretch in O(1); a sliding window over the group boundaries keeps, per residue, how many
    starts lie 13-19 digits before the current end.
    """
    digits = "".join(groups).encode("ascii")
    plain = digits.translate(_PLAIN_BYTES)
    doubled = digits.translate(_DOUBLED_BYTES)
    # For an end e, the digit just before it is kept, the one before that doubled, and so on: position p is kept when
    # p and e differ in parity. even_end[p] weights for even ends (odd positions kept), odd_end for odd ends.
    even_end, odd_end = bytearray(plain), bytearray(plain)
    even_end[0::2] = doubled[0::2]
    odd_end[1::2] = doubled[1::2]
    sums = (list(accumulate(even_end, initial=0)), list(accumulate(odd_end, initial=0)))
    boundaries = list(accumulate(map(len, groups), initial=0))

    starts: tuple[list[int], list[int]] = ([0] * 10, [0] * 10)  # residues of the starts in the window, per parity
    low = high = 0  # boundaries[low:high] are the starts 13-19 digits before the current end
    for end in boundaries:
        while high < len(boundaries) and end - boundaries[high] >= PAN_MIN_DIGITS:
            start = boundaries[high]
            starts[0][sums[0][start] % 10] += 1
            starts[1][sums[1][start] % 10] += 1
            high += 1
        while low < high and end - boundaries[low] > PAN_MAX_DIGITS:
            start = boundaries[low]
            starts[0][sums[0][start] % 10] -= 1
            starts[1][sums[1][start] % 10] -= 1
            low += 1
        parity = end % 2
        if starts[parity][sums[parity][end] % 10]:
            return True
    return False
