"""The synthesized state machine, run on moto with the packaged handlers: what happens to a payment."""

from __future__ import annotations

import dataclasses
import io
import json
import uuid
import zipfile
from collections.abc import Iterator

import pytest

from cdktf_out.expressions import has_interpolation
from local_run.emulator import LocalWorkflow
from local_run.stack import WorkflowStack
from tests.local_run.payments import good_payment, invalid_payment

RETRIED_LAMBDA_ERROR = "Lambda.TooManyRequestsException"


def test_a_good_payment_reaches_the_success_state_with_a_receipt(workflow: LocalWorkflow) -> None:
    payment = good_payment()

    outcome = workflow.run(payment)

    assert outcome.status == "SUCCEEDED"
    assert outcome.path == ("ValidatePayment", "ProcessPayment", "PaymentProcessed")
    assert outcome.output["payment_id"] == payment["payment_id"]
    assert outcome.output["status"] == "PROCESSED"
    assert outcome.output["transaction_id"].startswith("txn_")


def test_an_invalid_payment_ends_in_the_rejection_state_having_caught_the_validation_error(
    workflow: LocalWorkflow,
) -> None:
    outcome = workflow.run(invalid_payment())

    assert outcome.status == "FAILED"
    assert outcome.path == ("ValidatePayment", "PaymentRejected")
    assert outcome.error == "PaymentValidationError"
    # The cause is the Lambda error payload the Catch received, passed on by CausePath.
    assert json.loads(outcome.cause)["errorType"] == "PaymentValidationError"


def test_a_replay_returns_the_same_receipt_and_adds_no_ledger_item(workflow: LocalWorkflow) -> None:
    payment = good_payment()
    first = workflow.run(payment)
    items_after_first = len(workflow.ledger_items())

    replay = workflow.run(payment)

    assert replay.path == first.path
    assert replay.output == first.output
    assert len(workflow.ledger_items()) == items_after_first


def test_a_conflicting_replay_ends_in_the_processing_failure_state(workflow: LocalWorkflow) -> None:
    payment = good_payment()
    workflow.run(payment)

    outcome = workflow.run({**payment, "amount": "999.99"})

    assert outcome.path == ("ValidatePayment", "ProcessPayment", "ProcessingFailed")
    assert outcome.error == "IdempotencyConflictError"


def test_a_transient_lambda_error_is_retried_and_then_succeeds(workflow: LocalWorkflow) -> None:
    processing = workflow.function_name("handlers.processing")
    workflow.router.fail_next_invocations(processing, "TooManyRequestsException", times=1)
    waits_before = len(workflow.retry_waits.requested)

    outcome = workflow.run(good_payment())

    assert outcome.status == "SUCCEEDED"
    assert [str(step) for step in outcome.steps] == ["ValidatePayment", "ProcessPayment ×2", "PaymentProcessed"]
    assert len(workflow.retry_waits.requested) == waits_before + 1


def test_a_lambda_error_that_outlasts_the_retries_ends_in_the_processing_failure_state(
    workflow: LocalWorkflow,
) -> None:
    validation = workflow.function_name("handlers.validation")
    retrier = workflow.definition["States"]["ValidatePayment"]["Retry"][0]
    attempts = 1 + retrier["MaxAttempts"]
    workflow.router.fail_next_invocations(validation, "TooManyRequestsException", times=attempts)

    outcome = workflow.run(good_payment())

    assert outcome.steps[0].attempts == attempts
    assert outcome.end_state == "ProcessingFailed"
    assert outcome.error == RETRIED_LAMBDA_ERROR


@pytest.fixture
def renamed_validation_error(workflow: LocalWorkflow) -> Iterator[str]:
    """Deploy the validation package with PaymentValidationError renamed, as a careless refactor would."""
    function = workflow.function_name("handlers.validation")
    original_zip = _deployed_zip(workflow, function)
    renamed = "InvalidPaymentError"
    workflow.lambda_client.update_function_code(FunctionName=function, ZipFile=_rename_error(original_zip, renamed))
    yield renamed
    workflow.lambda_client.update_function_code(FunctionName=function, ZipFile=original_zip)


def test_renaming_the_validation_error_class_sends_invalid_payments_past_the_rejection_state(
    workflow: LocalWorkflow, renamed_validation_error: str
) -> None:
    outcome = workflow.run(invalid_payment())

    # The Catch matches on the class name, so the rejection test above would now fail.
    assert outcome.path == ("ValidatePayment", "ProcessingFailed")
    assert outcome.error == renamed_validation_error


