"""Values that hold digits but are no card number, set aside before card numbers are looked for.

Each value is recognised by its shape and then proven by its own rule (a valid IBAN of its country, a phone number
libphonenumber calls valid, a calendar date, an address ipaddress parses) and must be *delimited*: it starts a value
(after a letter, the text's start, another value, or a digit and a list joiner such as ", ") and ends one (the same,
mirrored). A value is never carved out of a run of digit groups, so a card number's own chunks are never taken for
one. docs/card-numbers.md lists the values and what each costs.
"""

from __future__ import annotations

import functools
import importlib
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Final

from handlers.card_schemes import is_issued_card_number

PAN_MIN_DIGITS: Final = 13
PAN_MAX_DIGITS: Final = 19
# What a value set aside becomes: one letter, so it ends a run of digit groups as a word does.
MARK: Final = "x"
# How values are joined in lists and prose: a value after (or before) one of these and a digit still starts (or ends)
# a value. Not a single space, dash or dot: those are how a card number's own chunks are joined.
VALUE_JOINERS: Final = frozenset({", ", "; ", " | ", ",\n", ";\n"})
_JOINERS: Final = tuple(VALUE_JOINERS)
_BRACKETS: Final = str.maketrans("", "", "[](){}<>\"'")
_OPENING: Final = frozenset("([{")
_CLOSING: Final = frozenset(")]}")
_CONTEXT: Final = 8


def passes_luhn(digits: str) -> bool:
    """Whether a string of ASCII digits has a valid Luhn (mod 10) check digit.

    Our own three lines rather than python-stdnum's: the scan reads Luhn from prefix sums (card_numbers.py), which no
    library offers, and importing stdnum costs a cold start tens of milliseconds. Tests hold both to stdnum's Luhn.
    """
    kept = sum(map(int, digits[-1::-2]))
    doubled = sum(_DOUBLED[int(d)] for d in digits[-2::-2])
    return (kept + doubled) % 10 == 0


_DOUBLED: Final = tuple(2 * d if d < 5 else 2 * d - 9 for d in range(10))  # the Luhn rule for a doubled digit


# The libraries are imported on first use: together they cost a cold start over a hundred milliseconds, and most
# payments hold no text that needs them (docs/card-numbers.md has the figures).
@functools.cache
def _stdnum(module: str) -> ModuleType:
    return importlib.import_module(f"stdnum.{module}")


@functools.cache
def _phonenumbers() -> ModuleType:
    return importlib.import_module("phonenumbers")


def is_card_number(digits: str) -> bool:
    """13-19 ASCII digits that a scheme issues and that pass Luhn."""
    return PAN_MIN_DIGITS <= len(digits) <= PAN_MAX_DIGITS and is_issued_card_number(digits) and passes_luhn(digits)


def starts_a_value(before: str) -> bool:
    """Whether what ends ``before`` lets a value start: a letter or nothing, or a digit and a value joiner.

    An opening bracket right before it starts a value too ("[2024-01-15 ..."), and brackets and quotes around a
    joiner do not count ("[...], 22:00:04"). Mirrored in ends_a_value (a closing bracket right after a value ends it),
    where the joiner may be followed by the next value's own mark: "...:346, +1 000000".
    """
    at = len(before)
    while at > 0 and not before[at - 1].isalnum():
        at -= 1
    if at == 0 or before[at - 1].isalpha() or before[-1:] in _OPENING:
        return True
    return before[at:].translate(_BRACKETS).endswith(_JOINERS)


def ends_a_value(after: str) -> bool:
    """Whether what begins ``after`` lets a value end there (``starts_a_value`` mirrored)."""
    at = 0
    while at < len(after) and not after[at].isalnum():
        at += 1
    if at == len(after) or after[at].isalpha() or after[:1] in _CLOSING:
        return True
    return after[:at].translate(_BRACKETS).startswith(_JOINERS)


# A judge is shown the text, a match and what precedes it once earlier values are set aside; it returns where the
# value ends (it may keep less than the pattern matched), or None when the match is no value.
Judge = Callable[[str, re.Match[str], str], int | None]


@dataclass(frozen=True)
class ValueKind:
    name: str
    pattern: re.Pattern[str]
    judge: Judge
    needs: str = ""  # a value of this kind holds one of these characters: without any, its pass is skipped

    def may_occur_in(self, text: str) -> bool:
        return not self.needs or any(character in text for character in self.needs)


def _delimited(text: str, before: str, end: int) -> bool:
    return starts_a_value(before) and ends_a_value(text[end : end + _CONTEXT])


