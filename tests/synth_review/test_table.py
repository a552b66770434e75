"""The plain-text table of the review and the local run."""

from __future__ import annotations

from synth_review.table import table, truncate


def test_columns_are_aligned_under_their_headers() -> None:
    lines = table(["payment", "status"], [["01-a", "SUCCEEDED"], ["02-longer-name", "FAILED"]], indent="", rule=True)

    assert lines == [
        "payment         status",
        "--------------  ---------",
        "01-a            SUCCEEDED",
        "02-longer-name  FAILED",
    ]


def test_long_text_is_cut_with_an_ellipsis_to_the_width() -> None:
    assert truncate("PaymentValidationError: bad", 12) == "PaymentVali…"
    assert truncate("short", 12) == "short"


def test_a_cell_of_several_lines_spreads_over_lines_of_its_row() -> None:
    assert table(["a", "b"], [[("x", "yy"), "z"]]) == ["  a   b", "  x   z", "  yy"]


def test_no_rows_reads_none() -> None:
    assert table(["a"], []) == ["  (none)"]
