"""Plain-text tables with aligned columns, readable in a terminal, a CI log and review.txt alike: the review's and
the local run's.

Given a `width` (the review gives WIDTH), every line fits it: a table too wide gives its widest columns less room
and wraps their cells onto more lines of the same row (breaking after a separator where it can), and `fit` continues
any other long line on lines indented four spaces deeper.
"""

from __future__ import annotations

from collections.abc import Sequence

Cell = str | tuple[str, ...]  # a tuple spreads over several lines of the same row
ELLIPSIS = "…"
WIDTH = 120
MIN_COLUMN = 16
GAP = "  "
_BREAK_AFTER = (" ", "/:,|", ".", "_-")  # tried in order: a word before a path before a name's parts


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
        wrapped = [[piece for text in column for piece in wrap(text, w)] for column, w in zip(row, widths, strict=True)]
        for i in range(max(len(c) for c in wrapped) or 1):
            lines.append(_line(indent, [c[i] if i < len(c) else "" for c in wrapped], widths))
    return lines


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` characters, marked with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def wrap(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` characters, each cut after a separator where one is near the end."""
    pieces = []
    while len(text) > width:
        cut = next((max(text.rfind(ch, width // 2, width) for ch in group) + 1 for group in _BREAK_AFTER
                    if max(text.rfind(ch, width // 2, width) for ch in group) >= 0), width)
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip(" ")
    return [*pieces, text]


def fit(lines: Sequence[str], width: int = WIDTH) -> list[str]:
    """Every line within `width`; a longer one continues on lines indented four spaces deeper than it."""
    fitted = []
    for line in lines:
        if len(line) <= width:
            fitted.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")) + 4)
        first, *rest = wrap(line, width)
        fitted.append(first)
        fitted += [(indent + piece).rstrip() for piece in wrap(" ".join(rest), width - len(indent))]
    return fitted


def _widths(headers: Sequence[str], cells: list[list[list[str]]], budget: int | None) -> list[int]:
    widths = [max([len(h)] + [len(text) for row in cells for text in row[i]]) for i, h in enumerate(headers)]
    while budget is not None and sum(widths) > budget:  # one column at a time from the widest, so wide ones end alike
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= max(MIN_COLUMN, len(headers[widest])):
            break  # every column is as narrow as it may be; fit() wraps what is left
        widths[widest] -= 1
    return widths


def _line(indent: str, cells: list[str], widths: list[int]) -> str:
    return (indent + GAP.join(cell.ljust(w) for cell, w in zip(cells, widths, strict=True))).rstrip()
