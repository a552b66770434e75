"""ARN shapes the key policies and their users must agree on; plain strings, no provider import."""

from __future__ import annotations


def regional_arn(partition: str, region: str, account: str, service: str, resource: str) -> str:
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def log_group_resource(log_group: str) -> str:
    """A log group's ARN resource as KMS sees it in kms:EncryptionContext:aws:logs:arn: no trailing ':*'."""
    return f"log-group:{log_group}"
