"""A synthesized policy made concrete: its placeholders bound to one account, partition and region.

The review reads `${data.aws_caller_identity...}`, `${data.aws_region...}` and `${data.aws_partition...}` as
`<account>`, `<region>`, `<partition>` and `<dns_suffix>` (cdktf_out/placeholders.py). To evaluate a request
they must be values: this account is THIS_ACCOUNT in the provider's region, and the "another account / another
region" requests bind other values, so a condition that names the wrong account or region is seen to fail. Any
other interpolation left in a policy has no value the review can know: the policy cannot be evaluated.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from cdktf_out.expressions import UnresolvedInterpolationError, render
from synth_review.access.conditions import PolicyError

THIS_ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
DEFAULT_REGION = "us-east-1"
OTHER_REGIONS = ("eu-west-1", "us-west-2", "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1")
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


class UnboundReference(PolicyError):
    """A policy refers to a value only Terraform will know (another resource's attribute, a variable)."""


@dataclass(frozen=True)
class Binding:
    account: str = THIS_ACCOUNT
    region: str = DEFAULT_REGION
    partition: str = "aws"

    @classmethod
    def for_region(cls, region: str | None) -> Binding:
        """This account in a provider's region, in the partition that region belongs to."""
        region = region or DEFAULT_REGION
        partition = "aws-cn" if region.startswith("cn-") else "aws-us-gov" if region.startswith("us-gov-") else "aws"
        return cls(region=region, partition=partition)

    @property
    def dns_suffix(self) -> str:
        return "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"

    @property
    def other_account(self) -> Binding:
        return dataclasses.replace(self, account=OTHER_ACCOUNT if self.account != OTHER_ACCOUNT else THIS_ACCOUNT)

    @property
    def other_region(self) -> Binding:
        """Another region of the same partition."""
        return dataclasses.replace(self, region=next(
            r for r in OTHER_REGIONS if r != self.region and Binding.for_region(r).partition == self.partition))

    @property
    def key_arn(self) -> str:
        return self.arn("kms", f"key/{KEY_ID}")

    @property
    def root(self) -> str:
        return f"arn:{self.partition}:iam::{self.account}:root"

    def arn(self, service: str, resource: str) -> str:
        return f"arn:{self.partition}:{service}:{self.region}:{self.account}:{resource}"

    def text(self, text: str) -> str:
        """A string in placeholder form (`arn:<partition>:logs:<region>:<account>:...`) with this binding's values."""
        return (text.replace("<partition>", self.partition).replace("<dns_suffix>", self.dns_suffix)
                .replace("<region>", self.region).replace("<account>", self.account))


def bound(value: Any, binding: Binding) -> Any:
    """A parsed policy (placeholder form) with every string bound; UnboundReference if Terraform must fill one in."""
    if isinstance(value, str):
        try:
            return binding.text(render(value, {}))  # `$${` is a literal `${`
        except UnresolvedInterpolationError as left:
            raise UnboundReference(f"the policy refers to {left.text}, a value the review cannot know before apply") \
                from None
    if isinstance(value, dict):
        return {key: bound(item, binding) for key, item in value.items()}
    if isinstance(value, list):
        return [bound(item, binding) for item in value]
    return value
