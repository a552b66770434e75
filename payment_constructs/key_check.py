"""A declarative check that the logs key is usable, evaluated by `terraform plan` before any log group exists.

The post-mortem proposed a null_resource shelling out to `aws kms describe-key`; a data source with a postcondition
does the same without a shell, fails the plan instead of half an apply, and reads the key as Terraform will use it.
"""

from __future__ import annotations

from cdktf import Postcondition, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_kms_key import DataAwsKmsKey
from constructs import Construct

USABLE_KEY = (
    '${self.enabled && self.key_state == "Enabled" && self.key_usage == "ENCRYPT_DECRYPT" '
    '&& self.customer_master_key_spec == "SYMMETRIC_DEFAULT"}'
)
UNUSABLE_KEY_MESSAGE = (
    "The log-group KMS key is not an enabled symmetric ENCRYPT_DECRYPT key, so CloudWatch Logs cannot encrypt "
    "with it. Deploy the encryption stack first (cdktf deploy encryption); if the key is disabled or pending "
    "deletion, enable it or cancel the deletion (aws kms enable-key / cancel-key-deletion) and plan again."
)


UNUSABLE_ALERTS_KEY_MESSAGE = (
    "The alerts KMS key is not an enabled symmetric ENCRYPT_DECRYPT key, so SNS cannot encrypt alarm notifications "
    "with it and every alarm action would fail. Deploy the encryption stack first (cdktf deploy encryption); if the "
    "key is disabled or pending deletion, enable it or cancel the deletion (aws kms enable-key / cancel-key-deletion) "
    "and plan again."
)


def checked_key(
    scope: Construct, construct_id: str, key_arn: str, error_message: str = UNUSABLE_KEY_MESSAGE
) -> DataAwsKmsKey:
    return DataAwsKmsKey(
        scope,
        construct_id,
        key_id=key_arn,
        lifecycle=TerraformResourceLifecycle(
            postcondition=[Postcondition(condition=USABLE_KEY, error_message=error_message)]
        ),
    )
