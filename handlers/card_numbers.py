"""Detection of raw card numbers (PANs) in free text.

The workflow must never carry a PAN: Step Functions keeps every state's input and output in its execution history,
so one leaked number would be stored (and shown in the console) for the history's lifetime. A miss costs a PCI DSS
incident, a false alarm a refused payment: the rule is eager about how a card is *written* (any script, separator,
encoding) and strict about what a card *is* (an issuer's prefix and length, Luhn), and values that only look like
digits in chunks (IBANs, phone numbers, dates, addresses) are set aside first. The rules, their prices and the rates
measured on a labelled corpus: docs/card-numbers.md.
"""

from __future__ import annotations

import re
from itertools import accumulate
from typing import Final

from handlers.card_schemes import LENGTHS_BY_FIRST_DIGIT, is_issued_card_number
from handlers.card_text import decoded, normalized
from handlers.card_values import PAN_MAX_DIGITS, PAN_MIN_DIGITS, passes_luhn, set_values_aside

__all__ = ["MAX_SCAN_CHARACTERS", "PAN_MAX_DIGITS", "PAN_MIN_DIGITS", "ScanBudget", "TextTooLongError",
           "contains_card_number", "passes_luhn", "readable_forms"]

# The most any one Step Functions state input can hold (262,144 bytes of UTF-8, so at most as many characters):
# nothing longer can come through the workflow, so nothing longer is worth scanning.
MAX_SCAN_CHARACTERS: Final = 262_144

# \d is Unicode category Nd and \w is "alphanumeric or underscore" for str patterns: a span is digit groups joined by
# runs of anything that is neither a letter nor a digit (the underscore included). The two classes are disjoint, so
# the regex cannot backtrack into itself: linear time on any input.
_SPAN: Final = re.compile(r"\d+(?:[\W_]+\d+)*")
_GROUP_OR_SEPARATOR: Final = re.compile(r"\d+|[^\d]+")

# A list separator is never written inside one number.
_LIST_SEPARATOR: Final = re.compile(r"\s*[;|]\s*|,\s+")
_LIST_ITEM_MAX_DIGITS: Final = 4
_LIST_MIN_ITEMS: Final = 4

_PLAIN_BYTES: Final = bytes.maketrans(b"0123456789", bytes(range(10)))
_DOUBLED_BYTES: Final = bytes.maketrans(b"0123456789", bytes(2 * d if d < 5 else 2 * d - 9 for d in range(10)))


class TextTooLongError(ValueError):
    """The text, or the texts sharing a ScanBudget, would mean reading more than MAX_SCAN_CHARACTERS; not scanned."""


class ScanBudget:
    """The characters left to read for one event, across its texts and each text's readable forms.

    A form is charged after decoding and NFKC, which can lengthen it: 262,144 characters of U+FDFA become 4.7 million
    letters, and a budget on the raw length alone would let one event cost seconds. No event the contract accepts is
    anywhere near this size, so running out refuses only hostile or absurd input.
    """

    def __init__(self, characters: int = MAX_SCAN_CHARACTERS) -> None:
        self.remaining = characters

    def spend(self, characters: int) -> None:
        self.remaining -= characters
        if self.remaining < 0:
            raise TextTooLongError(f"more than {MAX_SCAN_CHARACTERS} characters to read, decoded and normalized")


def contains_card_number(text: str, budget: ScanBudget | None = None) -> bool:
    """Return whether ``text`` holds something that reads as a raw PAN, as written or once decoded.

    Raises TextTooLongError when reading it would spend more than ``budget`` (by default MAX_SCAN_CHARACTERS).
    """
    if len(text) > MAX_SCAN_CHARACTERS:
        raise TextTooLongError(f"text of {len(text)} characters is longer than {MAX_SCAN_CHARACTERS}")
    if len(text) < PAN_MIN_DIGITS and text.isascii():
        return False  # the common case of a short value: neither decoding nor NFKC can lengthen ASCII text
    forms = readable_forms(text, budget or ScanBudget())
    return any(_span_holds_pan(span.group()) for form in forms for span in _SPAN.finditer(form))


def readable_forms(text: str, budget: ScanBudget | None = None) -> list[str]:
    """The texts the scan reads: ``text`` and, if it differs, ``text`` decoded; normalized, values set aside."""
    budget = budget or ScanBudget()
    forms = [text]
    unwrapped = decoded(text)
    if unwrapped != text:
        forms.append(unwrapped)
    readable = []
    for form in forms:
        form = normalized(form)
        budget.spend(len(form))
        if len(form) >= PAN_MIN_DIGITS:
            readable.append(set_values_aside(form))
    return readable


