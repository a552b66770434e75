"""The ledger table the processing handler writes each payment into exactly once."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from handlers.processing import IdempotencyConflictError, process_payment
from tests.conftest import settings_from
from tests.handlers.conftest import FAKE_AWS_ENVIRONMENT
from tests.handlers.payments import valid_event


@pytest.fixture(scope="session")
def ledger(app_stack) -> dict:
    _, table = app_stack.only("aws_dynamodb_table")
    return table


def test_the_ledger_is_named_for_its_environment(ledger):
    assert ledger["name"] == "payment-ledger-qa"


def test_the_ledger_is_keyed_by_payment_id_alone(ledger):
    assert ledger["hash_key"] == "payment_id"
    assert ledger["attribute"] == [{"name": "payment_id", "type": "S"}]
    assert "range_key" not in ledger


def test_the_handler_records_a_payment_once_in_a_table_with_the_synthesized_key_schema(ledger, monkeypatch):
    # Behaviour, not source text: a key the handler does not write fails the PutItem; a condition on an attribute
    # other than the key lets the replay overwrite the record with a new receipt.
    for name, value in FAKE_AWS_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        client = boto3.client("dynamodb", region_name="us-east-1")
        client.create_table(
            TableName="ledger",
            KeySchema=[{"AttributeName": ledger["hash_key"], "KeyType": "HASH"}],
            AttributeDefinitions=[
                {"AttributeName": attribute["name"], "AttributeType": attribute["type"]}
                for attribute in ledger["attribute"]
            ],
            BillingMode=ledger["billing_mode"],
        )
        first = process_payment(valid_event(), client=client, table_name="ledger")
        assert process_payment(valid_event(), client=client, table_name="ledger") == first
        with pytest.raises(IdempotencyConflictError):
            process_payment(valid_event(amount="1.00"), client=client, table_name="ledger")
        items = client.scan(TableName="ledger", ConsistentRead=True)["Items"]
    assert len(items) == 1
    assert items[0][ledger["hash_key"]] == {"S": valid_event()["payment_id"]}


def test_the_ledger_bills_on_demand(ledger):
    assert ledger["billing_mode"] == "PAY_PER_REQUEST"


def test_the_ledger_can_be_restored_to_any_point_in_time(ledger):
    assert ledger["point_in_time_recovery"] == {"enabled": True}


def test_the_ledger_is_encrypted_at_rest(ledger):
    assert ledger["server_side_encryption"]["enabled"] is True


def test_a_non_dev_ledger_is_protected_from_deletion(ledger):
    assert ledger["deletion_protection_enabled"] is True


def test_a_dev_ledger_may_be_deleted_unless_configured_otherwise():
    dev = settings_from({"PAYMENT_ENVIRONMENT": "dev"})
    assert dev.ledger_deletion_protection is False
    assert settings_from({"PAYMENT_ENVIRONMENT": "dev", "PAYMENT_LEDGER_DELETION_PROTECTION": "true"}
                         ).ledger_deletion_protection is True


def test_a_dev_synth_has_an_unprotected_ledger_and_unreserved_functions(dev_synthesized):
    app = dev_synthesized.stack("app")
    _, table = app.only("aws_dynamodb_table")
    assert table["deletion_protection_enabled"] is False
    assert all("reserved_concurrent_executions" not in f for f in app.named("aws_lambda_function").values())
