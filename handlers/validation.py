"""First state of the payment workflow: reject bad payments, normalize good ones.

The state machine's input is this handler's event. Whatever it returns is
what every later state sees, so the output is canonical (amount formatted to
the currency's minor unit, currency upper-cased, keys in a fixed order, no
unknown fields) and validating it again returns it unchanged.

Method rules (the contract leaves them to us):
- ``{"type": "card", "token": "tok_..."}``
- ``{"type": "bank_transfer", "token": "btok_..."}``
A token is its prefix followed by 1-64 of ``[A-Za-z0-9_-]``. Both methods
carry only a reference issued by a vault or PSP, never a card or account
number, and no other keys are allowed.

Errors never echo input values: a rejected event may hold a PAN or a token,
and the error message is stored in the execution history and in logs.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Context, Decimal
from typing import Any, Final

from handlers.card_numbers import (
    MAX_SCAN_CHARACTERS,
    PAN_MAX_DIGITS,
    ScanBudget,
    TextTooLongError,
    contains_card_number,
)
from handlers.contract import DEFAULT_MAX_AMOUNT, MAX_AMOUNT_ENV
from handlers.currencies import MINOR_UNITS

logger = logging.getLogger(__name__)

MAX_REPORTED_PROBLEMS: Final = 50
# Step Functions passes at most 256 KiB (262,144 bytes of UTF-8) between states, so no event it delivers holds more
# characters of keys and text than this; a larger one (only possible by invoking the function directly) is refused
# before any of it is scanned.
MAX_EVENT_CHARACTERS: Final = MAX_SCAN_CHARACTERS
# Longer than any amount the contract can accept (the ceiling has at most 12 digits before the point, 3 after):
# refusing longer text before converting it keeps a hostile amount from costing anything.
AMOUNT_MAX_CHARACTERS: Final = 40
METADATA_MAX_KEYS: Final = 20
METADATA_MAX_CHARS: Final = 256

METHOD_TOKEN_PREFIXES: Final = {"card": "tok_", "bank_transfer": "btok_"}

REQUIRED_FIELDS: Final = ("payment_id", "amount", "currency", "payer", "payee", "method")
OPTIONAL_FIELDS: Final = ("metadata",)

_IDENTIFIER: Final = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TOKEN_BODY: Final = r"[A-Za-z0-9_-]{1,64}"
_TOKEN_PATTERNS: Final = {
    method_type: re.compile(re.escape(prefix) + _TOKEN_BODY) for method_type, prefix in METHOD_TOKEN_PREFIXES.items()
}
# For a method of unknown type: the token must still look like *some* token.
_ANY_TOKEN: Final = re.compile(
    "(?:" + "|".join(re.escape(prefix) for prefix in METHOD_TOKEN_PREFIXES.values()) + ")" + _TOKEN_BODY
)
_PLAIN_DECIMAL: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_NON_FINITE: Final = re.compile(r"[+-]?(?:nan|snan|inf|infinity)", re.IGNORECASE)
_EXPONENT: Final = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_CURRENCY_CODE: Final = re.compile(r"[A-Za-z]{3}")
# Only keys that look like ordinary field names, not tokens, are quoted back in
# messages (and so in logs and execution history); others show as "<key>".
_QUOTABLE_KEY: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
_TOKEN_PREFIXES: Final = tuple(METHOD_TOKEN_PREFIXES.values())

Payment = dict[str, Any]


class PaymentValidationError(Exception):
    """The event is not an acceptable payment; retrying cannot help.

    The class name is the Step Functions error name the state machine catches.
    ``problems`` holds one ``(field, reason)`` pair per problem reported;
    ``omitted`` counts problems beyond MAX_REPORTED_PROBLEMS, left out so a
    hostile event cannot produce an error larger than Step Functions keeps.
    """

    def __init__(self, problems: list[tuple[str, str]] | tuple[tuple[str, str], ...], omitted: int = 0) -> None:
        self.problems: tuple[tuple[str, str], ...] = tuple(problems)
        self.omitted = omitted
        super().__init__(describe_problems("payment rejected", self.problems, omitted))


def describe_problems(verdict: str, problems: tuple[tuple[str, str], ...], omitted: int) -> str:
    """``<verdict>, <n> problem(s): <field>: <reason>; ...`` -- never a value, only field paths and rules."""
    count = len(problems) + omitted
    noun = "problem" if count == 1 else "problems"
    listed = "; ".join(f"{path}: {reason}" for path, reason in problems)
    more = f"; and {omitted} more" if omitted else ""
    return f"{verdict}, {count} {noun}: {listed}{more}"


@dataclass
class _Problems:
    """Collects every problem so the caller learns all of them in one round trip."""

    items: list[tuple[str, str]] = field(default_factory=list)
    omitted: int = 0
    _fields: set[str] = field(default_factory=set)

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_REPORTED_PROBLEMS

    def add(self, path: str, reason: str) -> None:
        self._fields.add(path)
        if self.full:
            self.omitted += 1
        else:
            self.items.append((path, reason))

    @property
    def count(self) -> int:
        return len(self.items) + self.omitted

    def fields(self) -> set[str]:
        return self._fields

    def error(self) -> PaymentValidationError:
        return PaymentValidationError(self.items, self.omitted)


def handler(event: Any, context: Any) -> Payment:
    """Lambda entry point: the normalized payment, or PaymentValidationError."""
    try:
        payment = validate_payment(event, max_amount=configured_max_amount())
    except PaymentValidationError as error:
        logger.warning(
            "payment rejected",
            extra={
                "payment_id": loggable_payment_id(event),
                "problem_fields": sorted({path for path, _ in error.problems}),
            },
        )
        raise
    logger.info(
        "payment validated",
        extra={
            "payment_id": payment["payment_id"],
            "amount": payment["amount"],
            "currency": payment["currency"],
            "method_type": payment["method"]["type"],
        },
    )
    return payment


def configured_max_amount() -> Decimal:
    """Read the per-payment ceiling, in units of the payment's own currency.

    The same number applies to every currency (1,000,000 JPY and 1,000,000 KWD
    alike): the ceiling is a sanity bound against typos and overflow, not an
    FX-aware risk limit. A malformed setting raises ValueError, not
    PaymentValidationError, because it is a deployment bug, not a bad payment.
    """
    raw = os.environ.get(MAX_AMOUNT_ENV, DEFAULT_MAX_AMOUNT)
    if not _PLAIN_DECIMAL.fullmatch(raw) or Decimal(raw) <= 0:
        raise ValueError(f"{MAX_AMOUNT_ENV} must be a positive plain decimal, got {raw!r}")
    return Decimal(raw)


def validate_payment(event: Any, *, max_amount: Decimal) -> Payment:
    """Return the canonical form of ``event`` or raise listing every problem."""
    problems = _Problems()
    _reject_card_numbers(event, problems)
    if problems.fields() == {_EVENT}:
        raise problems.error()  # too large to scan: nothing else is worth checking
    if not isinstance(event, Mapping):
        problems.add(_EVENT, "must be a JSON object")
        raise problems.error()

    _check_field_names(event, problems)
    payment_id = _validate_identifier(event.get("payment_id"), "payment_id", problems)
    currency = _validate_currency(event.get("currency"), problems)
    amount = _validate_amount(event.get("amount"), currency, max_amount, problems)
    payer = _validate_party(event.get("payer"), "payer", problems)
    payee = _validate_party(event.get("payee"), "payee", problems)
    method = _validate_method(event.get("method"), problems)
    if payer is not None and payer == payee:
        problems.add("payee", "must differ from payer")
    metadata = _validate_metadata(event.get("metadata"), problems) if "metadata" in event else None

    if problems.count:
        raise problems.error()
    payment = {
        "payment_id": payment_id,
        "amount": amount,
        "currency": currency,
        "payer": payer,
        "payee": payee,
        "method": method,
    }
    if metadata is not None:
        payment["metadata"] = metadata
    return payment


def _reject_card_numbers(event: Any, problems: _Problems) -> None:
    # One budget for the whole event: decoding and Unicode normalization can lengthen what is read.
    budget = ScanBudget(MAX_EVENT_CHARACTERS)
    try:
        found = [path for path, text in _scalars_and_keys(event) if contains_card_number(text, budget)]
    except (_TooLargeToScan, TextTooLongError):
        problems.add(_EVENT, f"holds more than {MAX_EVENT_CHARACTERS} characters to read (as written, decoded and "
                             "normalized), more than Step Functions passes between states; it was not checked")
        return
    for path in found:
        if problems.full:
            problems.omitted += 1  # skip rendering a path nobody will see
        else:
            problems.add(_render_path(path), "contains a raw card number; send a token instead")


_EVENT: Final = "event"


class _TooLargeToScan(Exception):
    pass


# A path is a linked list of segments, (parent, segment), rendered only when
# reported: building "a.b.c..." strings eagerly is quadratic on deep events.
_Path = tuple[Any, str] | None


def _scalars_and_keys(root: Any) -> Iterator[tuple[_Path, str]]:
    """Yield ``(path, text)`` for every key and scalar at any depth.

    Iterative, because a hostile event nested thousands deep must be rejected,
    not crash the handler with RecursionError. Numbers are included since a
    PAN sent as a JSON number is still a PAN. Every node and character counts
    against MAX_EVENT_CHARACTERS (_TooLargeToScan past it), so the work is
    bounded whatever the event's shape.
    """
    stack: list[tuple[_Path, Any]] = [(None, root)]
    seen: set[int] = set()
    budget = MAX_EVENT_CHARACTERS

    def spend(text: str) -> str:
        nonlocal budget
        budget -= len(text) + 1  # +1: an empty string or an empty container still costs a step
        if budget < 0:
            raise _TooLargeToScan
        return text

    while stack:
        path, node = stack.pop()
        if isinstance(node, Mapping | list | tuple):
            spend("")
            if id(node) in seen:
                continue
            seen.add(id(node))
        if isinstance(node, Mapping):
            for key, value in node.items():
                child = (path, _key_segment(key))
                yield child, spend(key if isinstance(key, str) else _scalar_text(key))
                stack.append((child, value))
        elif isinstance(node, list | tuple):
            stack.extend(((path, f"[{index}]"), item) for index, item in enumerate(node))
        else:
            yield path, spend(_scalar_text(node))


def _render_path(path: _Path) -> str:
    segments: list[str] = []
    while path is not None:
        path, segment = path
        segments.append(segment)
    rendered = ""
    for segment in reversed(segments):
        joiner = "" if not rendered or segment.startswith("[") else "."
        rendered += joiner + segment
    return rendered or "event"


def _scalar_text(scalar: Any) -> str:
    """The text a PAN check reads in a scalar: a string itself, a number's digits, nothing for anything else."""
    if isinstance(scalar, str):
        return scalar
    if isinstance(scalar, bool) or not isinstance(scalar, int | float):
        return ""
    if isinstance(scalar, int):
        # 20 or more digits in one run are an identifier, never a PAN (handlers/card_numbers.py), and str() of a
        # 5,000-digit int raises ValueError: such a number needs no text at all.
        return str(scalar) if -(10**PAN_MAX_DIGITS) < scalar < 10**PAN_MAX_DIGITS else ""
    if not math.isfinite(scalar):
        return ""
    # The digits the JSON said, without an exponent: 4.111111111111111e+15 is read as 4111111111111111.
    return format(Decimal(repr(scalar)), "f")


