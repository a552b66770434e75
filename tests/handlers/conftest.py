"""Fixtures for the Lambda handler tests: fake AWS and an in-process ledger table.

One moto mock and one client serve a whole test module (starting them costs
~0.1 s each); every test still gets a table of its own, dropped afterwards.
"""

from __future__ import annotations

import functools
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.dynamodb.models.table import Table

from handlers import processing

FAKE_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@dataclass(frozen=True)
class Ledger:
    """The ledger table a test's handler writes to, and a way to look inside it."""

    client: Any
    table_name: str

    def items(self) -> list[dict[str, Any]]:
        return self.client.scan(TableName=self.table_name, ConsistentRead=True)["Items"]

    def count(self) -> int:
        """How many payments the ledger holds, without reading them back (cheap enough for a property test)."""
        return self.client.scan(TableName=self.table_name, ConsistentRead=True, Select="COUNT")["Count"]

    def record(self, payment_id: str) -> dict[str, Any]:
        key = {"payment_id": {"S": payment_id}}
        item = self.client.get_item(TableName=self.table_name, Key=key, ConsistentRead=True)["Item"]
        return processing._from_dynamodb(item)


def _atomic(put_item: Any) -> Any:
    """DynamoDB evaluates a write's condition and applies the write as one step; moto's in-process table checks
    then writes with no lock, so two threads can both pass attribute_not_exists. Restore the service's guarantee,
    so the concurrency test tests the handler, not moto."""
    lock = threading.Lock()

    @functools.wraps(put_item)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return put_item(*args, **kwargs)

    return locked


@pytest.fixture(scope="module")
def dynamodb() -> Iterator[Any]:
    """A DynamoDB client served by moto, with fake credentials so nothing reaches AWS."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in FAKE_AWS_ENVIRONMENT.items():
            env.setenv(name, value)
        env.delenv("AWS_PROFILE", raising=False)
        env.setattr(Table, "put_item", _atomic(Table.put_item))
        with mock_aws():
            yield boto3.client("dynamodb", region_name="us-east-1")


@pytest.fixture
def ledger(dynamodb: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Ledger]:
    """A fresh ledger table wired into processing.handler as LEDGER_TABLE would be in Lambda."""
    table_name = f"ledger-{uuid.uuid4().hex[:12]}"
    dynamodb.create_table(
        TableName=table_name,
        AttributeDefinitions=[{"AttributeName": "payment_id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "payment_id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    monkeypatch.setenv("LEDGER_TABLE", table_name)
    monkeypatch.delenv("MAX_PAYMENT_AMOUNT", raising=False)  # the handler's default ceiling, whatever the shell says
    monkeypatch.setattr(processing, "_dynamodb_client", lambda: dynamodb)
    yield Ledger(dynamodb, table_name)
    dynamodb.delete_table(TableName=table_name)


# The labelled corpus's first texts of every class (tests/handlers/card_corpus.py): generated once per session.
CARD_CORPUS_SLICE_PER_CLASS = 10


@pytest.fixture(scope="session")
def card_corpus_slice() -> list[Any]:
    from tests.handlers.card_corpus import corpus

    return list(corpus(CARD_CORPUS_SLICE_PER_CLASS, CARD_CORPUS_SLICE_PER_CLASS))
