"""The review as a newcomer reads it: its marks explained, names never cut, each resource with its name in AWS."""

from __future__ import annotations

import re

import pytest

from cdktf_out.cross_stack import cross_stack_values
from cdktf_out.tree import SynthesizedApp
from synth_review.report import LEGEND, render
from synth_review.table import WIDTH


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


@pytest.mark.parametrize(
    ("resource_type", "argument"),
    [("aws_dynamodb_table", "name"), ("aws_lambda_function", "function_name"),
     ("aws_cloudwatch_metric_alarm", "alarm_name"), ("aws_cloudwatch_log_group", "name"),
     ("aws_sfn_state_machine", "name"), ("aws_iam_role", "name")],
)
def test_each_resource_is_listed_beside_its_name_in_aws(synthesized: SynthesizedApp, review_text: str,
                                                        resource_type: str, argument: str) -> None:
    listed = {tuple(line.split()) for line in review_text.splitlines()}
    named = [(name, body[argument]) for stack in synthesized.stacks
             for name, body in stack.named(resource_type).items()]

    assert named
    assert all((logical_id, aws_name) in listed for logical_id, aws_name in named)


def test_each_key_is_shown_with_its_alias(synthesized: SynthesizedApp, review_text: str) -> None:
    lines = review_text.splitlines()
    encryption = synthesized.stack("encryption")
    for alias in encryption.named("aws_kms_alias").values():
        key = alias["target_key_id"].removeprefix("${").split(".key_id")[0]
        row = next(i for i, line in enumerate(lines) if line.startswith(f"  {key}  "))
        assert lines[row + 1].strip() == alias["name"]
