"""Statements every customer-managed key of this project starts from."""

from __future__ import annotations

from typing import Any

from payment_constructs.aws_context import AwsContext

Statement = dict[str, Any]


def account_administers_key(ctx: AwsContext) -> Statement:
    # Without an account-root statement a key policy can lock every principal out of the key for good (KMS key
    # policy default): IAM policies in the account then decide who administers it.
    return {
        "Sid": "AccountAdministersKey",
        "Effect": "Allow",
        "Principal": {"AWS": ctx.account_root_arn()},
        "Action": "kms:*",
        "Resource": "*",
    }


def policy_document(*statements: Statement) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}
