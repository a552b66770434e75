"""Text as the card-number scan reads it: decoded once, Unicode-normalized, invisible characters made separators.

A payment form or a log hands over text that was encoded on its way (percent-encoding, HTML entities, JSON escapes
of text that was JSON-encoded twice); a card number hidden by one round of encoding is still a card number, so each
text is also read decoded. Decoding runs once, never to a fixed point: each decoder only shortens the text, so the
work stays linear.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Final
from urllib.parse import unquote

# Unicode's Default_Ignorable_Code_Point property (DerivedCoreProperties.txt, Unicode 15.1): characters a renderer
# shows as nothing. Python's unicodedata has no accessor for it. Most are format characters the scan already treats
# as separators; the Hangul fillers U+115F, U+1160, U+3164 and U+FFA0 are letters to Unicode, so without this table
# "4111<U+3164>1111..." would read as digits split by letters.
DEFAULT_IGNORABLE_RANGES: Final = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# Every one of them becomes one invisible separator (itself default-ignorable and a format character).
INVISIBLE_SEPARATOR: Final = "\u2060"
_IGNORABLE_AS_SEPARATOR: Final = {
    code: INVISIBLE_SEPARATOR for low, high in DEFAULT_IGNORABLE_RANGES for code in range(low, high + 1)
}

_JSON_ESCAPE: Final = re.compile(r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|u([0-9a-fA-F]{4})"
                                 r"|([\"\\/bfnrt]))")
_JSON_SHORT_ESCAPES: Final = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def decoded(text: str) -> str:
    """``text`` with one round each of JSON string escapes, percent-encoding and HTML character references undone.

    In that order, the order in which they wrap each other on the way out (a URL inside HTML inside a JSON string).
    A "+" stays a "+": form encoding's space would turn "+49 ..." into a number without its phone-number mark.
    """
    if "\\" in text:
        text = _JSON_ESCAPE.sub(_json_unescape, text)
    if "%" in text:
        text = unquote(text, errors="replace")
    if "&" in text:
        text = html.unescape(text)
    return text


def _json_unescape(match: re.Match[str]) -> str:
    high, low, single, short = match.groups()
    if high is not None:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + (int(low, 16) - 0xDC00))
    if single is not None:
        code = int(single, 16)
        return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate is no character
    return _JSON_SHORT_ESCAPES[short]


def normalized(text: str) -> str:
    """NFKC ("４", "⑪", "𝟒" become the digits they show), default-ignorables as separators, every digit ASCII."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text).translate(_IGNORABLE_AS_SEPARATOR)
    native = {ord(c): str(unicodedata.decimal(c)) for c in set(text) if not c.isascii() and c.isdecimal()}
    return text.translate(native) if native else text
