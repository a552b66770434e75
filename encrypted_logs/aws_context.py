"""The account, region and partition the stack deploys into, read from AWS rather than assumed."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity
from cdktf_cdktf_provider_aws.data_aws_partition import DataAwsPartition
from cdktf_cdktf_provider_aws.data_aws_region import DataAwsRegion
from constructs import Construct

from encrypted_logs.arns import log_group_resource, regional_arn


class AwsContext(Construct):
    """Partition-aware values: ARNs and service principals differ in aws-cn and aws-us-gov."""

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._partition = DataAwsPartition(self, "partition")
        self._region = DataAwsRegion(self, "region")
        self._caller = DataAwsCallerIdentity(self, "caller")

    @property
    def partition(self) -> str:
        return self._partition.partition

    @property
    def dns_suffix(self) -> str:
        return self._partition.dns_suffix

    @property
    def region(self) -> str:
        return self._region.region

    @property
    def account_id(self) -> str:
        return self._caller.account_id

    @property
    def logs_principal(self) -> str:
        """CloudWatch Logs' service principal is regional, and in aws-cn ends in amazonaws.com.cn."""
        return f"logs.{self.region}.{self.dns_suffix}"

    def account_root_arn(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:root"

    def arn(self, service: str, resource: str) -> str:
        """An ARN of this account and region."""
        return regional_arn(self.partition, self.region, self.account_id, service, resource)

    def log_group_arn(self, log_group: str) -> str:
        return self.arn("logs", log_group_resource(log_group))