def _whole(is_value: Callable[[re.Match[str]], bool]) -> Judge:
    """A judge for values taken whole: the rule holds and the value is delimited."""

    def judge(text: str, match: re.Match[str], before: str) -> int | None:
        return match.end() if is_value(match) and _delimited(text, before, match.end()) else None

    return judge


# --- names of standards: "ISBN-13: 978..." is a name and a number, not the digits 13978... ----------------------
_STANDARD_NAMES: Final = re.compile(
    r"(?<![A-Za-z0-9])(?:ISBN[- ]?1[03]|EAN[- ]?(?:8|13)|GTIN[- ]?(?:8|12|13|14)|ISO[- ]?(?:8601|4217|3166|9362|13616"
    r"|7812)|UTF[- ]?(?:8|16|32)|SHA[- ]?(?:1|224|256|384|512)|IPv[46]|MD5)(?![0-9])",
    re.IGNORECASE,
)

# --- UUIDs (RFC 9562's 8-4-4-4-12 hex digits) --------------------------------------------------------------------
_UUID: Final = re.compile(
    r"(?<![0-9A-Za-z-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z-])"
)

# --- IBANs (ISO 13616), electronic or print form; python-stdnum holds the registry and the checks ----------------
_IBAN_START: Final = re.compile(r"(?<![0-9A-Za-z])([A-Z]{2})[0-9]{2}")


@functools.cache
def _iban_lengths() -> dict[str, int]:
    """Country code -> IBAN length, from the IBAN registry python-stdnum ships."""
    return {
        low: 4 + sum(int(count) for count in re.findall(r"(\d+)!", properties["bban"]))
        for _, low, _, properties, _ in _stdnum("numdb").get("iban").prefixes
    }


def _iban_end(text: str, match: re.Match[str], before: str) -> int | None:
    length = _iban_lengths().get(match.group(1))
    if length is None:
        return None
    at, characters, spaced = match.end(), 4, text[match.end() : match.end() + 1] == " "
    while characters < length and at < len(text):
        if spaced and (characters % 4 == 0) and text[at] == " ":  # print form: one space before each group of four
            at += 1
            continue
        if not text[at].isalnum() or not text[at].isascii():
            return None
        at += 1
        characters += 1
    if characters < length or (at < len(text) and text[at].isalnum()):
        return None
    if not _stdnum("iban").is_valid(text[match.start() : at]) or not _delimited(text, before, at):
        return None
    return at


# --- IPv6 addresses, bracketed with a port or bare ----------------------------------------------------------------
_IPV6: Final = re.compile(
    r"(?<![0-9A-Za-z:.])(\[)?([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7})(?(1)\](?::([0-9]{1,5}))?)(?![0-9A-Za-z:])"
)


def _is_ipv6(match: re.Match[str]) -> bool:
    """An address ipaddress parses, that does not read as a card in colon-joined chunks.

    "41:11:11:11:11:11:11:11" is a valid address too; one with a "::", a hex letter or more digits than a card has
    is one nobody types a card number as.
    """
    address, port = match.group(2), match.group(3)
    try:
        ipaddress.IPv6Address(address)
    except ValueError:
        return False
    digits = sum(c.isdigit() for c in address)
    looks_like_an_address = "::" in address or not address.replace(":", "").isdigit() or digits > PAN_MAX_DIGITS
    return looks_like_an_address and (port is None or int(port) <= 65535)


# --- IPv4 addresses with a port ------------------------------------------------------------------------------------
_IPV4_WITH_PORT: Final = re.compile(
    r"(?<![0-9])(?<![0-9]\.)([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3})\.([0-9]{1,3}):([0-9]{1,5})(?![0-9])(?![.:][0-9])"
)


def _is_ipv4_with_port(match: re.Match[str]) -> bool:
    *octets, port = match.groups()
    return all(int(octet) <= 255 for octet in octets) and int(port) <= 65535


