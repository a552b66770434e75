"""Detection of raw card numbers (PANs) in free text.

The workflow must never carry a PAN: Step Functions keeps every state's input
and output in its execution history, so one leaked number would end up stored
(and shown in the console) for the history's lifetime. A false negative costs
a PCI DSS incident; a false positive costs a refused payment, so the rule is
eager about how a card is *written* and strict about what a card *is*.

Reading the text, designed for what people and systems write rather than for a
list of separators:

1. The text is Unicode NFKC-normalised, so full-width "４１１１", superscript
   and circled digits become the digits they show; a *digit* is then any
   Unicode decimal digit (category Nd: Arabic-Indic, Devanagari, Thai, ...),
   read by its value.
2. A *digit group* is a maximal run of digits. Groups joined by any run of
   non-alphanumeric characters -- punctuation, any whitespace, invisible
   format characters such as U+200B, U+00AD or U+2060, combining marks --
   form one *span*; a letter (or a non-decimal numeral) ends it.

What counts as a card number:

3. *Issued*: its digits start with the issuer prefix of a card scheme and
   have a length that scheme issues (handlers/card_schemes.py: one table,
   each row with its source), and they pass the Luhn check.
4. *Written as one number*: a candidate is a stretch of whole consecutive
   groups of a span that is either the *whole span*, grouped in any way
   ("41 111 1 11111 1111 11" with any separators), or laid out the way one
   number is written in chunks: one group, or groups of one width w with the
   first and last no wider than w ("4111 1111 1111 1111 12/29" holds
   "4111 1111 1111 1111"; "ref 1234 4111 1111 1111 1111" too; Amex's
   4-6-5 and "4,111,111,111,111,111" qualify).
5. *Values that are not part of a number*: before spans are read, these
   *delimited* values are set aside like words: a date just before a time
   (yyyy-mm-dd, dd/mm/yyyy, mm/dd/yyyy, dd/mm/yy with "-", "/" or "."), a
   time of day (h:mm:ss[.fraction][offset]), an IPv4 address with its
   :port, an international phone number (after a "+") or a North American
   one ("(415) 555-0100", "415-555-0100"), phones with an optional "#", ","
   or ";" extension. A time or a "+" must *start a value*: after a letter,
   the text's start (or a date), or a digit and a list joiner (", ", "; ",
   " | "), never a digit and any other separator.
   An international phone number whose own digits are an issued, Luhn-valid
   card number (rule 3) is not set aside: "+378282246310005" is an Amex
   number behind a "+", not a phone number, whatever E.164 allows. (An
   address and port keep their shape: octets of at most 255 are not how a
   card number is written, and "23.100.157.232:12469" is a real address.)
   *Delimited* means not continued by another group joined the same way, so
   a value is never carved out of a longer run: in "41:11:11:11:11:11:11:11"
   or "4.111.111.111.111.111" no time or address is found. Only shapes long
   enough to matter are set aside (a date or an address alone is too short to
   be read as a card), which keeps the chance that a randomly chunked PAN
   contains one negligible (measured: tests/handlers, and the closing note).
6. *Lists*: a span of four or more groups of at most four digits, all joined
   by the same list separator ("; ", "|", ", " -- a comma *followed by
   whitespace*), is a list of values, and its items never combine -- unless
   every group has four digits but a shorter last (a card's printed layout).
   Nor does a stretch of rule 4's second kind ever cross a list separator.

Why restrict how groups combine (rule 4) rather than keep every stretch: a
span of n small groups holds up to 7n stretches of 13-19 digits, each of which
passes Luhn one time in ten, so a list of quantities or two timestamps side by
side were refused far more often than one time in ten. People write a card
number either on its own (rule 4's whole span, however chunked) or beside other
numbers in its own regular chunks (a PAN followed by its expiry, a list index
before it); a stretch of *irregular* groups inside a longer span is several
values side by side. Rules 3 and 5 make the remaining whole-span candidates
rare: most structured values start with a digit no scheme issues at their
length (an ISO date-time's "20", an epoch in milliseconds' 13-digit "1"), and
rule 5 sets aside the shapes that do (a dd/mm/yyyy on the 30th reads as a
Diners Club prefix, "45.133.232.156:65535" as a Visa one).

The price, deliberately paid (each kept as a test):

- A PAN glued to other digits with nothing between them
  ("41111111111111110000") is one group of 20+ digits, an identifier, never
  a card; a separator of any kind between the two brings it back.
- A PAN typed as a ", "-list of irregular chunks ("4111, 111, 1111, 1111, 1")
  is a list of values (rule 6); typed in fours, or with any other separator,
  it is found.
- Text that is shaped like a value of rule 5 *and* holds a PAN's digits in
  that shape is a value; nobody writes a card number as a time of day.
- Still refused: a whole span of 13-19 digits that one scheme issues and that
  passes Luhn is refused however it was meant ("45 50 60 70 80 90 10 26"
  written with spaces reads exactly like a PAN written in pairs); send such
  values with a list separator or as a JSON list.

Work is linear in the text's length (a fixed set of regular-expression passes,
then at most one check per group boundary and length a scheme issues), and
texts longer than MAX_SCAN_CHARACTERS are refused outright (TextTooLongError)
rather than scanned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from itertools import accumulate
from typing import Final

from handlers.card_schemes import LENGTHS_BY_FIRST_DIGIT, is_issued_card_number

PAN_MIN_DIGITS: Final = 13
PAN_MAX_DIGITS: Final = 19

# The most any one Step Functions state input can hold (262,144 bytes of UTF-8, so at most as many characters):
# nothing longer can come through the workflow, so nothing longer is worth scanning.
MAX_SCAN_CHARACTERS: Final = 262_144

# \d is Unicode category Nd and \w is "alphanumeric or underscore" for str patterns: a span is digit groups joined by
# runs of anything that is neither a letter nor a digit (the underscore included). The two classes are disjoint, so
# the regex cannot backtrack into itself: linear time on any input.
_SPAN: Final = re.compile(r"\d+(?:[\W_]+\d+)*")
_GROUP_OR_SEPARATOR: Final = re.compile(r"\d+|[^\d]+")

# Rule 6: a list separator is never written inside one number.
_LIST_SEPARATOR: Final = re.compile(r"\s*[;|]\s*|,\s+")
_LIST_ITEM_MAX_DIGITS: Final = 4
_LIST_MIN_ITEMS: Final = 4

_DOUBLED: Final = tuple(2 * d if d < 5 else 2 * d - 9 for d in range(10))  # the Luhn rule for a doubled digit
_PLAIN_BYTES: Final = bytes.maketrans(b"0123456789", bytes(range(10)))
_DOUBLED_BYTES: Final = bytes.maketrans(b"0123456789", bytes(_DOUBLED))

# Rule 5, the values set aside. Each pattern is followed by a check of its numbers' ranges; the look-arounds make a
# value *delimited*: no digit glued on, and no further group joined by the value's own separator on either side.
_EXTENSION: Final = r"(?:\s*(?:#|,{1,3}|;)\s*[0-9]{1,6})?"


def _date_patterns() -> list[tuple[re.Pattern[str], Callable[[re.Match[str]], bool]]]:
    patterns = []
    for separator in "-/.":
        s = re.escape(separator)
        # A date is set aside only before a time of day: alone it is too short to be read as a card anyway.
        before, after = rf"(?<![0-9])(?<![0-9]{s})", rf"(?![0-9])(?!{s}[0-9])(?=(?:\s+|[T_])[0-9]{{1,2}}:[0-9]{{2}}:)"
        patterns.append((re.compile(rf"{before}([0-9]{{4}}){s}([0-9]{{1,2}}){s}([0-9]{{1,2}}){after}"), _is_ymd))
        patterns.append(
            (re.compile(rf"{before}([0-9]{{1,2}}){s}([0-9]{{1,2}}){s}([0-9]{{4}}|[0-9]{{2}}){after}"), _is_dmy_or_mdy)
        )
    return patterns


def _is_ymd(match: re.Match[str]) -> bool:
    year, month, day = map(int, match.groups())
    return 1000 <= year <= 2999 and 1 <= month <= 12 and 1 <= day <= 31


def _is_dmy_or_mdy(match: re.Match[str]) -> bool:
    first, second, year = match.groups()
    a, b = int(first), int(second)
    year_ok = len(year) == 2 or 1000 <= int(year) <= 2999
    return year_ok and ((1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31))


def _is_time(match: re.Match[str]) -> bool:
    hours, minutes, seconds = match.group(1, 2, 3)
    in_range = int(hours) <= 24 and int(minutes) <= 59 and int(seconds) <= 60
    return in_range and _starts_a_value(match.string, match.start())


def _is_ipv4(match: re.Match[str]) -> bool:
    *octets, port = match.groups()
    return all(int(octet) <= 255 for octet in octets) and int(port) <= 65535


def _is_nanp(match: re.Match[str]) -> bool:
    # The pattern holds the rules (area code and exchange start with 2-9). Not "415 555 0100": spaces are how PANs
    # are chunked, and that shape was found inside a randomly chunked PAN about once in 60,000 tries.
    return True


def _is_international_phone(match: re.Match[str]) -> bool:
    # E.164: at most 15 digits with the country code.
    digits = sum(character.isdigit() for character in match.group(1))
    return 7 <= digits <= 15 and _starts_a_value(match.string, match.start()) and not _is_a_card_number(match.group(1))


def _is_a_card_number(value: str) -> bool:
    """Rule 5's limit: a value whose own number (extension aside) rule 3 reads as a card is one, whatever its shape.

    E.164 allows 15 digits, so "+378282246310005" (Amex) or "+4222222222222" (a 13-digit Visa) would otherwise be
    set aside as phone numbers: a "+" is all it takes to hide a number that is no phone.
    """
    digits = "".join(character for character in value if character.isdigit())
    return PAN_MIN_DIGITS <= len(digits) <= PAN_MAX_DIGITS and is_issued_card_number(digits) and passes_luhn(digits)


# How values are joined in lists and prose: after one of these exactly, a time or a "+" starts a value.
_VALUE_JOINERS: Final = frozenset({", ", "; ", " | ", ",\n", ";\n"})
_LOOKBACK: Final = 8


def _starts_a_value(text: str, start: int) -> bool:
    """Whether a time or a "+" at ``start`` begins a value rather than continuing a number's chunks.

    It does after a letter or the text's start (a few non-alphanumeric characters between), or after a digit and one
    of _VALUE_JOINERS. Not after a digit and any other separator: "4111 1111 +1111 ..." and "2200 00:00:00 ..." are
    how a randomly chunked PAN can look (runs of the obfuscation property found both, about once in 60,000 tries).
    """
    run_start = start
    while run_start > 0 and start - run_start < _LOOKBACK and not text[run_start - 1].isalnum():
        run_start -= 1
    if run_start == 0 or text[run_start - 1].isalpha():
        return True
    return text[run_start - 1].isdigit() and text[run_start:start] in _VALUE_JOINERS


_VALUES: Final[list[tuple[re.Pattern[str], Callable[[re.Match[str]], bool]]]] = [
    *_date_patterns(),
    (
        re.compile(
            r"(?<![0-9])(?<![0-9]:)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:[.,][0-9]{1,9})?"
            r"(?:\s?[+-][0-9]{2}(?::?[0-9]{2})?)?(?![0-9])(?!:[0-9])"
        ),
        _is_time,
    ),
    (
        re.compile(
            r"(?<![0-9])(?<![0-9]\.)([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})(?::([0-9]{1,5}))"
            r"(?![0-9])(?![.:][0-9])"
        ),
        _is_ipv4,
    ),
    (re.compile(rf"\+([0-9][0-9 ().\-/]{{4,24}}[0-9]){_EXTENSION}(?![0-9])"), _is_international_phone),
    (
        re.compile(
            r"(?<![0-9])(?<![0-9][-. ])(?:1[-.])?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}([-.]))"
            rf"[2-9][0-9]{{2}}(?(1)\1|[-. ])[0-9]{{4}}{_EXTENSION}(?![0-9])(?![-. ][0-9])"
        ),
        _is_nanp,
    ),
]


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
    if len(text) < PAN_MIN_DIGITS:
        return False  # the common case of a short value, without a regex pass
    return any(_span_holds_pan(span.group()) for span in _SPAN.finditer(set_values_aside(text)))


def set_values_aside(text: str) -> str:
    """``text`` NFKC-normalised, every digit in ASCII, and each delimited value of rule 5 replaced by a letter."""
    if not text.isascii():
        # NFKC can lengthen a text ("⑳" is "20") but only by a bounded factor.
        text = _ascii_digits(unicodedata.normalize("NFKC", text))
    for pattern, is_value in _VALUES:
        text = pattern.sub(lambda match, is_value=is_value: "x" if is_value(match) else match.group(), text)
    return text


def _ascii_digits(text: str) -> str:
    native = {ord(c): str(unicodedata.decimal(c)) for c in set(text) if not c.isascii() and c.isdecimal()}
    return text.translate(native) if native else text


def split_span(span: str) -> tuple[list[str], list[str]]:
    """A span's digit groups and the separators between them."""
    pieces = _GROUP_OR_SEPARATOR.findall(span)
    return pieces[0::2], pieces[1::2]


