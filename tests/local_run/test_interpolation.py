"""Terraform references in the synthesized JSON, replaced by the values of what was created locally."""

from __future__ import annotations

import pytest

from local_run.interpolation import UnresolvedInterpolationError, resolve_text, resolve_value

VALUES = {"aws_lambda_function.f.arn": "arn:aws:lambda:eu-west-1:123456789012:function:f", "data.p.x.partition": "aws"}


def test_a_known_reference_is_replaced_by_its_value() -> None:
    text = '{"FunctionName": "${aws_lambda_function.f.arn}", "Resource": "arn:${data.p.x.partition}:states"}'

    resolved = resolve_text(text, VALUES, where="definition")

    assert resolved == (
        '{"FunctionName": "arn:aws:lambda:eu-west-1:123456789012:function:f", "Resource": "arn:aws:states"}'
    )


def test_an_unknown_reference_fails_naming_it_and_where_it_is() -> None:
    with pytest.raises(UnresolvedInterpolationError, match=r"definition: cannot resolve \$\{aws_iam_role\.r\.arn\}"):
        resolve_text("${aws_iam_role.r.arn}", VALUES, where="definition")


def test_an_expression_other_than_a_reference_fails() -> None:
    with pytest.raises(UnresolvedInterpolationError):
        resolve_text('${jsonencode({"a" = 1})}', VALUES, where="definition")


def test_an_escaped_dollar_brace_is_a_literal() -> None:
    assert resolve_text("$${not.a.reference}", VALUES, where="x") == "${not.a.reference}"


def test_references_inside_nested_values_are_resolved() -> None:
    value = {"variables": {"PARTITION": "${data.p.x.partition}"}, "list": ["${data.p.x.partition}", 3]}

    assert resolve_value(value, VALUES, where="environment") == {
        "variables": {"PARTITION": "aws"},
        "list": ["aws", 3],
    }