# --- phone numbers --------------------------------------------------------------------------------------------------
# An extension: "#12", " ext. 12", ";ext=12" (RFC 3966), or dialling pauses ",,12" glued to the number.
_EXTENSION: Final = r"(?:\s*(?:#|ext\.?|x)\s*[0-9]{1,6}|;ext=[0-9]{1,6}|,{1,3}[0-9]{1,6})?"
_INTERNATIONAL_PHONE: Final = re.compile(rf"\+([0-9][0-9 ().\-/]{{4,24}}[0-9])({_EXTENSION})(?![0-9])")
# North American numbers: area code and exchange start with 2-9. Not "415 555 0100": spaces are how card numbers are
# chunked.
_NANP_PHONE: Final = re.compile(
    r"(?<![0-9])(?<![0-9][-. ])(?:1[-.])?(?:\([2-9][0-9]{2}\) ?|[2-9][0-9]{2}([-.]))"
    rf"[2-9][0-9]{{2}}(?(1)\1|[-. ])[0-9]{{4}}({_EXTENSION})(?![0-9])(?![-. ][0-9])"
)


def _phone_end(text: str, before: str, ends: tuple[int, int]) -> int | None:
    """The end of a delimited phone number: with its extension if that ends a value, else without it, else None."""
    for end in ends:
        if _delimited(text, before, end):
            return end
    return None


def _international_phone_end(text: str, match: re.Match[str], before: str) -> int | None:
    """A "+" number of 7-15 digits (E.164), unless its digits are an issued card number and not a valid phone number;
    16 or 17 digits only when a valid phone number.

    When the digits are both (a 13-digit Visa number is also a German mobile number, "+49 15..."), libphonenumber's
    metadata decides: the "+" says a phone number was meant.
    """
    digits = re.sub(r"[^0-9]", "", match.group(1))
    if not 7 <= len(digits) <= 17:
        return None
    # E.164 allows 15 digits; libphonenumber knows national plans with longer numbers ("+49 30 5175900966898").
    if (len(digits) > 15 or is_card_number(digits)) and not is_valid_phone_number(digits):
        return None
    return _phone_end(text, before, (match.end(), match.end(1)))


def is_valid_phone_number(digits: str) -> bool:
    """Whether "+<digits>" is a valid number of the country its code names (Google's libphonenumber metadata)."""
    phonenumbers = _phonenumbers()
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse("+" + digits))
    except phonenumbers.NumberParseException:
        return False


def _nanp_phone_end(text: str, match: re.Match[str], before: str) -> int | None:
    return _phone_end(text, before, (match.end(), match.start(2)))


# --- dates, times, ranges -------------------------------------------------------------------------------------------
def _is_ymd(year: str, month: str, day: str) -> bool:
    return 1000 <= int(year) <= 2999 and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _is_dmy_or_mdy(first: str, second: str, year: str) -> bool:
    a, b = int(first), int(second)
    year_ok = len(year) == 2 or 1000 <= int(year) <= 2999
    return year_ok and ((1 <= a <= 31 and 1 <= b <= 12) or (1 <= a <= 12 and 1 <= b <= 31))


def _is_date(groups: tuple[str, ...]) -> bool:
    return _is_ymd(*groups) if len(groups[0]) == 4 else _is_dmy_or_mdy(*groups)


def _date_pattern(separator: str) -> str:
    s = re.escape(separator)
    year_first = rf"([0-9]{{4}}){s}([0-9]{{1,2}}){s}([0-9]{{1,2}})"
    year_last = rf"([0-9]{{1,2}}){s}([0-9]{{1,2}}){s}([0-9]{{4}}|[0-9]{{2}})"
    return f"(?:{year_first}|{year_last})"


def _dates_of(match: re.Match[str]) -> list[tuple[str, ...]]:
    groups = match.groups()
    dates = []
    for at in range(0, len(groups) - 2, 3):
        if groups[at] is not None:
            dates.append(groups[at : at + 3])
    return dates


def _date_before_time_patterns() -> list[ValueKind]:
    """A date just before a time of day (the time is set aside on its own): "30/01/2024 10:30:03"."""
    kinds = []
    for separator in "-/.":
        s = re.escape(separator)
        pattern = re.compile(
            rf"(?<![0-9])(?<![0-9]{s}){_date_pattern(separator)}(?![0-9])(?!{s}[0-9])"
            r"(?=(?:\s+|[T_]|,\s)[0-9]{1,2}:[0-9]{2}(?![0-9]))"
        )
        kinds.append(ValueKind(f"date before a time ({separator})", pattern, _date_before_time_end, needs=":"))
    return kinds


def _date_before_time_end(text: str, match: re.Match[str], before: str) -> int | None:
    # Its end is the time's start: the time is judged on its own, after the date is set aside.
    return match.end() if all(_is_date(d) for d in _dates_of(match)) and starts_a_value(before) else None


