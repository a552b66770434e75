"""A declarative check that a key is usable, evaluated by `terraform plan` before anything that encrypts with it.

A data source with a postcondition does what a null_resource shelling out to `aws kms describe-key` would, without a
shell: it fails the plan instead of half an apply, and reads the key as Terraform will use it.
"""

from __future__ import annotations

from cdktf import Postcondition, TerraformResourceLifecycle
from cdktf_cdktf_provider_aws.data_aws_kms_key import DataAwsKmsKey
from constructs import Construct

# CloudWatch Logs and SNS encrypt with symmetric ENCRYPT_DECRYPT keys only, and a disabled key or one pending
# deletion refuses every request (KMS developer guide, "Key states of AWS KMS keys").
USABLE_KEY = (
    '${self.enabled && self.key_state == "Enabled" && self.key_usage == "ENCRYPT_DECRYPT" '
    '&& self.customer_master_key_spec == "SYMMETRIC_DEFAULT"}'
)
UNUSABLE_KEY_MESSAGE = (
    "The KMS key is not an enabled symmetric ENCRYPT_DECRYPT key, so nothing can encrypt with it. Deploy the key "
    "stack first; if the key is disabled or pending deletion, enable it or cancel the deletion "
    "(aws kms enable-key / cancel-key-deletion) and plan again."
)


def checked_key(
    scope: Construct, construct_id: str, key_arn: str, error_message: str = UNUSABLE_KEY_MESSAGE
) -> DataAwsKmsKey:
    """A data aws_kms_key whose postcondition fails the plan unless the key is usable; make users depend on it."""
    return DataAwsKmsKey(
        scope,
        construct_id,
        key_id=key_arn,
        lifecycle=TerraformResourceLifecycle(
            postcondition=[Postcondition(condition=USABLE_KEY, error_message=error_message)]
        ),
    )
