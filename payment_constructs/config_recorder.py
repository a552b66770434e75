"""An AWS Config recorder for an account that has none, made only when PAYMENT_CONFIG_RECORDER=true.

A recorder is one per account and region and usually the platform team's (AWS Config developer guide, "Managing the
Configuration Recorder"): a second one cannot be created, and destroying this stack would stop the platform's
recording. So it is opt-in, for sandbox accounts. It records log groups only (what the compliance rule evaluates)
and delivers to a bucket of its own, encrypted with the logs key: Config's history is audit data, like the logs.
"""

from __future__ import annotations

from cdktf_cdktf_provider_aws.config_configuration_recorder import (
    ConfigConfigurationRecorder,
    ConfigConfigurationRecorderRecordingGroup,
)
from cdktf_cdktf_provider_aws.config_configuration_recorder_status import ConfigConfigurationRecorderStatus
from cdktf_cdktf_provider_aws.config_delivery_channel import ConfigDeliveryChannel
from cdktf_cdktf_provider_aws.iam_role_policy_attachment import IamRolePolicyAttachment
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from constructs import Construct

from encrypted_logs.aws_context import AwsContext
from payment_constructs.iam import ServiceRole, allow
from payment_constructs.log_encryption_monitor import LOG_GROUP_RESOURCE_TYPE
from payment_constructs.private_bucket import kms_default_encryption, protect_bucket

CONFIG_PRINCIPAL = "config.amazonaws.com"
# The permissions AWS Config needs to describe the resources it records (AWS managed policy AWS_ConfigRole).
CONFIG_ROLE_POLICY = "iam::aws:policy/service-role/AWS_ConfigRole"
# Config writes snapshots and history under AWSLogs/<account>/Config/ (AWS Config developer guide, "Permissions for
# the Amazon S3 Bucket for the AWS Config Delivery Channel").
DELIVERY_PREFIX = "AWSLogs"
NONCURRENT_VERSION_DAYS = 365


class ConfigRecorder(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, ctx: AwsContext, name: str, bucket_prefix: str, logs_key_arn: str
    ) -> None:
        super().__init__(scope, construct_id)
        bucket = S3Bucket(self, "bucket", bucket_prefix=bucket_prefix)
        # Config's history is audit data, like the logs: encrypted with the logs key.
        protect_bucket(self, bucket, encryption=kms_default_encryption(logs_key_arn),
                       noncurrent_version_days=NONCURRENT_VERSION_DAYS)
        role = ServiceRole(
            self,
            "role",
            name=f"{name}-config-role",
            service=CONFIG_PRINCIPAL,
            statements=[
                allow("ReadBucketAcl", ["s3:GetBucketAcl"], [bucket.arn]),
                allow("DeliverSnapshots", ["s3:PutObject"], [f"{bucket.arn}/{DELIVERY_PREFIX}/{ctx.account_id}/*"]),
                # The bucket encrypts with the logs key: S3 asks for a data key in the role's name.
                allow(
                    "EncryptDeliveries",
                    ["kms:GenerateDataKey", "kms:Decrypt"],
                    [logs_key_arn],
                    {"StringEquals": {"kms:ViaService": f"s3.{ctx.region}.{ctx.dns_suffix}"}},
                ),
            ],
            trust_conditions={"StringEquals": {"aws:SourceAccount": ctx.account_id}},
        )
        IamRolePolicyAttachment(
            self, "describe_resources", role=role.role.name, policy_arn=f"arn:{ctx.partition}:{CONFIG_ROLE_POLICY}"
        )
        self.recorder = ConfigConfigurationRecorder(
            self,
            "recorder",
            name=name,
            role_arn=role.arn,
            recording_group=ConfigConfigurationRecorderRecordingGroup(
                all_supported=False, resource_types=[LOG_GROUP_RESOURCE_TYPE]
            ),
        )
        channel = ConfigDeliveryChannel(
            self, "delivery", name=name, s3_bucket_name=bucket.bucket, s3_kms_key_arn=logs_key_arn,
            depends_on=[self.recorder, role.policy],
        )
        # A recorder records nothing until started, and cannot start without a delivery channel.
        self.status = ConfigConfigurationRecorderStatus(
            self, "status", name=self.recorder.name, is_enabled=True, depends_on=[channel]
        )