def is_list_of_values(groups: list[str], separators: list[str]) -> bool:
    """Rule 6: four or more small groups, all joined by one list separator, not in a card's printed fours."""
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
    # Rule 4's whole span, however it is grouped.
    if len(digits) <= PAN_MAX_DIGITS and is_issued_card_number(digits) and passes_luhn(digits):
        return True
    return _one_number_stretch_holds_pan(groups, separators, digits)


def _one_number_stretch_holds_pan(groups: list[str], separators: list[str], digits: str) -> bool:
    """Whether a stretch of groups laid out as one number (rule 4) is an issued, Luhn-valid card number.

    Linear: for each starting group, only the lengths a scheme issues after its first digit are looked at (at most
    seven), each in O(1) -- the end must be a group boundary, the layout is read from precomputed runs of equal
    widths, and Luhn from prefix sums.
    """
    widths = [len(group) for group in groups]
    boundaries = list(accumulate(widths, initial=0))
    group_ending_at = {end: index + 1 for index, end in enumerate(boundaries[1:])}
    # same_width_until[k]: the first group after k whose width differs from group k's.
    same_width_until = [len(widths)] * (len(widths) + 1)
    for k in range(len(widths) - 2, -1, -1):
        same_width_until[k] = same_width_until[k + 1] if widths[k + 1] == widths[k] else k + 1
    # list_gaps_before[k]: how many of the gaps between groups 0..k are list separators; one number never spans one.
    list_gaps_before = list(accumulate((bool(_LIST_SEPARATOR.fullmatch(s)) for s in separators), initial=0))
    luhn = _LuhnSums(digits)
    for first, start in enumerate(boundaries[:-1]):
        for length in LENGTHS_BY_FIRST_DIGIT[digits[start]]:
            last = group_ending_at.get(start + length)
            if last is None or list_gaps_before[last - 1] != list_gaps_before[first]:
                continue
            if not _one_number_layout(widths, same_width_until, first, last):
                continue
            if luhn.passes(start, start + length) and is_issued_card_number(digits[start : start + length]):
                return True
    return False


