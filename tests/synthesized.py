"""Test helpers over the synthesized JSON that cdktf_out/tree.py (the one reader of cdktf.out) loads."""

from __future__ import annotations

from cdktf_out.expressions import as_reference, substitute, whole_expression


def reference(expression: str) -> str:
    """The address inside a whole-string interpolation: "${aws_kms_key.k.arn}" -> "aws_kms_key.k.arn"."""
    address = whole_expression(expression)
    assert address, f"{expression!r} is not a single Terraform reference"
    return address


def with_stand_ins(text: str) -> str:
    """Replace every interpolation with a plausible literal, for tools (validators) that read plain JSON.

    A data-source partition becomes "aws", a function's ARN a fake ARN naming the function, anything else a token
    naming the expression, so a validator's message still says which reference it was about.
    """

    def stand_in(expression: str) -> str:
        read = as_reference(expression)
        if read and read.address.startswith("data.aws_partition."):
            return "aws"
        if read and read.address.startswith("aws_lambda_function.") and read.path == ("arn",):
            return f"arn:aws:lambda:eu-west-1:111122223333:function:{read.address.split('.')[1]}"
        return f"<{expression}>"

    return substitute(text, stand_in)
