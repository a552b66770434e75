"""A customer-managed KMS key as this project makes every key: symmetric, rotated, aliased, policy as data."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.kms_alias import KmsAlias
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from constructs import Construct

from payment_constructs.iam import Statement, policy_json


class CustomerManagedKey(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        description: str,
        alias: str,
        deletion_window_days: int,
        statements: list[Statement],
    ) -> None:
        super().__init__(scope, construct_id)
        self.key = KmsKey(
            self,
            "key",
            description=description,
            # CloudWatch Logs, Step Functions, DynamoDB and Lambda accept symmetric encryption keys only.
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            key_usage="ENCRYPT_DECRYPT",
            enable_key_rotation=True,
            deletion_window_in_days=deletion_window_days,
            policy=policy_json(statements),
        )
        self.alias = KmsAlias(self, "alias", name=alias, target_key_id=self.key.key_id)
