"""Log groups encrypted with one key and kept as long as configured, created before the services that write to them."""

from __future__ import annotations

from collections.abc import Sequence

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from constructs import Construct

from encrypted_logs.props import EncryptedLogGroupsProps, check_log_group_name


class EncryptedLogGroups(Construct):
    """Created by Terraform, never by the services on first write: a group Lambda or Step Functions auto-creates has
    no key and no retention, and Terraform's own create then fails with ResourceAlreadyExistsException (Lambda
    developer guide, "Configuring advanced logging controls for Lambda functions").

    Each owner asks for its group here, so every group gets the same key, retention and wait, and none can be made
    without them. ``kms_key_arn``: the ARN as read from the key stack (``KeyFromStack.arn``); ``wait_for``: the key
    check (``KeyFromStack.check``, ``checked_key``), so a missing or disabled key fails the plan before any group.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        props: EncryptedLogGroupsProps,
        *,
        kms_key_arn: str,
        wait_for: Sequence[ITerraformDependable] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._props = props
        self._kms_key_arn = kms_key_arn
        self._wait_for = list(wait_for) if wait_for is not None else None

    def group(self, group_id: str, name: str) -> CloudwatchLogGroup:
        check_log_group_name("EncryptedLogGroups.group.name", name)
        return CloudwatchLogGroup(
            self,
            group_id,
            name=name,
            kms_key_id=self._kms_key_arn,
            retention_in_days=self._props.retention_days,
            depends_on=self._wait_for,
        )