def split_span(span: str) -> tuple[list[str], list[str]]:
    """A span's digit groups and the separators between them."""
    pieces = _GROUP_OR_SEPARATOR.findall(span)
    return pieces[0::2], pieces[1::2]


def is_list_of_values(groups: list[str], separators: list[str]) -> bool:
    """Four or more small groups, all joined by one list separator, not in a card's printed fours: a list."""
    if len(groups) < _LIST_MIN_ITEMS or len(set(separators)) != 1 or not _LIST_SEPARATOR.fullmatch(separators[0]):
        return False
    widths = [len(group) for group in groups]
    if max(widths) > _LIST_ITEM_MAX_DIGITS:
        return False
    return not (all(width == 4 for width in widths[:-1]) and widths[-1] <= 4)


def _span_holds_pan(span: str) -> bool:
    groups, separators = split_span(span)
    if sum(map(len, groups)) < PAN_MIN_DIGITS or is_list_of_values(groups, separators):
        return False
    digits = "".join(groups)
    # The whole span, however it is grouped.
    if len(digits) <= PAN_MAX_DIGITS and is_issued_card_number(digits) and passes_luhn(digits):
        return True
    return _one_number_stretch_holds_pan(groups, separators, digits)


def _one_number_stretch_holds_pan(groups: list[str], separators: list[str], digits: str) -> bool:
    """Whether a stretch of groups laid out as one number is an issued, Luhn-valid card number.

    Linear: for each starting group, only the lengths a scheme issues after its first digit are looked at (at most
    seven), each in O(1) -- the end must be a group boundary, Luhn is read from prefix sums, the layout from
    precomputed runs of equal widths. The cheapest test that fails most often (Luhn, nine times in ten) runs first:
    this loop is what the longest texts cost.
    """
    widths = [len(group) for group in groups]
    boundaries = list(accumulate(widths, initial=0))
    group_ending_at = [0] * (len(digits) + PAN_MAX_DIGITS + 1)  # 0: no group ends there
    for index, end in enumerate(boundaries[1:]):
        group_ending_at[end] = index + 1
    # same_width_until[k]: the first group after k whose width differs from group k's.
    same_width_until = [len(widths)] * (len(widths) + 1)
    for k in range(len(widths) - 2, -1, -1):
        same_width_until[k] = same_width_until[k + 1] if widths[k + 1] == widths[k] else k + 1
    # list_gaps_before[k]: how many of the gaps between groups 0..k are list separators; one number never spans one.
    list_gaps_before = list(accumulate((bool(_LIST_SEPARATOR.fullmatch(s)) for s in separators), initial=0))
    luhn_sums = _luhn_prefix_sums(digits)
    for first, start in enumerate(boundaries[:-1]):
        for length in LENGTHS_BY_FIRST_DIGIT[digits[start]]:
            end = start + length
            last = group_ending_at[end]
            sums = luhn_sums[end & 1]
            if not last or (sums[end] - sums[start]) % 10:
                continue
            if list_gaps_before[last - 1] != list_gaps_before[first]:
                continue
            if last - first > 2:  # inner groups of one width w, the first and the last no wider than w
                inner = widths[first + 1]
                if same_width_until[first + 1] < last - 1 or widths[first] > inner or widths[last - 1] > inner:
                    continue
            if is_issued_card_number(digits[start:end]):
                return True
    return False


def _luhn_prefix_sums(digits: str) -> tuple[list[int], list[int]]:
    """Prefix sums that give the Luhn sum of any stretch [s, e) of ``digits`` in O(1), by the parity of e.

    With P(p) the Luhn sum of digits [0, p) weighted from an end at p, a stretch [s, e) passes iff P's value at e and
    at s agree modulo 10 -- provided both are weighted for the same end parity: one prefix sum per parity.
    """
    ascii_digits = digits.encode("ascii")
    plain = ascii_digits.translate(_PLAIN_BYTES)
    doubled = ascii_digits.translate(_DOUBLED_BYTES)
    # For an end e, the digit just before it is kept, the one before that doubled, and so on: position p is kept
    # when p and e differ in parity. even_end weights for even ends (odd positions kept), odd_end for odd ends.
    even_end, odd_end = bytearray(plain), bytearray(plain)
    even_end[0::2] = doubled[0::2]
    odd_end[1::2] = doubled[1::2]
    return list(accumulate(even_end, initial=0)), list(accumulate(odd_end, initial=0))
