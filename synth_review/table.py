"""Plain-text tables with aligned columns, readable in a terminal, a CI log and review.txt alike: the review's and
the local run's."""

from __future__ import annotations

from collections.abc import Sequence

Cell = str | tuple[str, ...]  # a tuple spreads over several lines of the same row
ELLIPSIS = "…"


def table(
    headers: Sequence[str], rows: Sequence[Sequence[Cell]], indent: str = "  ", *, rule: bool = False
) -> list[str]:
    """Headers (and, with `rule`, a line of dashes under each), then the rows; columns two spaces apart, no trailing
    blanks. No rows at all reads "(none)"."""
    if not rows:
        return [f"{indent}(none)"]
    lines_of_rows = [_physical_lines(row) for row in rows]
    all_lines = [list(headers)] + [line for lines in lines_of_rows for line in lines]
    widths = [max(len(line[i]) for line in all_lines) for i in range(len(headers))]
    if rule:
        all_lines.insert(1, ["-" * width for width in widths])
    return [indent + "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
            for line in all_lines]


def truncate(text: str, width: int) -> str:
    """`text` cut to `width` characters, marked with an ellipsis when cut."""
    return text if len(text) <= width else text[: width - 1] + ELLIPSIS


def _physical_lines(row: Sequence[Cell]) -> list[list[str]]:
    columns = [list(cell) if isinstance(cell, tuple) else [cell] for cell in row]
    height = max(len(c) for c in columns) or 1
    return [[c[i] if i < len(c) else "" for c in columns] for i in range(height)]