def _child_path(parent: str, key: Any) -> str:
    return f"{parent}.{_key_segment(key)}"


def _key_segment(key: Any) -> str:
    return key if isinstance(key, str) and _is_quotable(key) else "<key>"


def _is_quotable(key: str) -> bool:
    if not _QUOTABLE_KEY.fullmatch(key) or key.startswith(_TOKEN_PREFIXES):
        return False
    return not contains_card_number(key)


def _check_field_names(event: Mapping[Any, Any], problems: _Problems) -> None:
    for name in REQUIRED_FIELDS:
        if name not in event:
            problems.add(name, "is required")
    allowed = set(REQUIRED_FIELDS) | set(OPTIONAL_FIELDS)
    for key in event:
        if key not in allowed:
            problems.add(_key_segment(key), "is not an allowed field")


def _validate_identifier(value: Any, path: str, problems: _Problems) -> str | None:
    if value is None and path in problems.fields():
        return None  # already reported as missing
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        problems.add(path, "must be 1-64 characters of A-Z, a-z, 0-9, '_' or '-'")
        return None
    return value


def _validate_currency(value: Any, problems: _Problems) -> str | None:
    if "currency" in problems.fields():
        return None
    if not isinstance(value, str) or not _CURRENCY_CODE.fullmatch(value):
        problems.add("currency", "must be a three-letter ISO 4217 code")
        return None
    code = value.upper()
    if code not in MINOR_UNITS:
        problems.add("currency", "is not an active ISO 4217 currency with a minor unit")
        return None
    return code


