"""The workflow's three log groups, encrypted with the logs key."""

from __future__ import annotations

from cdktf import ITerraformDependable
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from constructs import Construct

from payment_constructs.naming import Names


class EncryptedLogGroups(Construct):
    """Created by Terraform, never by the services on first write: a group Lambda or Step Functions auto-creates has
    no key and no retention, and Terraform's own create then fails with ResourceAlreadyExistsException."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        names: Names,
        kms_key_arn: str,
        retention_days: int,
        wait_for: list[ITerraformDependable] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)

        def group(group_id: str, name: str) -> CloudwatchLogGroup:
            return CloudwatchLogGroup(
                self,
                group_id,
                name=name,
                kms_key_id=kms_key_arn,
                retention_in_days=retention_days,
                depends_on=wait_for,
            )

        self.validation = group("validation", names.validation_log_group)
        self.processing = group("processing", names.processing_log_group)
        self.state_machine = group("state_machine", names.state_machine_log_group)