def _one_number_layout(widths: list[int], same_width_until: list[int], first: int, end: int) -> bool:
    """Groups [first, end): inner groups of one width w, the first and the last no wider than w."""
    if end - first <= 2:
        return True
    inner = widths[first + 1]
    return same_width_until[first + 1] >= end - 1 and widths[first] <= inner and widths[end - 1] <= inner


class _LuhnSums:
    """Luhn of any stretch [s, e) of a digit string in O(1).

    With P(p) the Luhn sum of digits [0, p) weighted from an end at p, a stretch [s, e) passes iff P's value at e and
    at s agree modulo 10 -- provided both are weighted for the same end parity: one prefix sum per parity of the end.
    """

    def __init__(self, digits: str) -> None:
        ascii_digits = digits.encode("ascii")
        plain = ascii_digits.translate(_PLAIN_BYTES)
        doubled = ascii_digits.translate(_DOUBLED_BYTES)
        # For an end e, the digit just before it is kept, the one before that doubled, and so on: position p is kept
        # when p and e differ in parity. even_end weights for even ends (odd positions kept), odd_end for odd ends.
        even_end, odd_end = bytearray(plain), bytearray(plain)
        even_end[0::2] = doubled[0::2]
        odd_end[1::2] = doubled[1::2]
        self._sums = (list(accumulate(even_end, initial=0)), list(accumulate(odd_end, initial=0)))

    def passes(self, start: int, end: int) -> bool:
        sums = self._sums[end % 2]
        return (sums[end] - sums[start]) % 10 == 0