def _validate_amount(value: Any, currency: str | None, max_amount: Decimal, problems: _Problems) -> str | None:
    if "amount" in problems.fields():
        return None
    amount = _parse_amount(value, problems)
    if amount is None:
        return None
    ok = True
    if amount <= 0:
        problems.add("amount", "must be greater than zero")
        ok = False
    if amount > max_amount:
        problems.add("amount", f"must not exceed {max_amount}")
        ok = False
    if currency is not None and _decimal_places(amount) > MINOR_UNITS[currency]:
        places = MINOR_UNITS[currency]
        problems.add("amount", f"has more decimal places than {currency} allows ({places})")
        ok = False
    if not ok or currency is None:
        return None
    return _format_minor_units(amount, MINOR_UNITS[currency])


def _parse_amount(value: Any, problems: _Problems) -> Decimal | None:
    try:
        return amount_as_decimal(value)
    except _AmountRefused as refused:
        problems.add("amount", str(refused))
        return None


class _AmountRefused(Exception):
    """Why an amount cannot be read as a number; the message is the rule, never the value."""


def amount_as_decimal(value: Any) -> Decimal:
    """The one path every amount takes to a Decimal, bounded in size before any conversion.

    Each JSON spelling is checked for what can go wrong with it (a bool is an int subclass, a float may be NaN, a
    string may be anything); whatever it was, the result is an exact Decimal of bounded size, or _AmountRefused.
    """
    if isinstance(value, bool):  # without this check True would be an amount of 1
        raise _AmountRefused("must be a decimal string or a number, not a boolean")
    if isinstance(value, int):
        if not -(10**AMOUNT_MAX_CHARACTERS) < value < 10**AMOUNT_MAX_CHARACTERS:
            raise _AmountRefused(f"must have at most {AMOUNT_MAX_CHARACTERS} digits")
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise _AmountRefused("must be a finite number")
        # repr() is the shortest text that round-trips, i.e. what the JSON said (at most 24 characters):
        # Decimal(0.1) would be the binary value 0.1000000000000000055...
        return Decimal(repr(value))
    if isinstance(value, str):
        return _amount_text_as_decimal(value)
    raise _AmountRefused("must be a decimal string or a number")


