"""The plain-text table of the review and the local run."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from synth_review.report.table import table, truncate, wrap
from tests.hypothesis_profile import examples


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


# A name the way the review prints them: letters, digits, "_" and "-", never broken on its own.
_NAME = re.compile(r"[A-Za-z0-9_-]+")
names = st.from_regex(r"[a-z0-9]{1,8}(?:[_-][A-Za-z0-9]{1,8}){0,3}", fullmatch=True)  # at most 35 characters
separators = st.sampled_from([" ", ".", "/", ", ", " <- ", ":"])


@st.composite
def texts_of_names(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.tuples(names, separators), min_size=1, max_size=12))
    return "".join(name + separator for name, separator in parts).strip()


def test_a_line_breaks_after_a_path_separator_not_inside_a_name() -> None:
    assert wrap("encryption.time_sleep.logs_key_propagation_wait_31CBEF01.triggers.key_arn", 40) == [
        "encryption.time_sleep.",
        "logs_key_propagation_wait_31CBEF01.",
        "triggers.key_arn",
    ]


def test_an_interpolation_breaks_after_its_dots() -> None:
    assert wrap("${time_sleep.alerts_key_propagation_wait_520A6D4E.triggers.key_arn}", 40) == [
        "${time_sleep.",
        "alerts_key_propagation_wait_520A6D4E.",
        "triggers.key_arn}",
    ]


def test_a_line_breaks_between_words_before_it_breaks_a_path() -> None:
    assert wrap("encryption.output.logs_key_arn <- encryption.aws_kms_key.logs_key_514BF2D1.arn", 50) == [
        "encryption.output.logs_key_arn <-",
        "encryption.aws_kms_key.logs_key_514BF2D1.arn",
    ]


def test_only_a_name_longer_than_the_line_is_cut_after_one_of_its_parts() -> None:
    assert wrap("log_groups_state_machine_2DD89F09", 20) == ["log_groups_state_", "machine_2DD89F09"]
    assert wrap("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


@given(text=texts_of_names(), width=st.integers(min_value=35, max_value=70))
@example(text="0 00000000_00000000_00000000_00000000.", width=35)  # a name as wide as the line, then its separator
@settings(max_examples=examples(60), deadline=None)
def test_no_name_is_ever_split_when_each_fits_the_line(text: str, width: int) -> None:
    pieces = wrap(text, width)

    assert all(len(piece) <= width for piece in pieces)
    assert [name for piece in pieces for name in _NAME.findall(piece)] == _NAME.findall(text)


def test_a_column_too_wide_for_the_table_keeps_room_for_its_longest_name() -> None:
    cell = "aws_cloudwatch_log_group.log_groups_state_machine_2DD89F09 and more words " * 2
    lines = table(["A", "B"], [[cell, cell]], width=80)

    assert all(len(line) <= 80 for line in lines)
    assert all("log_groups_state_machine_2DD89F09" in line for line in lines if "log_groups_state" in line)


def test_a_table_whose_names_cannot_all_fit_still_fits_its_width() -> None:
    name = "n" * 70
    lines = table(["A", "B"], [[name, name]], width=80)

    assert max(len(line) for line in lines) <= 80
