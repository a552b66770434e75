"""Read interpolations of the account, region and partition data sources as readable placeholders.

A synthesized key policy says `arn:${data.aws_partition.context_partition_B73F2326.partition}:...`; reviews and
checks compare it with `arn:<partition>:...`, independent of cdktf's generated resource names.
"""

from __future__ import annotations

import json
import re
from typing import Any

_DATA_VALUE = re.compile(
    r"\$\{data\.(?:aws_partition\.[\w-]+\.(?P<partition>partition|dns_suffix)"
    r"|aws_region\.[\w-]+\.(?:region|name)"
    r"|aws_caller_identity\.[\w-]+\.account_id)\}"
)


def with_placeholders(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        whole = match.group(0)
        if match.group("partition"):
            return f"<{match.group('partition')}>"
        if ".aws_region." in whole:
            return "<region>"
        return "<account>"

    return _DATA_VALUE.sub(replace, text)


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
