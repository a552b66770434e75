"""The plain-text outcome table."""

from __future__ import annotations

from local_run.table import render_table, truncate


def test_columns_are_aligned_under_their_headers() -> None:
    table = render_table(["payment", "status"], [["01-a", "SUCCEEDED"], ["02-longer-name", "FAILED"]])

    assert table.splitlines() == [
        "payment         status",
        "--------------  ---------",
        "01-a            SUCCEEDED",
        "02-longer-name  FAILED",
    ]


def test_long_text_is_cut_with_an_ellipsis_to_the_width() -> None:
    assert truncate("PaymentValidationError: bad", 12) == "PaymentVali…"
    assert truncate("short", 12) == "short"
