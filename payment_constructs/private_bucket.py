"""What every bucket of this project gets: no public access, versions, default encryption, TLS only, old versions
expired. One function, so the Config bucket and the state bucket cannot drift apart on any of it."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.s3_bucket import S3Bucket
from cdktf_cdktf_provider_aws.s3_bucket_lifecycle_configuration import (
    S3BucketLifecycleConfiguration,
    S3BucketLifecycleConfigurationRule,
    S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload,
    S3BucketLifecycleConfigurationRuleExpiration,
    S3BucketLifecycleConfigurationRuleFilter,
    S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration,
)
from cdktf_cdktf_provider_aws.s3_bucket_policy import S3BucketPolicy
from cdktf_cdktf_provider_aws.s3_bucket_public_access_block import S3BucketPublicAccessBlock
from cdktf_cdktf_provider_aws.s3_bucket_server_side_encryption_configuration import (
    S3BucketServerSideEncryptionConfigurationA,
    S3BucketServerSideEncryptionConfigurationRuleA,
    S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA,
)
from cdktf_cdktf_provider_aws.s3_bucket_versioning import S3BucketVersioningA, S3BucketVersioningVersioningConfiguration
from constructs import Construct

from payment_constructs.iam import Statement, policy_json

INCOMPLETE_UPLOAD_DAYS = 7


def deny_without_tls(bucket: S3Bucket) -> Statement:
    """S3 user guide, "Security best practices for Amazon S3": deny any request not sent over TLS."""
    return {
        "Sid": "DenyWithoutTls",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket.arn, f"{bucket.arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def protect_bucket(
    scope: Construct,
    bucket: S3Bucket,
    *,
    encryption: S3BucketServerSideEncryptionConfigurationRuleA,
    noncurrent_version_days: int,
    expire_delete_markers: bool = False,
) -> None:
    """Give `bucket` its public access block, versioning, default encryption, lifecycle and TLS-only policy, as
    siblings of the bucket in `scope`."""
    S3BucketPublicAccessBlock(
        scope, "public_access", bucket=bucket.id,
        block_public_acls=True, block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True,
    )
    S3BucketVersioningA(
        scope, "versioning", bucket=bucket.id,
        versioning_configuration=S3BucketVersioningVersioningConfiguration(status="Enabled"),
    )
    S3BucketServerSideEncryptionConfigurationA(scope, "encryption", bucket=bucket.id, rule=[encryption])
    S3BucketLifecycleConfiguration(
        scope, "lifecycle", bucket=bucket.id,
        rule=[S3BucketLifecycleConfigurationRule(
            id="expire-old-versions", status="Enabled", filter=[S3BucketLifecycleConfigurationRuleFilter()],
            noncurrent_version_expiration=[S3BucketLifecycleConfigurationRuleNoncurrentVersionExpiration(
                noncurrent_days=noncurrent_version_days
            )],
            # A delete marker whose versions have all expired only slows listings down.
            expiration=[S3BucketLifecycleConfigurationRuleExpiration(expired_object_delete_marker=True)]
            if expire_delete_markers else None,
            abort_incomplete_multipart_upload=[S3BucketLifecycleConfigurationRuleAbortIncompleteMultipartUpload(
                days_after_initiation=INCOMPLETE_UPLOAD_DAYS
            )],
        )],
    )
    S3BucketPolicy(scope, "policy", bucket=bucket.id, policy=policy_json([deny_without_tls(bucket)]))


def kms_default_encryption(key_arn: str) -> S3BucketServerSideEncryptionConfigurationRuleA:
    return S3BucketServerSideEncryptionConfigurationRuleA(
        apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
            sse_algorithm="aws:kms", kms_master_key_id=key_arn
        ),
        bucket_key_enabled=True,  # one data key per bucket for a while, not one KMS call per object
    )


def s3_managed_encryption() -> S3BucketServerSideEncryptionConfigurationRuleA:
    return S3BucketServerSideEncryptionConfigurationRuleA(
        apply_server_side_encryption_by_default=S3BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultA(
            sse_algorithm="AES256"
        ),
    )
