"""A customer-managed KMS key: symmetric, rotated, aliased, its policy written as data."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from constructs import Construct

from encrypted_logs.policy import policy_json
from encrypted_logs.props import KeyProps


class CustomerManagedKey(Construct):
    """Children: ``key`` (aws_kms_key) and ``alias`` (aws_kms_alias)."""

    def __init__(self, scope: Construct, construct_id: str, props: KeyProps) -> None:
        super().__init__(scope, construct_id)
        self.key = KmsKey(
            self,
            "key",
            description=props.description,
            # CloudWatch Logs, SNS, Step Functions, DynamoDB and Lambda accept symmetric encryption keys only.
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            key_usage="ENCRYPT_DECRYPT",
            enable_key_rotation=True,
            deletion_window_in_days=props.deletion_window_days,
            policy=policy_json(props.statements),
        )
        self.alias = KmsAlias(self, "alias", name=props.alias, target_key_id=self.key.key_id)
