"""The ledger table the processing handler writes each payment into exactly once."""

from __future__ import annotations

import pytest

from tests.conftest import settings_from, synthesize


@pytest.fixture(scope="session")
def ledger(app_stack) -> dict:
    _, table = app_stack.only("aws_dynamodb_table")
    return table


def test_the_ledger_is_named_for_its_environment(ledger):
    assert ledger["name"] == "payment-ledger-qa"


def test_the_ledger_is_keyed_by_the_attribute_the_handlers_condition_names(ledger):
    import inspect

    import handlers.processing

    assert "attribute_not_exists(payment_id)" in inspect.getsource(handlers.processing)
    assert ledger["hash_key"] == "payment_id"
    assert ledger["attribute"] == [{"name": "payment_id", "type": "S"}]
    assert "range_key" not in ledger


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


def test_a_dev_synth_has_an_unprotected_ledger_and_unreserved_functions(tmp_path):
    dev = settings_from({"PAYMENT_ENVIRONMENT": "dev", "PAYMENT_RESERVED_CONCURRENCY": "0"})
    app = synthesize(dev, tmp_path).stack("app")
    _, table = app.only("aws_dynamodb_table")
    assert table["deletion_protection_enabled"] is False
    assert all("reserved_concurrent_executions" not in f for f in app.named("aws_lambda_function").values())