def test_the_state_machine_runs_the_synthesized_definition_with_references_resolved(
    workflow: LocalWorkflow, workflow_stack: WorkflowStack
) -> None:
    deployed = workflow.stepfunctions.describe_state_machine(stateMachineArn=workflow.state_machine_arn)
    definition = json.loads(deployed["definition"])
    synthesized = json.loads(workflow_stack.state_machine.definition)

    assert not has_interpolation(deployed["definition"])
    assert definition["States"].keys() == synthesized["States"].keys()
    assert definition["States"]["ValidatePayment"]["Retry"] == synthesized["States"]["ValidatePayment"]["Retry"]
    assert definition["States"]["ValidatePayment"]["Parameters"]["FunctionName"].endswith(
        ":function:" + workflow.function_name("handlers.validation")
    )


def test_the_processing_function_writes_to_the_ledger_table_the_stack_names(workflow: LocalWorkflow) -> None:
    configuration = workflow.lambda_client.get_function_configuration(
        FunctionName=workflow.function_name("handlers.processing")
    )

    assert configuration["Environment"]["Variables"]["LEDGER_TABLE"] == workflow.table_name


def _deployed_zip(workflow: LocalWorkflow, function: str) -> bytes:
    spec = next(spec for spec in workflow.stack.functions if workflow.function_names[spec.resource_id] == function)
    return spec.zip_path.read_bytes()


def _rename_error(package: bytes, new_name: str) -> bytes:
    # An alias keeps processing.py's import working; only the raised class's name changes.
    source = io.BytesIO(package)
    target = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as renamed:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "handlers/validation.py":
                text = data.decode().replace("class PaymentValidationError(", f"class {new_name}(")
                data = (text + f"\n\nPaymentValidationError = {new_name}\n").encode()
            renamed.writestr(info, data)
    return target.getvalue()


# --- processing trusts nothing: a caller that skips validation ----------------------------------------------------

MALFORMED_FOR_PROCESSING = {
    "negative-amount": {"amount": "-1.00"},
    "amount-abc": {"amount": "abc"},
    "unknown-currency": {"currency": "XYZ"},
    "payer-is-payee": {"payee": {"account_id": "acct_local_payer"}, "payer": {"account_id": "acct_local_payer"}},
    "raw-pan-in-metadata": {"metadata": {"note": "card 4111*1111*1111*1111"}},
    "usd-amount-with-three-decimals": {"amount": "125.500"},
}


@pytest.mark.parametrize("overrides", MALFORMED_FOR_PROCESSING.values(), ids=MALFORMED_FOR_PROCESSING.keys())
def test_the_deployed_processing_function_invoked_directly_records_nothing_malformed(
    workflow: LocalWorkflow, overrides: dict
) -> None:
    payment = good_payment(**overrides)

    response = workflow.lambda_client.invoke(
        FunctionName=workflow.function_name("handlers.processing"), Payload=json.dumps(payment).encode()
    )

    assert response["FunctionError"] == "Unhandled"
    assert json.loads(response["Payload"].read())["errorType"] == "PaymentContractError"
    assert not [item for item in workflow.ledger_items() if item["payment_id"]["S"] == payment["payment_id"]]


@pytest.fixture
def workflow_without_validation(workflow: LocalWorkflow) -> LocalWorkflow:
    """The synthesized definition started at ProcessPayment, as a second caller or a wrong InputPath would feed it."""
    definition = {**workflow.definition, "StartAt": "ProcessPayment"}
    arn = workflow.stepfunctions.create_state_machine(
        name=f"skip-validation-{uuid.uuid4().hex[:8]}",
        definition=json.dumps(definition),
        roleArn=workflow.stepfunctions.describe_state_machine(stateMachineArn=workflow.state_machine_arn)["roleArn"],
    )["stateMachineArn"]
    return dataclasses.replace(workflow, state_machine_arn=arn)


def test_a_payment_processing_refuses_ends_in_the_processing_failure_state_with_its_error(
    workflow_without_validation: LocalWorkflow,
) -> None:
    payment = good_payment(amount="125.5")

    outcome = workflow_without_validation.run(payment)

    assert outcome.path == ("ProcessPayment", "ProcessingFailed")
    assert outcome.error == "PaymentContractError"
    assert not [
        item for item in workflow_without_validation.ledger_items() if item["payment_id"]["S"] == payment["payment_id"]
    ]
