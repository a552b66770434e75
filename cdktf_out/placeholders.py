"""Read interpolations of the account, region and partition data sources as readable placeholders.

A synthesized key policy says `arn:${data.aws_partition.context_partition_B73F2326.partition}:...`; reviews and
checks compare it with `arn:<partition>:...`, independent of cdktf's generated resource names.
"""

from __future__ import annotations

import json
from typing import Any

from cdktf_out.expressions import as_reference, substitute

# The data sources cdktf reads the deployment's account, region and partition from, and the placeholder of each
# attribute (AWS provider: aws_partition `partition`, `dns_suffix`; aws_region `region`, formerly `name`;
# aws_caller_identity `account_id`).
PLACEHOLDERS = {
    ("data.aws_partition", "partition"): "<partition>",
    ("data.aws_partition", "dns_suffix"): "<dns_suffix>",
    ("data.aws_region", "region"): "<region>",
    ("data.aws_region", "name"): "<region>",
    ("data.aws_caller_identity", "account_id"): "<account>",
}


def with_placeholders(text: str) -> str:
    return substitute(text, placeholder)


def placeholder(expression: str) -> str | None:
    """The placeholder an expression reads, or None when it is not one of those data values."""
    reference = as_reference(expression)
    if reference is None or reference.address.count(".") != 2:
        return None
    return PLACEHOLDERS.get((reference.address.rsplit(".", 1)[0], reference.attribute))


def log_group_arn_pattern(log_group: str) -> str:
    return f"arn:<partition>:logs:<region>:<account>:log-group:{log_group}"


def parsed_with_placeholders(raw: Any) -> Any:
    """A JSON string (a policy, a state machine definition) parsed with placeholders; None if it is not JSON."""
    if not isinstance(raw, str):
        return None
    try:
        return json.loads(with_placeholders(raw))
    except json.JSONDecodeError:
        return None