def _amount_text_as_decimal(text: str) -> Decimal:
    if len(text) > AMOUNT_MAX_CHARACTERS:
        raise _AmountRefused(f"must be a plain decimal of at most {AMOUNT_MAX_CHARACTERS} characters")
    if _PLAIN_DECIMAL.fullmatch(text):
        return Decimal(text)
    if _NON_FINITE.fullmatch(text):
        raise _AmountRefused("must be a finite number")
    if _EXPONENT.fullmatch(text):
        raise _AmountRefused("must not use exponent notation")
    raise _AmountRefused("must be a plain decimal such as '125.50'")


def _decimal_places(amount: Decimal) -> int:
    """Count significant decimal places exactly, ignoring trailing zeros.

    "7.500" is 7.50 and fits USD; "7.505" does not. Done on the digit tuple
    rather than with quantize()/normalize(), which round to the context
    precision and could hide a fraction on a very long number.
    """
    _, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # finite by construction
    places = -exponent
    trailing = digits[::-1]
    while places > 0 and trailing and trailing[0] == 0:
        trailing = trailing[1:]
        places -= 1
    return max(places, 0)


def _format_minor_units(amount: Decimal, places: int) -> str:
    _, digits, exponent = amount.as_tuple()
    assert isinstance(exponent, int)
    # Enough precision that quantize never rounds or raises, whatever the size.
    precision = len(digits) + max(exponent, 0) + places + 1
    quantum = Decimal(1).scaleb(-places)
    return format(amount.quantize(quantum, context=Context(prec=precision)), "f")


