"""How a `${...}` of the synthesized JSON is read: the one grammar every reader asks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cdktf_out.expressions import (
    Reference,
    UnresolvedInterpolationError,
    as_reference,
    depends_on,
    has_interpolation,
    interpolations,
    references_in,
    render,
    single_reference,
    substitute,
    whole_expression,
)


def test_an_escaped_dollar_brace_is_text_not_an_expression() -> None:
    assert interpolations("$${aws:username} and ${aws_kms_key.k.arn}") == ["aws_kms_key.k.arn"]
    assert not has_interpolation("arn:$${aws:username}")


def test_an_expression_ends_at_its_own_closing_brace_whatever_its_strings_and_objects_hold() -> None:
    text = '${jsonencode({"a" = "}"})}/${aws_s3_bucket.b.arn}'
    assert interpolations(text) == ['jsonencode({"a" = "}"})', "aws_s3_bucket.b.arn"]


def test_an_unclosed_dollar_brace_is_never_taken_for_text() -> None:
    assert has_interpolation("arn:${aws_s3_bucket.b.arn")
    with pytest.raises(UnresolvedInterpolationError, match=r"\$\{aws_s3_bucket\.b\.arn"):
        render("arn:${aws_s3_bucket.b.arn", {"aws_s3_bucket.b.arn": "x"})


def test_a_reference_keeps_its_index_steps_and_the_key_a_lookup_picks() -> None:
    (looked_up,) = references_in('lookup(data.terraform_remote_state.e.outputs.keys, "logs")')
    assert looked_up == Reference("data.terraform_remote_state.e", ("outputs", "keys"), "logs",
                                  "data.terraform_remote_state.e.outputs.keys")
    (indexed,) = references_in('time_sleep.w.triggers["key_arn"]')
    assert indexed.path == ("triggers", "key_arn")


def test_a_reference_inside_a_function_call_is_a_reference_but_not_the_whole_value() -> None:
    assert [r.address for r in references_in("sha256(aws_kms_key.k.policy)")] == ["aws_kms_key.k"]
    assert as_reference("sha256(aws_kms_key.k.policy)") is None
    assert single_reference("${aws_kms_key.k.arn}") == Reference("aws_kms_key.k", ("arn",), None, "aws_kms_key.k.arn")
    assert single_reference("${aws_kms_key.k.arn}:*") is None


def test_a_string_literal_inside_an_expression_names_no_block() -> None:
    assert references_in('lookup(x.y.z, "aws_kms_key.k")')[0].address == "x.y"
    assert len(references_in('lookup(x.y.z, "aws_kms_key.k")')) == 1


def test_whole_expression_is_only_for_a_value_that_is_one_interpolation() -> None:
    assert whole_expression("${a.b.c}") == "a.b.c"
    assert whole_expression("${a.b.c}/x") is None
    assert whole_expression("${a.b}${c.d}") is None
    assert whole_expression(3) is None


def test_explicit_dependencies_are_read_whether_written_bare_or_interpolated() -> None:
    assert depends_on({"depends_on": ["aws_iam_role.r", "${aws_iam_role_policy.p}"]}) == {
        "aws_iam_role.r", "aws_iam_role_policy.p"}


def test_substitute_replaces_only_what_it_is_given_a_text_for() -> None:
    text = "arn:${data.aws_partition.p.partition}:s3:::${aws_s3_bucket.b.bucket}/$${x}"
    replaced = substitute(text, lambda e: "aws" if e.startswith("data.aws_partition") else None)
    assert replaced == "arn:aws:s3:::${aws_s3_bucket.b.bucket}/$${x}"


@given(st.text(alphabet="ab${}\"\\", max_size=30))
def test_a_string_without_expressions_renders_as_terraform_writes_it(text: str) -> None:
    if has_interpolation(text):
        with pytest.raises(UnresolvedInterpolationError):
            render(text, {})
    else:
        assert render(text, {}) == text.replace("$${", "${")
