"""The issuer prefixes (IIN ranges) and card-number lengths of the payment card schemes, in one table.

A run of digits is only a card number if a scheme issues numbers that start that way and are that long: this is
what PCI data-discovery tools check besides Luhn, and what keeps structured numbers (timestamps, quantities) from
being taken for cards. Card numbers are allocated under ISO/IEC 7812-1 (at most 19 digits, the first digit the
Major Industry Identifier, the last a Luhn check digit); the schemes publish their own ranges. The detector checks
13-19 digits (handlers/card_numbers.py), so a scheme's shorter lengths (Maestro's 12) do not appear here.

Rows whose range and lengths another row already covers (Visa Electron inside Visa 4, Dankort 5019 and
InstaPayment 637-639 inside Maestro, LankaPay 357111 inside JCB) are left out; a range a scheme has withdrawn is
kept while its cards may still be in circulation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

WIKIPEDIA: Final = "Wikipedia, 'Payment card number', table of IIN ranges (2023-10 revision)"
DISCOVER_DCI: Final = "Discover Global Network IIN ranges (Diners Club International: 300-305, 3095, 36, 38-39)"


@dataclass(frozen=True)
class IssuerRange:
    """Numbers starting with a prefix in [low, high] (compared on len(low) digits) and of one of ``lengths``."""

    scheme: str
    low: str
    high: str
    lengths: frozenset[int]
    source: str

    def issues(self, digits: str) -> bool:
        return len(digits) in self.lengths and self.low <= digits[: len(self.low)] <= self.high


def _row(scheme: str, prefixes: str, lengths: str, source: str = WIKIPEDIA) -> tuple[IssuerRange, ...]:
    """Rows for ``prefixes`` like "51-55, 2221-2720" and ``lengths`` like "16-19" or "13, 16, 19"."""
    spans = []
    for part in lengths.split(","):
        low, _, high = part.strip().partition("-")
        spans.extend(range(int(low), int(high or low) + 1))
    rows = []
    for prefix in prefixes.split(","):
        low, _, high = prefix.strip().partition("-")
        rows.append(IssuerRange(scheme, low, high or low, frozenset(spans), source))
    return tuple(rows)


ISSUER_RANGES: Final[tuple[IssuerRange, ...]] = (
    *_row("UATP", "1", "15"),
    *_row("GPN", "1946", "16, 18, 19"),
    *_row("Mir", "2200-2204", "16-19"),
    *_row("BORICA", "2205", "16"),
    *_row("Mastercard", "2221-2720, 51-55", "16"),
    *_row("China T-Union", "31", "19"),
    *_row("Diners Club International", "300-305, 3095, 36, 38-39", "14-19", DISCOVER_DCI),
    *_row("American Express", "34, 37", "15"),
    *_row("JCB", "3528-3589", "16-19"),
    *_row("RuPay", "353, 356, 508, 60, 65, 81, 82", "16"),
    *_row("Visa", "4", "13, 16, 19"),
    *_row("Maestro", "50, 56-69", "13-19"),  # Maestro also issues 12 digits, below what the detector reads
    *_row("Verve", "506099-506198, 507865-507964, 650002-650027", "16, 18, 19"),
    *_row("UzCard", "5614, 8600", "16"),
    *_row("Discover", "6011, 622126-622925, 644-649, 65", "16-19"),
    *_row("UnionPay", "62, 81", "16-19"),
    *_row("UkrCard", "60400100-60420099", "16-19"),
    *_row("Napas", "9704", "16, 19"),
    *_row("Troy", "65, 9792", "16"),
    *_row("Humo", "9860", "16"),
)

# The rows by first digit, and the lengths any scheme issues after that digit: most starts are ruled out by one look.
_ROWS_BY_FIRST_DIGIT: Final = {
    digit: tuple(row for row in ISSUER_RANGES if row.low[0] <= digit <= row.high[0]) for digit in "0123456789"
}
LENGTHS_BY_FIRST_DIGIT: Final = {
    digit: tuple(sorted({length for row in rows for length in row.lengths}))
    for digit, rows in _ROWS_BY_FIRST_DIGIT.items()
}


def is_issued_card_number(digits: str) -> bool:
    """Whether some scheme issues card numbers of this prefix and length (``digits`` ASCII, Luhn not checked)."""
    return bool(digits) and any(row.issues(digits) for row in _ROWS_BY_FIRST_DIGIT[digits[0]])