def _validate_party(value: Any, path: str, problems: _Problems) -> dict[str, str] | None:
    if path in problems.fields():
        return None
    if not isinstance(value, Mapping):
        problems.add(path, "must be an object with an account_id")
        return None
    _reject_unknown_keys(value, {"account_id"}, path, problems)
    account_id = _validate_identifier(value.get("account_id"), f"{path}.account_id", problems)
    if account_id is None or path in problems.fields():
        return None
    return {"account_id": account_id}


def _validate_method(value: Any, problems: _Problems) -> dict[str, str] | None:
    if "method" in problems.fields():
        return None
    if not isinstance(value, Mapping):
        problems.add("method", "must be an object with a type and a token")
        return None
    method_type = value.get("type")
    prefix = METHOD_TOKEN_PREFIXES.get(method_type) if isinstance(method_type, str) else None
    if prefix is None:
        allowed = ", ".join(sorted(METHOD_TOKEN_PREFIXES))
        problems.add("method.type", f"must be one of: {allowed}")
    _reject_unknown_keys(value, {"type", "token"}, "method", problems)
    token = value.get("token")
    pattern = _TOKEN_PATTERNS[method_type] if prefix is not None else _ANY_TOKEN
    token_ok = isinstance(token, str) and pattern.fullmatch(token)
    if not token_ok:
        problems.add("method.token", _token_rule(prefix))
    if prefix is None or not token_ok or "method" in problems.fields():
        return None
    return {"type": method_type, "token": token}


def _token_rule(prefix: str | None) -> str:
    shape = f"'{prefix}'" if prefix else "a method's token prefix"
    return f"must be a token: {shape} followed by 1-64 of A-Z, a-z, 0-9, '_' or '-'"


def _validate_metadata(value: Any, problems: _Problems) -> dict[str, str] | None:
    if not isinstance(value, Mapping):
        problems.add("metadata", "must be an object of strings")
        return None
    if len(value) > METADATA_MAX_KEYS:
        problems.add("metadata", f"must have at most {METADATA_MAX_KEYS} keys")
    before = problems.count
    for key, item in value.items():
        path = _child_path("metadata", key)
        _check_metadata_text(key, path, "key", problems, allow_empty=False)
        _check_metadata_text(item, path, "value", problems, allow_empty=True)
    if problems.count > before or len(value) > METADATA_MAX_KEYS:
        return None
    return dict(value)


def _check_metadata_text(text: Any, path: str, what: str, problems: _Problems, *, allow_empty: bool) -> None:
    low = 0 if allow_empty else 1
    rule = f"{what} must be a string of {low}-{METADATA_MAX_CHARS} characters"
    if not isinstance(text, str) or not low <= len(text) <= METADATA_MAX_CHARS:
        problems.add(path, rule)
    elif not _is_encodable(text):
        # Lone surrogates survive json.loads but cannot be stored or logged.
        problems.add(path, f"{what} must be valid Unicode text")


def _is_encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _reject_unknown_keys(value: Mapping[Any, Any], allowed: set[str], path: str, problems: _Problems) -> None:
    for key in value:
        if key not in allowed:
            problems.add(_child_path(path, key), "is not an allowed field")


def loggable_payment_id(event: Any) -> str | None:
    """The payment id if it is safe to log, else None.

    "4111111111111111" is a well-formed id *and* a PAN, so shape alone is not enough.
    """
    if not isinstance(event, Mapping):
        return None
    candidate = event.get("payment_id")
    if not isinstance(candidate, str) or not _IDENTIFIER.fullmatch(candidate):
        return None
    return None if contains_card_number(candidate) else candidate