def _date_range_patterns() -> list[ValueKind]:
    """Two dates written as a range: "30/01/2024-15/02/2024", "2024-01-15 – 2024-02-15"."""
    kinds = []
    for separator in "-/.":
        s = re.escape(separator)
        date = _date_pattern(separator)
        pattern = re.compile(
            rf"(?<![0-9])(?<![0-9]{s}){date}\s*(?:-|–|—|/|\.\.)\s*{date}(?![0-9])(?!{s}[0-9])"
        )
        is_range = _whole(lambda match: all(_is_date(d) for d in _dates_of(match)))
        kinds.append(ValueKind(f"date range ({separator})", pattern, is_range, needs=separator))
    return kinds


# A time of day, with optional seconds, fraction and UTC offset (at most +14:00, minutes below 60).
_TIME: Final = re.compile(
    r"(?<![0-9])(?<![0-9]:)([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:[.,][0-9]{1,9})?)?"
    r"(\s?(?:Z|[+-](?:0[0-9]|1[0-4])(?::?[0-5][0-9])?))?(?![0-9])(?!:[0-9])"
)


def _time_end(text: str, match: re.Match[str], before: str) -> int | None:
    hours, minutes, seconds = (int(value or 0) for value in match.group(1, 2, 3))
    if not (hours <= 24 and minutes <= 59 and seconds <= 60):
        return None
    offset_start = match.start(4) if match.group(4) else match.end()
    for end in (match.end(), offset_start):
        if _delimited(text, before, end):
            return end
    return None


# --- USPS tracking numbers in print form (Intelligent Mail package barcode: GS1 mod-10 check digit) --------------
_USPS_PRINTED: Final = re.compile(r"(?<![0-9])(?<![0-9] )(9[1-5][0-9]{2}(?: [0-9]{4}){4}(?: [0-9]{2})?)(?![0-9])"
                                  r"(?! [0-9])")


def _is_usps(match: re.Match[str]) -> bool:
    digits = match.group(1).replace(" ", "")
    return _stdnum("ean").calc_check_digit(digits[:-1]) == digits[-1]


VALUE_KINDS: Final[tuple[ValueKind, ...]] = (
    ValueKind("name of a standard", _STANDARD_NAMES, lambda text, match, before: match.end()),
    ValueKind("UUID", _UUID, lambda text, match, before: match.end(), needs="-"),
    ValueKind("IBAN", _IBAN_START, _iban_end),
    ValueKind("IPv6 address", _IPV6, _whole(_is_ipv6), needs=":"),
    ValueKind("IPv4 address and port", _IPV4_WITH_PORT, _whole(_is_ipv4_with_port), needs=":"),
    ValueKind("USPS tracking number", _USPS_PRINTED, _whole(_is_usps), needs=" "),
    *_date_range_patterns(),
    *_date_before_time_patterns(),
    ValueKind("time of day", _TIME, _time_end, needs=":"),
    ValueKind("international phone number", _INTERNATIONAL_PHONE, _international_phone_end, needs="+"),
    ValueKind("North American phone number", _NANP_PHONE, _nanp_phone_end, needs="(-. "),
)


def set_values_aside(text: str) -> str:
    """``text`` (normalized: ASCII digits) with each delimited value replaced by MARK.

    Kinds run one after the other, each on the text the previous ones left, and a value's context is read there: a
    time after a value already set aside starts a value ("[2024-01-01 00:00:00], 22:00:04"). A second round lets a
    value be delimited by one of a kind that runs later ("50.104.150.255:346, +1 000000"). Every kind's pattern is
    linear and its values are short, so each round is linear in the text's length.
    """
    for _ in range(2):
        before = text
        for kind in VALUE_KINDS:
            if kind.may_occur_in(text):
                text = _set_aside(text, kind)
        if text == before:
            break
    return text


def _set_aside(text: str, kind: ValueKind) -> str:
    pieces: list[str] = []  # the text up to `done`, values replaced
    done = search_from = 0
    while (match := kind.pattern.search(text, search_from)) is not None:
        end = kind.judge(text, match, _before(pieces, text, done, match.start()))
        if end is None:
            search_from = match.start() + 1
            continue
        pieces += [text[done : match.start()], MARK]
        done = search_from = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def _before(pieces: list[str], text: str, done: int, start: int) -> str:
    """The last few characters before ``start`` as they read with the values found so far set aside."""
    between = text[max(done, start - _CONTEXT) : start]
    if len(between) == _CONTEXT or not pieces:
        return text[max(0, start - _CONTEXT) : start] if not pieces else between
    return ("".join(pieces[-4:]) + between)[-_CONTEXT:]
