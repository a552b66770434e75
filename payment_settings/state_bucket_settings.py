"""Which bucket `make bootstrap-state` creates, decided from the settings before cdktf loads."""

from __future__ import annotations

import sys
from dataclasses import dataclass

from payment_constructs.naming import Names
from payment_settings.settings import S3BackendSettings, Settings

EXIT_BAD_SETTINGS = 2


@dataclass(frozen=True)
class StateBucket:
    name: str
    region: str


def state_bucket_for(settings: Settings) -> StateBucket:
    """The bucket the S3 backend settings name; else one named after the environment, account and region."""
    backend = settings.backend
    if isinstance(backend, S3BackendSettings):
        return StateBucket(backend.bucket, backend.region)
    if settings.aws_account_id is None:
        raise ValueError(
            "make bootstrap-state needs a bucket name: set PAYMENT_AWS_ACCOUNT_ID (the bucket is then named "
            "payment-state-<environment>-<account>-<region>), or PAYMENT_STATE_BACKEND=s3 with PAYMENT_STATE_BUCKET"
        )
    return StateBucket(Names(settings.environment).state_bucket(settings.aws_account_id, settings.region),
                       settings.region)


def state_bucket_or_exit(settings: Settings) -> StateBucket:
    try:
        return state_bucket_for(settings)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_SETTINGS) from None
