"""Plain-text table with aligned columns, readable in a terminal and in a CI log."""

from __future__ import annotations

from collections.abc import Sequence

ELLIPSIS = "…"


def truncate(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, marked with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Headers, a rule, then one line per row; columns two spaces apart, no trailing blanks."""
    widths = [max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)]
    rule = ["-" * width for width in widths]
    lines = [_line(cells, widths) for cells in (headers, rule, *rows)]
    return "\n".join(lines)


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
