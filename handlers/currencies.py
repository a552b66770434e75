"""ISO 4217 alphabetic codes the workflow accepts, with their minor-unit exponents.

The source is ISO 4217 List One as published in early 2026 (Bulgaria's BGN,
Curaçao's ANG, Croatia's HRK, Cuba's CUC, Sierra Leone's SLL and Zimbabwe's
ZWL are withdrawn; XCG and ZWG are in). It is a literal table, not a lookup,
because Lambda has no network and the exponent decides how an amount is
formatted: a stale or missing entry should be a reviewed code change.

Left out on purpose:
- codes whose minor unit is "N.A." (gold XAU, silver XAG, platinum XPT,
  palladium XPD, bond-market units XBA-XBD, SDR XDR, XAD, XSU, XUA, testing
  XTS and "no currency" XXX): an amount in them has no defined precision;
- CLF and UYW, indexation units with four decimals: nobody pays in them and
  the contract promises exponents 0, 2 and 3 only.
Fund codes that do have a 0/2 minor unit (BOV, CHE, CHW, COU, MXV, USN, UYI)
are kept, since the rule is "active code with a minor unit".
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

_ZERO_DECIMALS: Final = (
    "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF",
    "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
)  # fmt: skip

_THREE_DECIMALS: Final = ("BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND")

_TWO_DECIMALS: Final = (
    "AED", "AFN", "ALL", "AMD", "AOA", "ARS", "AUD", "AWG", "AZN",
    "BAM", "BBD", "BDT", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN",
    "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CNY", "COP", "COU", "CRC", "CUP",
    "CVE", "CZK",
    "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR",
    "FJD", "FKP",
    "GBP", "GEL", "GHS", "GIP", "GMD", "GTQ", "GYD",
    "HKD", "HNL", "HTG", "HUF",
    "IDR", "ILS", "INR", "IRR",
    "JMD",
    "KES", "KGS", "KHR", "KPW", "KYD", "KZT",
    "LAK", "LBP", "LKR", "LRD", "LSL",
    "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MXV", "MYR", "MZN",
    "NAD", "NGN", "NIO", "NOK", "NPR", "NZD",
    "PAB", "PEN", "PGK", "PHP", "PKR", "PLN",
    "QAR",
    "RON", "RSD", "RUB",
    "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL",
    "THB", "TJS", "TMT", "TOP", "TRY", "TTD", "TWD", "TZS",
    "UAH", "USD", "USN", "UYU", "UZS",
    "VED", "VES",
    "WST",
    "XCD", "XCG",
    "YER",
    "ZAR", "ZMW", "ZWG",
)  # fmt: skip

MINOR_UNITS: Final = MappingProxyType(
    {
        **dict.fromkeys(_ZERO_DECIMALS, 0),
        **dict.fromkeys(_TWO_DECIMALS, 2),
        **dict.fromkeys(_THREE_DECIMALS, 3),
    }
)
"""Upper-case ISO 4217 code -> number of digits after the decimal point."""
