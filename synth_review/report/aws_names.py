"""The name AWS knows a resource by, shown beside the logical id cdktf gives it in the Terraform JSON.

A reviewer who looks for `ledger_table_BE9C0D06` in the console or in CloudTrail finds nothing: AWS shows
`payment-ledger-dev`. Most resources carry that name in `name`; some in an argument of their own (AWS provider
documentation: aws_lambda_function `function_name`, aws_cloudwatch_metric_alarm `alarm_name`,
aws_cloudwatch_dashboard `dashboard_name`). A KMS key has no name; its aliases stand for it.
"""

from __future__ import annotations

from cdktf_out.expressions import referenced_paths
from cdktf_out.routes import KMS_KEY
from cdktf_out.tree import Block, Stack

NAME_ARGUMENTS = ("function_name", "alarm_name", "dashboard_name", "name")
KMS_ALIAS = "aws_kms_alias"


def aws_name(stack: Stack, block: Block) -> str | None:
    """The resource's name in AWS (a key's aliases, comma-separated), or None when it has none."""
    if block.type == KMS_KEY and not block.is_data:
        aliases = [str(alias.body.get("name")) for alias in stack.resources(KMS_ALIAS)
                   if any(address == block.address for address, _ in referenced_paths(alias.body.get("target_key_id")))]
        return ", ".join(aliases) or None
    for argument in NAME_ARGUMENTS:
        value = block.body.get(argument)
        if isinstance(value, str) and value:
            return value
    return None
