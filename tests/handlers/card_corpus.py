"""The labelled corpus card-number detection is measured on: hostile texts (each holds a card number) and benign ones.

Generated, not stored: every class draws from its own random stream, seeded by SEED and the class name, so a class's
first n texts are the same whatever n, and `make test` runs a small stratified slice of exactly the corpus the
benchmark runs whole (bench/card_numbers.py). Valid values come from the well-kept validators (python-stdnum's Luhn,
IBAN registry, EAN and ISBN; Google's libphonenumber metadata), at the versions Pipfile.lock pins: the corpus is a
function of this file, the seed and the lock, and tests/handlers/test_card_corpus.py pins the slice's digest so a
change to any of them shows. python -m tests.handlers.card_corpus --per-class N prints a corpus as JSON lines.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from random import Random
from typing import Final

import phonenumbers
from stdnum import ean, iban, isbn, luhn, numdb

from handlers.card_schemes import ISSUER_RANGES, IssuerRange

SEED: Final = "card-corpus-1"
HOSTILE: Final = "hostile"
BENIGN: Final = "benign"

Generator = Callable[[Random], str]


@dataclass(frozen=True)
class CorpusClass:
    label: str  # HOSTILE (holds a card number) or BENIGN
    name: str
    generate: Generator


@dataclass(frozen=True)
class Text:
    label: str
    class_name: str
    text: str


# --- card numbers ---------------------------------------------------------------------------------------------------


def _card_number(rng: Random, rows: tuple[IssuerRange, ...] = ISSUER_RANGES) -> str:
    """An issued number: a row's prefix range, one of its lengths, random digits, Luhn's check digit."""
    row = rng.choice(rows)
    width = len(row.low)
    prefix = str(rng.randint(int(row.low), int(row.high))).zfill(width)
    length = rng.choice(sorted(row.lengths))
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - width - 1))
    return body + luhn.calc_check_digit(body)


def _scheme_rows(scheme: str) -> tuple[IssuerRange, ...]:
    return tuple(row for row in ISSUER_RANGES if row.scheme == scheme)


def _printed_groups(number: str) -> list[str]:
    """How cards print their number: 4-6-5 for 15 digits (Amex), 4-6-4 for 14 (Diners), fours otherwise."""
    if len(number) == 15:
        return [number[:4], number[4:10], number[10:]]
    if len(number) == 14:
        return [number[:4], number[4:10], number[10:]]
    return [number[i : i + 4] for i in range(0, len(number), 4)]


def _random_chunks(rng: Random, number: str, widest: int = 6) -> list[str]:
    chunks, at = [], 0
    while at < len(number):
        width = rng.randint(1, widest)
        chunks.append(number[at : at + width])
        at += width
    return chunks


PROSE_BEFORE: Final = ("", "", "card ", "my card is ", "pan: ", "note ", "Karte ", "カード ")
PROSE_AFTER: Final = ("", "", " thanks", " please", ".", " (old card)")


def _in_prose(rng: Random, written: str) -> str:
    return rng.choice(PROSE_BEFORE) + written + rng.choice(PROSE_AFTER)


def _scheme_class(scheme: str) -> Generator:
    rows = _scheme_rows(scheme)

    def generate(rng: Random) -> str:
        number = _card_number(rng, rows)
        written = rng.choice([number, " ".join(_printed_groups(number)), "-".join(_printed_groups(number))])
        return _in_prose(rng, written)

    return generate


def _joined(separators: str | tuple[str, ...], *, regular: bool = True) -> Generator:
    """A card number in printed groups (or random chunks) joined by one of ``separators``."""

    def generate(rng: Random) -> str:
        number = _card_number(rng)
        groups = _printed_groups(number) if regular else _random_chunks(rng, number)
        return _in_prose(rng, rng.choice(separators).join(groups))

    return generate


# Scripts whose digits are contiguous 0-9 code points (Unicode category Nd), by the code point of their zero.
DIGIT_ZEROS: Final = (0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xE50,
                      0xED0, 0xF20, 0x1040, 0x17E0, 0x1810, 0xFF10, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6)


def _other_scripts(rng: Random) -> str:
    number = _card_number(rng)
    mixed = rng.random() < 0.5
    zero = rng.choice(DIGIT_ZEROS)
    digits = "".join(chr((rng.choice(DIGIT_ZEROS) if mixed else zero) + int(d)) for d in number)
    return _in_prose(rng, digits)


SUPERSCRIPTS: Final = "⁰¹²³⁴⁵⁶⁷⁸⁹"
CIRCLED: Final = "⓪①②③④⑤⑥⑦⑧⑨"
# NFKC writes each of these as two or more characters: "⑪" is "11", "⒒" is "11.", "⑴" is "(1)".
CIRCLED_PAIRS: Final = {str(n): chr(0x2460 + n - 1) for n in range(10, 21)}
PARENTHESIZED_PAIRS: Final = {str(n): chr(0x247D + n - 10) for n in range(10, 21)}
FULL_STOP_PAIRS: Final = {str(n): chr(0x2491 + n - 10) for n in range(10, 21)}


def _compatibility_forms(rng: Random) -> str:
    """Forms NFKC folds into digits, some of them one character for two digits (the text is shorter than the card)."""
    number = _card_number(rng)
    pairs = rng.choice([CIRCLED_PAIRS, PARENTHESIZED_PAIRS, FULL_STOP_PAIRS])
    out, at = [], 0
    while at < len(number):
        pair = number[at : at + 2]
        if pair in pairs and rng.random() < 0.8:
            out.append(pairs[pair])
            at += 2
            continue
        digit = int(number[at])
        out.append(rng.choice([SUPERSCRIPTS[digit], CIRCLED[digit], chr(0xFF10 + digit), chr(0x1D7CE + digit)]))
        at += 1
    return _in_prose(rng, "".join(out))


# Unicode's Default_Ignorable_Code_Point characters people and tools leave in text, and invisible operators.
INVISIBLE: Final = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u180e", "\ufe0f",
                    "\u2061", "\u2062", "\u2063", "\u2064", "\u061c", "\u200e", "\u200f", "\u202a", "\u202c",
                    "\U000e0020", "\U000e0001", "\u17b4", "\u180b")
HANGUL_FILLERS: Final = ("\u3164", "\uffa0", "\u115f", "\u1160")


def _between_digits(characters: tuple[str, ...]) -> Generator:
    """A card number with one of ``characters`` between its printed groups, or between every digit."""

    def generate(rng: Random) -> str:
        number = _card_number(rng)
        pieces = list(number) if rng.random() < 0.3 else _printed_groups(number)
        return _in_prose(rng, "".join(p + rng.choice(characters) for p in pieces[:-1]) + pieces[-1])

    return generate


def _percent_encoded(rng: Random) -> str:
    number = _card_number(rng)
    if rng.random() < 0.5:
        separator = rng.choice(["%20", "%2D", "%2d", "%2E", "%2F", "%C2%A0", "%E2%80%8B"])
        return _in_prose(rng, separator.join(_printed_groups(number)))
    hexdigits = "%{:02X}" if rng.random() < 0.5 else "%{:02x}"
    return _in_prose(rng, "".join(hexdigits.format(ord(d)) if rng.random() < 0.7 else d for d in number))


NAMED_ENTITIES: Final = ("&nbsp;", "&ndash;", "&mdash;", "&minus;", "&middot;", "&thinsp;", "&ensp;", "&emsp;",
                         "&hyphen;", "&dash;", "&sol;", "&period;", "&lowbar;", "&bull;", "&nbsp;&nbsp;")


def _named_entities(rng: Random) -> str:
    return _in_prose(rng, rng.choice(NAMED_ENTITIES).join(_printed_groups(_card_number(rng))))


def _numeric_entities(rng: Random) -> str:
    number = _card_number(rng)
    if rng.random() < 0.5:
        separator = rng.choice(["&#32;", "&#x20;", "&#45;", "&#8211;", "&#160;", "&#xA0;", "&#8203;", "&#x200B;"])
        return _in_prose(rng, separator.join(_printed_groups(number)))
    form = rng.choice(["&#{};", "&#x{:x};", "&#X{:X};", "&#{:04};"])
    return _in_prose(rng, "".join(form.format(ord(d)) if rng.random() < 0.7 else d for d in number))


def _json_escapes(rng: Random) -> str:
    r"""A card number as text that was JSON-encoded twice: \u0034 for "4", \u0020 or \t between groups."""
    number = _card_number(rng)
    if rng.random() < 0.5:
        separator = rng.choice([r"\u0020", r"\u002d", r"\u00a0", r"\u200b", r"\t", r"\n", r"\r\n", r"\/"])
        return _in_prose(rng, separator.join(_printed_groups(number)))
    form = rng.choice([r"\u{:04x}", r"\u{:04X}"])
    return _in_prose(rng, "".join(form.format(ord(d)) if rng.random() < 0.7 else d for d in number))


VALUE_JOINERS: Final = (", ", "; ", " ", "  ", " / ", "\n", " | ", " and ", ": ", " - ", " -", ",")


def _after(value: Generator) -> Generator:
    """A card number just after another value (a phone number, a time), as a note or a log line writes them."""

    def generate(rng: Random) -> str:
        number = _card_number(rng)
        written = rng.choice([number, " ".join(_printed_groups(number)), "-".join(_printed_groups(number))])
        return value(rng) + rng.choice(VALUE_JOINERS) + written

    return generate


def _beside_expiry(rng: Random) -> str:
    number = _card_number(rng)
    written = rng.choice([number, " ".join(_printed_groups(number))])
    month, year, code = rng.randint(1, 12), rng.randint(24, 35), rng.randint(0, 9999)
    layout = rng.choice(["{n} {m:02}/{y}", "{n} exp {m:02}/{y} cvv {c:03}", "{n}|{m:02}|{y}|{c:03}",
                         "1. {n}", "ref {r} {n}", "{n} {m:02}/{y} {c:03}", "{n};{m:02}{y};{c:03}"])
    return layout.format(n=written, m=month, y=year, c=code % 1000, r=rng.randint(1, 9999))


def _behind_a_plus(rng: Random) -> str:
    return rng.choice(["", "tel ", "call: ", "x, "]) + "+" + _card_number(rng)


# --- benign values --------------------------------------------------------------------------------------------------


def _digits(rng: Random, count: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(count))


def iban_countries() -> dict[str, str]:
    """Country code -> BBAN structure ("8!n10!n"): every country of the IBAN registry python-stdnum ships."""
    return {low: properties["bban"] for _, low, _, properties, _ in numdb.get("iban").prefixes}


_BBAN_ALPHABETS: Final = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                          "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_BBAN_PART: Final = re.compile(r"(\d+)!([nac])")


def valid_iban(rng: Random, country: str | None = None) -> str:
    """A valid IBAN (electronic form) of a country of the registry, national check digits too where stdnum has them."""
    countries = iban_countries()
    country = country or rng.choice(sorted(countries))
    parts = [(int(count), kind) for count, kind in _BBAN_PART.findall(countries[country])]
    while True:
        bban = "".join(rng.choice(_BBAN_ALPHABETS[kind]) for count, kind in parts for _ in range(count))
        number = country + iban.calc_check_digits(country + "00" + bban) + bban
        if iban.is_valid(number):
            return number


def _iban_electronic(rng: Random) -> str:
    return rng.choice(["", "IBAN ", "iban: ", "pay to "]) + valid_iban(rng)


def _iban_print(rng: Random) -> str:
    """The print form: groups of four after the country code and check digits (EBS 204 / ISO 13616)."""
    return rng.choice(["", "IBAN ", "iban: ", "pay to "]) + iban.format(valid_iban(rng))


# GS1 company prefixes of member organisations (GS1 "GS1 Company Prefix" list), one per country or range.
GS1_PREFIXES: Final = (
    *range(0, 20), *range(30, 40), *range(60, 140), *range(300, 380), 380, 383, 385, 387, 389, *range(400, 441),
    *range(450, 460), *range(460, 470), 470, 471, 474, 475, 476, 477, 478, 479, 480, 481, 482, 484, 485, 486, 487,
    488, 489, *range(490, 500), *range(500, 510), 520, 521, 528, 529, 531, 535, 539, *range(540, 550), 560, 569,
    *range(570, 580), 590, 594, 599, 600, 601, 603, 604, 608, 609, 611, 613, 615, 616, 618, 619, 620, 621, 622, 623,
    624, 625, 626, 627, 628, 629, *range(640, 650), *range(690, 700), *range(700, 710), 729, *range(730, 740), 740,
    741, 742, 743, 744, 745, 746, 750, 754, 755, 759, 760, 770, 771, 773, 775, 777, 778, 779, 780, 784, 786, 789, 790,
    *range(800, 840), *range(840, 850), 850, 858, 859, 860, 865, 867, 868, 869, *range(870, 880), 880, 884, 885, 888,
    890, 893, 896, 899, *range(900, 920), *range(930, 940), *range(940, 950), 955, 958, *range(960, 970),
)


def _ean13_digits(rng: Random) -> str:
    body = f"{rng.choice(GS1_PREFIXES):03}" + _digits(rng, 9)
    return body + ean.calc_check_digit(body)


def _ean13(rng: Random) -> str:
    return rng.choice(["", "", "EAN ", "ean: ", "GTIN "]) + _ean13_digits(rng)


def _gtin14(rng: Random) -> str:
    """An EAN-13 as GS1 asks databases to keep it: zero-padded to the 14 digits of a GTIN-14."""
    return rng.choice(["", "gtin: ", "GTIN "]) + "0" + _ean13_digits(rng)


def _ean8(rng: Random) -> str:
    body = _digits(rng, 7)
    return rng.choice(["", "EAN-8 "]) + body + ean.calc_check_digit(body)


def _upc_a(rng: Random) -> str:
    body = _digits(rng, 11)
    code = body + ean.calc_check_digit(body)
    return rng.choice(["", "UPC "]) + rng.choice([code, f"{code[0]} {code[1:6]} {code[6:11]} {code[11]}"])


def _isbn13(rng: Random) -> str:
    body = rng.choice(["978", "979"]) + _digits(rng, 9)
    number = body + ean.calc_check_digit(body)  # an ISBN-13 is an EAN-13 of the Bookland prefixes
    written = isbn.format(number) if rng.random() < 0.6 else number
    return rng.choice(["", "ISBN ", "ISBN-13: "]) + written


def _isbn10(rng: Random) -> str:
    body = "978" + _digits(rng, 9)
    number = isbn.to_isbn10(body + ean.calc_check_digit(body))
    written = isbn.format(number) if rng.random() < 0.6 else number
    return rng.choice(["", "ISBN ", "ISBN-10: "]) + written


_PHONE_TYPES: Final = {phonenumbers.PhoneNumberType.MOBILE: "mobile",
                       phonenumbers.PhoneNumberType.FIXED_LINE: "fixed_line"}


def valid_phone_number(rng: Random, region: str | None = None) -> phonenumbers.PhoneNumber:
    """A valid number of a region (libphonenumber): its example number's first two digits, then random digits, at one
    of the lengths the region's metadata allows for that type (so "+62 812 3456 7890" as well as "+62 812 345 678").

    A region whose numbers random digits rarely hit (Vatican City shares +39 with Italy) gives its example number.
    """
    regions = sorted(phonenumbers.SUPPORTED_REGIONS)
    for _ in range(20):
        chosen = region or rng.choice(regions)
        number_type = rng.choice(sorted(_PHONE_TYPES))
        example = phonenumbers.example_number_for_type(chosen, number_type)
        if example is None:
            continue
        national = str(example.national_number)
        description = getattr(phonenumbers.PhoneMetadata.metadata_for_region(chosen), _PHONE_TYPES[number_type])
        lengths = [n for n in description.possible_length if n > 2] or [len(national)]
        for _ in range(50):
            candidate = national[:2] + _digits(rng, rng.choice(lengths) - 2)
            number = phonenumbers.parse("+" + str(example.country_code) + candidate)
            if phonenumbers.is_valid_number(number) and phonenumbers.region_code_for_number(number) == chosen:
                return number
    return phonenumbers.example_number(region or rng.choice(regions))


def _formatted(number: phonenumbers.PhoneNumber, form: int) -> str:
    return phonenumbers.format_number(number, form)


def _phone_national(rng: Random) -> str:
    prefix = rng.choice(["", "tel ", "call "])
    return prefix + _formatted(valid_phone_number(rng), phonenumbers.PhoneNumberFormat.NATIONAL)


def _phone_international(rng: Random, region: str | None = None) -> str:
    number = valid_phone_number(rng, region)
    form = rng.choice([phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164])
    return rng.choice(["", "tel ", "call ", "phone: "]) + _formatted(number, form)


def _mobile_of(region: str) -> Generator:
    def generate(rng: Random) -> str:
        while True:
            number = valid_phone_number(rng, region)
            if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE:
                break
        form = rng.choice([phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.E164])
        return rng.choice(["", "tel ", "mobile: "]) + _formatted(number, form)

    return generate


def _phone_with_extension(rng: Random) -> str:
    number = _formatted(valid_phone_number(rng), rng.choice([phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                                                       phonenumbers.PhoneNumberFormat.NATIONAL]))
    return number + rng.choice([" ext. ", " ext ", " x", " #", ";ext=", ",,"]) + str(rng.randint(1, 99999))


def _ipv4_with_port(rng: Random) -> str:
    address = ".".join(str(rng.randint(0, 255)) for _ in range(4))
    return rng.choice(["", "from ", "ip "]) + f"{address}:{rng.randint(1, 65535)}"


def _ipv6_groups(rng: Random) -> list[str]:
    # Digits-only groups are what reads like card chunks: half the groups have no hex letter.
    return [f"{rng.randint(0, 0xFFFF):04x}" if rng.random() < 0.5 else f"{rng.randint(0, 9999):04}" for _ in range(8)]


def _ipv6_full(rng: Random) -> str:
    return rng.choice(["", "from "]) + ":".join(_ipv6_groups(rng))


def _ipv6_compressed(rng: Random) -> str:
    groups = _ipv6_groups(rng)
    start = rng.randint(1, 6)
    end = rng.randint(start + 1, 7)
    for at in range(start, end):
        groups[at] = "0000"
    import ipaddress  # the standard library's compression of the longest zero run

    return rng.choice(["", "from "]) + str(ipaddress.IPv6Address(":".join(groups)))


def _ipv6_with_port(rng: Random) -> str:
    address = _ipv6_full(rng).removeprefix("from ") if rng.random() < 0.5 else _ipv6_compressed(rng)
    return f"[{address.removeprefix('from ')}]:{rng.randint(1, 65535)}"


def _date(rng: Random, layout: str | None = None) -> str:
    year, month, day = rng.randint(1970, 2099), rng.randint(1, 12), rng.randint(1, 28 if rng.random() < 0.5 else 31)
    layouts = ("{y:04}-{m:02}-{d:02}", "{y:04}/{m:02}/{d:02}", "{d:02}/{m:02}/{y:04}", "{m:02}/{d:02}/{y:04}",
               "{d}.{m}.{y:04}", "{d:02}.{m:02}.{y:04}", "{d:02}-{m:02}-{y:04}", "{d:02}/{m:02}/{yy:02}",
               "{y:04}{m:02}{d:02}")
    return (layout or rng.choice(layouts)).format(y=year, m=month, d=day, yy=year % 100)


def _time(rng: Random) -> str:
    hour, minute, second = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    fraction = rng.choice(["", "", ".{:03}", ".{:06}", ".{:09}", ",{:03}"]).format(rng.randint(0, 999))
    offset = rng.choice(["", "", "Z", "+01:00", "-05:00", " +0100", "+0530", "-08", " UTC"])
    return rng.choice([f"{hour:02}:{minute:02}", f"{hour:02}:{minute:02}:{second:02}{fraction}{offset}",
                       f"{hour}:{minute:02}:{second:02}"])


def _date_time(rng: Random) -> str:
    joiner = rng.choice([" ", "T", "  ", "_", "\t", ", "])
    value = f"{_date(rng)}{joiner}{_time(rng)}"
    return rng.choice(["", "at ", "created ", "["]) + value + rng.choice(["", "", "]"])


def _times(rng: Random) -> str:
    return rng.choice(["", "at ", "from "]) + _time(rng)


def _date_range(rng: Random) -> str:
    layout = rng.choice(
        ("{d:02}/{m:02}/{y:04}", "{y:04}-{m:02}-{d:02}", "{d:02}.{m:02}.{y:04}", "{m:02}/{d:02}/{y:04}")
    )
    joiner = rng.choice(["-", " - ", "–", " – ", "/", " to ", "..", " bis "])
    return rng.choice(["", "stay ", "valid "]) + _date(rng, layout) + joiner + _date(rng, layout)


def _duration(rng: Random) -> str:
    h, m, s, d = rng.randint(0, 99), rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 400)
    return rng.choice([f"PT{h}H{m}M{s}S", f"P{d}DT{h}H{m}M", f"{h}h {m}m {s}s", f"{h:02}:{m:02}:{s:02}",
                       f"{d} days {h:02}:{m:02}:{s:02}", f"{h}:{m:02}:{s:02}.{rng.randint(0, 999999):06}",
                       f"{rng.randint(0, 10**7)} ms", f"{h:02}:{m:02}:{s:02} - {h:02}:{(m + 7) % 60:02}:{s:02}"])


def _timestamps_side_by_side(rng: Random) -> str:
    values = [_date_time(rng).strip("[]") if rng.random() < 0.7 else _time(rng) for _ in range(rng.randint(2, 3))]
    return rng.choice([", ", "; ", " | ", ",\n", " and "]).join(values)


def _epoch(rng: Random) -> str:
    millis = rng.random() < 0.5
    value = rng.randint(10**9, 2 * 10**9) * (1000 if millis else 1) + (rng.randint(0, 999) if millis else 0)
    return rng.choice(["", "ts=", "at "]) + str(value)


def _uuid(rng: Random) -> str:
    value = f"{rng.getrandbits(128):032x}"
    uuid = f"{value[:8]}-{value[8:12]}-4{value[13:16]}-{'89ab'[rng.randint(0, 3)]}{value[17:20]}-{value[20:]}"
    return rng.choice([uuid, uuid.upper(), "urn:uuid:" + uuid, "{" + uuid + "}"])


def _order_number(rng: Random) -> str:
    return rng.choice([f"ORD-{rng.randint(2000, 2099)}-{rng.randint(0, 999999):06}", f"#{rng.randint(10**5, 10**9)}",
                       f"order {rng.randint(1, 10**7)}", f"PO {rng.randint(10**6, 10**8)}-{rng.randint(1, 99):02}",
                       f"INV/{rng.randint(2000, 2099)}/{rng.randint(1, 12):02}/{rng.randint(0, 99999):05}",
                       f"A-{rng.randint(1000, 9999)}"])


def _tracking_number(rng: Random) -> str:
    """UPS 1Z, USPS Intelligent Mail (GS1 mod-10 check digit, printed in fours), Royal Mail S10, FedEx, DHL Express."""
    ups = "1Z" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(6)) + _digits(rng, 10)
    usps_service = rng.choice(["9400", "9205", "9407", "9303", "9505", "9201", "9301"])
    usps_body = usps_service + _digits(rng, rng.choice([15, 17]))
    usps_digits = usps_body + ean.calc_check_digit(usps_body)
    usps = rng.choice([usps_digits, " ".join(usps_digits[i : i + 4] for i in range(0, len(usps_digits), 4))])
    royal_mail = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + _digits(rng, 9) + "GB"
    fedex, dhl = _digits(rng, 12), _digits(rng, 10)
    return rng.choice(["", "tracking ", "shipment: "]) + rng.choice([ups, usps, royal_mail, fedex, dhl])


def _amount(rng: Random) -> str:
    cents = rng.randint(1, 10**11)  # up to a billion in the unit
    units, minor = divmod(cents, 100)
    return rng.choice([f"{units:,}.{minor:02}", f"{units}.{minor:02}", f"EUR {units:,}.{minor:02}".replace(",", "."),
                       f"{units:,}.{minor:02} USD", f"{units:_}", f"{units:,}".replace(",", " ") + f",{minor:02} €",
                       f"¥{units:,}", f"{units:,}".replace(",", "'") + f".{minor:02} CHF"])


def _quantities(rng: Random) -> str:
    values = [str(rng.randint(0, rng.choice([9, 99, 999, 9999]))) for _ in range(rng.randint(2, 16))]
    return rng.choice(["", "qty ", "sizes: "]) + rng.choice([", ", "; ", ";", " | ", "|", ",\n", " ; "]).join(values)


def _logged_values(rng: Random) -> str:
    """Values a log line sets side by side: a date-time, then a time, an address or a phone number."""
    first = f"[{_date(rng, '{y:04}-{m:02}-{d:02}')} {_time(rng)}]"
    other = rng.choice([_time, _ipv4_with_port, _phone_international])(rng)
    return first + rng.choice([", ", " ", " | ", "; "]) + other


# --- the classes ----------------------------------------------------------------------------------------------------

ASCII_SEPARATORS: Final = (" ", "-", ".", "/", "_", "*", "\\", "~", "=", "#", ":", " - ", "--", " . ", "  ", "\t",
                           "\n", "\r\n", ", ", ",", ";", "|", "+")
UNICODE_SEPARATORS: Final = ("\u00a0", "\u2007", "\u2009", "\u202f", "\u3000", "\u2002", "\u2003", "\u2028",
                             "\u1680", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2212", "\u00b7",
                             "\u2022", "\u30fb", "\u2027", "\uff0d", "\uff0e", "\uff0f", "\ufe58", "\u2e3a")
IRREGULAR_SEPARATORS: Final = (" ", "-", ".", "/", "_", "*", "\u00a0", "\u2009", "\u2013", "\u200b", " - ", "  ")

HOSTILE_CLASSES: Final = (
    *(CorpusClass(HOSTILE, f"scheme: {scheme}", _scheme_class(scheme))
      for scheme in dict.fromkeys(row.scheme for row in ISSUER_RANGES)),
    CorpusClass(HOSTILE, "printed groups, ASCII separators", _joined(ASCII_SEPARATORS)),
    CorpusClass(HOSTILE, "printed groups, Unicode spaces and dashes", _joined(UNICODE_SEPARATORS)),
    CorpusClass(HOSTILE, "irregular chunks, one separator", _joined(IRREGULAR_SEPARATORS, regular=False)),
    CorpusClass(HOSTILE, "digits of other scripts", _other_scripts),
    CorpusClass(HOSTILE, "compatibility forms (NFKC), circled pairs", _compatibility_forms),
    CorpusClass(HOSTILE, "default-ignorable and invisible characters", _between_digits(INVISIBLE)),
    CorpusClass(HOSTILE, "Hangul fillers", _between_digits(HANGUL_FILLERS)),
    CorpusClass(HOSTILE, "percent-encoding", _percent_encoded),
    CorpusClass(HOSTILE, "HTML entities, named", _named_entities),
    CorpusClass(HOSTILE, "HTML entities, numeric", _numeric_entities),
    CorpusClass(HOSTILE, "JSON escapes", _json_escapes),
    CorpusClass(HOSTILE, "after a phone number", _after(_phone_international)),
    CorpusClass(HOSTILE, "after a time or date-time", _after(lambda rng: rng.choice([_times, _date_time])(rng))),
    CorpusClass(HOSTILE, "beside expiry, code or index", _beside_expiry),
    CorpusClass(HOSTILE, "behind a '+'", _behind_a_plus),
)

BENIGN_CLASSES: Final = (
    CorpusClass(BENIGN, "IBAN, electronic form", _iban_electronic),
    CorpusClass(BENIGN, "IBAN, print form", _iban_print),
    CorpusClass(BENIGN, "EAN-13", _ean13),
    CorpusClass(BENIGN, "EAN-13 as GTIN-14", _gtin14),
    CorpusClass(BENIGN, "EAN-8", _ean8),
    CorpusClass(BENIGN, "UPC-A", _upc_a),
    CorpusClass(BENIGN, "ISBN-13", _isbn13),
    CorpusClass(BENIGN, "ISBN-10", _isbn10),
    CorpusClass(BENIGN, "phone, national form", _phone_national),
    CorpusClass(BENIGN, "phone, international and E.164", _phone_international),
    CorpusClass(BENIGN, "phone, German mobile, international", _mobile_of("DE")),
    CorpusClass(BENIGN, "phone, Indonesian mobile, international", _mobile_of("ID")),
    CorpusClass(BENIGN, "phone with extension", _phone_with_extension),
    CorpusClass(BENIGN, "IPv4 with port", _ipv4_with_port),
    CorpusClass(BENIGN, "IPv6, full", _ipv6_full),
    CorpusClass(BENIGN, "IPv6, compressed", _ipv6_compressed),
    CorpusClass(BENIGN, "IPv6 with port", _ipv6_with_port),
    CorpusClass(BENIGN, "date-times", _date_time),
    CorpusClass(BENIGN, "times of day", _times),
    CorpusClass(BENIGN, "date ranges", _date_range),
    CorpusClass(BENIGN, "durations", _duration),
    CorpusClass(BENIGN, "timestamps side by side", _timestamps_side_by_side),
    CorpusClass(BENIGN, "log values side by side", _logged_values),
    CorpusClass(BENIGN, "epoch seconds and milliseconds", _epoch),
    CorpusClass(BENIGN, "UUIDs", _uuid),
    CorpusClass(BENIGN, "order numbers", _order_number),
    CorpusClass(BENIGN, "tracking numbers", _tracking_number),
    CorpusClass(BENIGN, "amounts", _amount),
    CorpusClass(BENIGN, "quantity lists", _quantities),
)
CLASSES: Final = (*HOSTILE_CLASSES, *BENIGN_CLASSES)


def texts_of(corpus_class: CorpusClass, count: int, seed: str = SEED) -> list[str]:
    """The class's first ``count`` texts: its own stream, so the first n do not depend on how many follow."""
    rng = Random(f"{seed}/{corpus_class.label}/{corpus_class.name}")
    return [corpus_class.generate(rng) for _ in range(count)]


def corpus(hostile_per_class: int, benign_per_class: int, seed: str = SEED) -> Iterator[Text]:
    for corpus_class in CLASSES:
        count = hostile_per_class if corpus_class.label == HOSTILE else benign_per_class
        for text in texts_of(corpus_class, count, seed):
            yield Text(corpus_class.label, corpus_class.name, text)


def digest(texts: list[Text]) -> str:
    """SHA-256 of the corpus as JSON lines: what a pinned digest compares."""
    hasher = hashlib.sha256()
    for text in texts:
        line = json.dumps([text.label, text.class_name, text.text], ensure_ascii=False)
        hasher.update(line.encode("utf-8", "surrogatepass") + b"\n")
    return hasher.hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=20, help="texts per class (both labels)")
    arguments = parser.parse_args(argv)
    for text in corpus(arguments.per_class, arguments.per_class):
        sys.stdout.write(json.dumps([text.label, text.class_name, text.text], ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
