"""Test helpers over the synthesized JSON that cdktf_out/tree.py (the one reader of cdktf.out) loads."""

from __future__ import annotations

import re

from cdktf_out.expressions import whole_reference


def reference(expression: str) -> str:
    """The address inside a whole-string interpolation: "${aws_kms_key.k.arn}" -> "aws_kms_key.k.arn"."""
    address = whole_reference(expression)
    assert address, f"{expression!r} is not a single Terraform reference"
    return address


_ANY_REFERENCE = re.compile(r"\$\{([^{}]+)\}")


def with_stand_ins(text: str) -> str:
    """Replace every interpolation with a plausible literal, for tools (validators) that read plain JSON.

    A data-source partition becomes "aws", a resource ARN a fake ARN naming the resource, anything else a token
    naming the address, so a validator's message still says which reference it was about.
    """

    def stand_in(match: re.Match[str]) -> str:
        address = match.group(1)
        if address.startswith("data.aws_partition."):
            return "aws"
        if address.startswith("aws_lambda_function.") and address.endswith(".arn"):
            name = address.split(".")[1]
            return f"arn:aws:lambda:eu-west-1:111122223333:function:{name}"
        return f"<{address}>"

    return _ANY_REFERENCE.sub(stand_in, text)
