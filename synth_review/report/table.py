"""Plain-text tables with aligned columns, readable in a terminal, a CI log and review.txt alike: the review's and
the local run's.

Given a `width` (the review gives WIDTH), every line fits it: a table too wide gives its widest columns less room
and wraps their cells onto more lines of the same row, and `fit` continues any other long line on lines indented four
spaces deeper. Text breaks between words and after a path separator (`encryption.output.` | `logs_key_arn`), never
inside a name (`log_groups_state_machine_2DD89F09`): a column keeps room for its longest name while the width allows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Cell = str | tuple[str, ...]  # a tuple spreads over several lines of the same row
ELLIPSIS = "…"
WIDTH = 120
MIN_COLUMN = 16
GAP = "  "
_SEPARATORS = "/:,|."  # a line may end after one of these, as after a space
_NAME_PARTS = "_-"  # only a name longer than the whole line is cut after one of these
_WORD = re.compile(r"[^ /:,|.]*[/:,|.]*")  # a name with the separators after it: what wrap() keeps on one line


def table(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], indent: str = "  ", *, rule: bool = False,
    width: int | None = None,
) -> list[str]:
    """Headers (and, with `rule`, a line of dashes under each), then the rows; columns two spaces apart, no trailing
    blanks, within `width` when one is given. No rows at all reads "(none)"."""
    if not rows:
        return [f"{indent}(none)"]
    cells = [[list(c) if isinstance(c, tuple) else [c] for c in row] for row in rows]
    budget = None if width is None else width - len(indent) - len(GAP) * (len(headers) - 1)
    widths = _widths(headers, cells, budget)
    lines = [_line(indent, list(headers), widths)]
    if rule:
        lines.append(_line(indent, ["-" * w for w in widths], widths))
    for row in cells:
        wrapped = [[piece for text in column for piece in _wrap_cell(text, w)]
                   for column, w in zip(row, widths, strict=True)]
        for i in range(max(len(c) for c in wrapped) or 1):
            lines.append(_line(indent, [c[i] if i < len(c) else "" for c in wrapped], widths))
    return lines


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` characters, marked with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def wrap(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` characters, each ending between words or after a separator."""
    return _wrapped(text, width, width)


def _wrapped(text: str, first: int, then: int) -> list[str]:
    """The pieces of `text`: the first at most `first` characters, the others at most `then`."""
    pieces, room = [], first
    while len(text) > room:
        cut = _cut(text, room)
        pieces.append(text[:cut].rstrip())
        text, room = text[cut:].lstrip(" "), max(then, 1)
    return [*pieces, text]


def _wrap_cell(text: str, width: int) -> list[str]:
    """An indented line of a cell (an item under a heading) continues two spaces deeper, so it reads as one item."""
    indent = len(text) - len(text.lstrip(" "))
    if not indent or indent + 2 >= width // 2:
        return wrap(text, width)
    first, *rest = _wrapped(text, width, width - indent - 2)
    return [first, *(" " * (indent + 2) + piece for piece in rest)]


def _cut(text: str, width: int) -> int:
    """Where the first piece of `text` ends: after the last space that leaves the line at least half full, else after
    the last space or separator; a name longer than the line is cut after one of its parts, else at the width."""
    space = text.rfind(" ", width // 2, width + 1)
    if space > 0:
        return space + 1
    boundary = max([text.rfind(" ", 1, width + 1)] + [text.rfind(ch, 1, width) for ch in _SEPARATORS])
    if boundary > 0:
        return boundary + 1
    if text[width] in _SEPARATORS and text[width - 1] not in _SEPARATORS:  # the name fits, its separator does not
        return width
    part = max(text.rfind(ch, width // 2, width) for ch in _NAME_PARTS)
    return part + 1 if part > 0 else width


def longest_word(text: str) -> int:
    """The widest piece wrap() keeps whole (the first with the text's indentation): a column at least this wide never
    cuts a name."""
    words = _WORD.findall(text.lstrip(" "))
    return max([len(text) - len(text.lstrip(" ")) + len(words[0])] + [len(word) for word in words])


def fit(lines: Sequence[str], width: int = WIDTH) -> list[str]:
    """Every line within `width`; a longer one continues on lines indented four spaces deeper than it."""
    fitted = []
    for line in lines:
        if len(line) <= width:
            fitted.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
        first, *rest = _wrapped(line, width, width - len(indent))
        fitted += [first, *((indent + piece).rstrip() for piece in rest)]
    return fitted


def _widths(headers: Sequence[str], cells: list[list[list[str]]], budget: int | None) -> list[int]:
    widths = [max([len(h)] + [len(text) for row in cells for text in row[i]]) for i, h in enumerate(headers)]
    if budget is None:
        return widths
    narrowest = [max(MIN_COLUMN, len(h)) for h in headers]
    whole_words = [max([n] + [longest_word(text) for row in cells for text in row[i]]) for i, n in enumerate(narrowest)]
    # Names kept whole while the width allows; else every column as narrow as it may be.
    for floor in (whole_words, narrowest):
        while sum(widths) > budget:  # one column at a time from the widest, so wide ones end alike
            shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
            if not shrinkable:
                break
            widths[max(shrinkable, key=widths.__getitem__)] -= 1
    return widths


def _line(indent: str, cells: list[str], widths: list[int]) -> str:
    return (indent + GAP.join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True))).rstrip()
