"""The workflow's log groups, all encrypted with the logs key and kept as long as configured."""

from __future__ import annotations

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from constructs import Construct


class EncryptedLogGroups(Construct):
    """Created by Terraform, never by the services on first write: a group Lambda or Step Functions auto-creates has
    no key and no retention, and Terraform's own create then fails with ResourceAlreadyExistsException.

    Each owner (a payment function, the state machine) asks for its group here, so every group gets the same key,
    retention and wait, and none can be made without them.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        kms_key_arn: str,
        retention_days: int,
        wait_for: list[ITerraformDependable] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        self._kms_key_arn = kms_key_arn
        self._retention_days = retention_days
        self._wait_for = wait_for

    def group(self, group_id: str, name: str) -> CloudwatchLogGroup:
        return CloudwatchLogGroup(
            self,
            group_id,
            name=name,
            kms_key_id=self._kms_key_arn,
            retention_in_days=self._retention_days,
            depends_on=self._wait_for,
        )
