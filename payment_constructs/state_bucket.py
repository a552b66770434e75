"""The S3 bucket that keeps an environment's Terraform state (`make bootstrap-state`), in a stack of its own.

Its own state is a local file (terraform-state/<env>/state-bucket.tfstate): the bucket cannot hold the state of the
stack that creates it. Losing that file loses nothing but Terraform's record of the bucket (`terraform import` brings
it back); the bucket itself is protected from `destroy` (prevent_destroy) and from deletion with objects in it.

Default encryption is SSE-S3, not SSE-KMS: Terraform's S3 backend with `encrypt = true` writes every state object
with an explicit SSE-S3 header unless the backend names a KMS key (internal/backend/remote-state/s3/client.go,
PutObject), so a KMS default on the bucket would never reach the state itself. Access to state is governed by IAM and
the bucket policy; versions keep every earlier state for recovery.
"""

from __future__ import annotations

from cdktf import TerraformOutput, TerraformResourceLifecycle, TerraformStack
from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_ownership_controls import (
    S3BucketOwnershipControls,
    S3BucketOwnershipControlsRule,
)
from constructs import Construct

from payment_constructs.private_bucket import protect_bucket, s3_managed_encryption
from payment_constructs.providers import aws_provider
from payment_constructs.state_backend import use_local_backend
from payment_settings.settings import Settings
from payment_settings.state_bucket_settings import StateBucket

# How long an overwritten state stays recoverable: long enough to notice a bad apply after a holiday.
NONCURRENT_STATE_DAYS = 90
BUCKET_OUTPUT = "state_bucket"
REGION_OUTPUT = "state_region"


class StateBucketStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, settings: Settings, state_bucket: StateBucket) -> None:
        super().__init__(scope, stack_id)
        use_local_backend(self, settings)
        aws_provider(self, settings, region=state_bucket.region)
        bucket = S3Bucket(
            self, "bucket", bucket=state_bucket.name,
            force_destroy=False,  # never delete the bucket while it holds states
            lifecycle=TerraformResourceLifecycle(prevent_destroy=True),
        )
        # ACLs off: the account owns every object, access is IAM and the bucket policy alone (S3 user guide,
        # "Controlling ownership of objects and disabling ACLs").
        S3BucketOwnershipControls(
            self, "ownership", bucket=bucket.id,
            rule=S3BucketOwnershipControlsRule(object_ownership="BucketOwnerEnforced"),
        )
        # Each lock file (use_lockfile) leaves a delete marker behind: expire those too.
        protect_bucket(self, bucket, encryption=s3_managed_encryption(),
                       noncurrent_version_days=NONCURRENT_STATE_DAYS, expire_delete_markers=True)
        TerraformOutput(self, BUCKET_OUTPUT, value=bucket.bucket)
        TerraformOutput(self, REGION_OUTPUT, value=state_bucket.region)
