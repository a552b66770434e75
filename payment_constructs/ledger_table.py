"""The ledger: one item per payment_id, written once by the processing Lambda's conditional PutItem."""

from __future__ import annotations

from cdktf_cdktf_provider_aws.dynamodb_table import (
    DynamodbTable,
    DynamodbTableAttribute,
    DynamodbTablePointInTimeRecovery,
    DynamodbTableServerSideEncryption,
)
from constructs import Construct

LEDGER_PARTITION_KEY = "payment_id"  # the idempotency key the processing handler's condition expression names


class LedgerTable(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, name: str, deletion_protection: bool) -> None:
        super().__init__(scope, construct_id)
        self.table = DynamodbTable(
            self,
            "table",
            name=name,
            # Payments arrive in bursts and are few at rest: on-demand costs nothing idle and never throttles a
            # burst into the Retry path.
            billing_mode="PAY_PER_REQUEST",
            hash_key=LEDGER_PARTITION_KEY,
            attribute=[DynamodbTableAttribute(name=LEDGER_PARTITION_KEY, type="S")],
            point_in_time_recovery=DynamodbTablePointInTimeRecovery(enabled=True),
            server_side_encryption=DynamodbTableServerSideEncryption(enabled=True),
            deletion_protection_enabled=deletion_protection,
        )

    @property
    def arn(self) -> str:
        return self.table.arn

    @property
    def name(self) -> str:
        return self.table.name
