"""The review as a newcomer reads it: its marks explained, names never cut, each resource with its name in AWS."""

from __future__ import annotations

import re

import pytest

from cdktf_out.cross_stack import cross_stack_values
from cdktf_out.tree import SynthesizedApp
from synth_review.report.table import WIDTH
from synth_review.report.text import LEGEND, render


@pytest.fixture(scope="module")
def review_text(synthesized: SynthesizedApp) -> str:
    return render(synthesized, [], None, "not run")


def test_the_marks_are_explained_before_their_first_use(review_text: str) -> None:
    lines = review_text.splitlines()
    marked = [i for i, line in enumerate(lines) if re.search(r"(?:\s|, )(ok|allowed)(?: \(|$)", line)]

    assert marked, "the review marks no statement"
    assert lines.index(LEGEND) < marked[0]
    assert all(f"{mark} = " in LEGEND for mark in ("ok", "allowed", "FAIL"))
    assert len(LEGEND) <= WIDTH


def test_no_line_of_the_review_ends_inside_a_name(review_text: str) -> None:
    assert max(len(line) for line in review_text.splitlines()) <= WIDTH
    assert [line for line in review_text.splitlines() if re.search(r"[A-Za-z0-9][_-]$", line)] == []


def test_each_cross_stack_value_names_its_sleep_and_every_user_whole(synthesized: SynthesizedApp,
                                                                      review_text: str) -> None:
    lines = review_text.splitlines()
    for value in cross_stack_values(synthesized):
        assert value.sleep is not None
        through = f"through    {value.sleep.address} ({value.sleep.create_duration})"
        assert any(line.strip() == through for line in lines)
        for user in value.used_by:
            assert any(line.strip().endswith(user) for line in lines), user


def test_the_log_group_table_names_each_key_and_leaves_its_wait_to_the_cross_stack_block(review_text: str) -> None:
    log_groups = review_text.split("=== stack app ===", 1)[1].split("\nLog groups\n", 1)[1].split("\n\n", 1)[0]
    assert "aws_kms_key." in log_groups
    assert "time_sleep." not in log_groups
