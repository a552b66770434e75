"""Providers every stack configures the same way."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from constructs import Construct

from payment_constructs.naming import PROJECT
from payment_settings.settings import Settings


def aws_provider(scope: Construct, settings: Settings, region: str | None = None) -> AwsProvider:
    """The AWS provider in the configured region (or `region`), tagging every resource it creates with who owns it."""
    tags = {"project": PROJECT, "environment": settings.environment, "managed-by": "cdktf"}
    # With allowed_account_ids the provider itself refuses credentials of any other account, before it changes
    # anything (AWS provider documentation, "allowed_account_ids"): a deploy cannot land in the wrong account.
    accounts = [settings.aws_account_id] if settings.aws_account_id else None
    return AwsProvider(scope, "aws", region=region or settings.region, default_tags=[AwsProviderDefaultTags(tags=tags)],
                       allowed_account_ids=accounts)
