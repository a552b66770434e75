"""The ledger: one item per payment_id, written once by the processing Lambda's conditional PutItem."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTablePointInTimeRecovery,
    DynamodbTableServerSideEncryption,
)
from constructs import Construct

from handlers.contract import LEDGER_KEY
from payment_constructs.aws_context import AwsContext
from payment_constructs.iam import Statement, allow
from payment_constructs.metrics import DYNAMODB, Metric

# The only operations the processing function performs on the ledger (its IAM policy allows no others).
OPERATIONS = ("PutItem", "GetItem")


class LedgerTable(Construct):
    def __init__(
        self, scope: Construct, construct_id: str, *, name: str, deletion_protection: bool, kms_key_arn: str
    ) -> None:
        super().__init__(scope, construct_id)
        self.table = DynamodbTable(
            self,
            "table",
            name=name,
            # Payments arrive in bursts and are few at rest: on-demand costs nothing idle and never throttles a
            # burst into the Retry path.
            billing_mode="PAY_PER_REQUEST",
            hash_key=LEDGER_KEY,  # the idempotency key of the processing handler's conditional write
            attribute=[DynamodbTableAttribute(name=LEDGER_KEY, type="S")],
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
            server_side_encryption=DynamodbTableServerSideEncryption(enabled=True, kms_key_arn=kms_key_arn),
            deletion_protection_enabled=deletion_protection,
        )

    @property
    def arn(self) -> str:
        return self.table.arn

    @property
    def name(self) -> str:
        return self.table.name

    def metric(self, name: str, operation: str | None = None) -> Metric:
        """One of DynamoDB's metrics for this table; the per-request ones (ThrottledRequests, ...) per operation."""
        return Metric(DYNAMODB, name, {"TableName": self.name, **({"Operation": operation} if operation else {})})


def ledger_key_use(ctx: AwsContext, kms_key_arn: str) -> Statement:
    """What a reader or writer of a table encrypted with a customer key needs of the key, and only via DynamoDB.

    DynamoDB calls KMS on the caller's behalf (DynamoDB developer guide, "Authorizing use of your customer managed
    key"): kms:ViaService keeps the grant from being usable anywhere but through DynamoDB in this region.
    """
    return allow(
        "UseDataKeyThroughDynamoDB",
        ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"],
        [kms_key_arn],
        {"StringEquals": {"kms:ViaService": f"dynamodb.{ctx.region}.{ctx.dns_suffix}"}},
    )
