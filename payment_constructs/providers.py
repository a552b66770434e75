"""Providers every stack configures the same way."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.provider import AwsProvider, AwsProviderDefaultTags
from constructs import Construct

from payment_constructs.naming import PROJECT
from payment_constructs.settings import Settings


def aws_provider(scope: Construct, settings: Settings) -> AwsProvider:
    """The AWS provider in the configured region, tagging every resource it creates with who owns it."""
    tags = {"project": PROJECT, "environment": settings.environment, "managed-by": "cdktf"}
    return AwsProvider(scope, "aws", region=settings.region, default_tags=[AwsProviderDefaultTags(tags=tags)])
