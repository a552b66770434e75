"""The state machine: its definition (checked by a real ASL validator), logging, tracing and role."""

from __future__ import annotations

import json

import pytest
from statelint.linter import Linter

from payment_constructs.workflow_definition import LAMBDA_TRANSIENT_ERRORS
from tests.synthesized import reference, with_stand_ins

LOG_DELIVERY_ACTIONS = sorted([
    "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
])
XRAY_ACTIONS = sorted(
    ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]
)


@pytest.fixture(scope="session")
def state_machine(app_stack) -> tuple[str, dict]:
    return app_stack.only("aws_sfn_state_machine")


@pytest.fixture(scope="session")
def definition(state_machine) -> dict:
    _, machine = state_machine
    return json.loads(with_stand_ins(machine["definition"]))


@pytest.fixture(scope="session")
def states(definition) -> dict:
    return definition["States"]


@pytest.fixture(scope="session")
def role_policy(app_stack, state_machine) -> dict:
    _, machine = state_machine
    return app_stack.role_policy(machine["role_arn"])[1]


def function_arn_of(app_stack, function_name: str) -> str:
    functions = app_stack.named("aws_lambda_function")
    (tf_name,) = [n for n, f in functions.items() if f["function_name"] == function_name]
    return f"arn:aws:lambda:eu-west-1:111122223333:function:{tf_name}"


def test_the_definition_passes_the_amazon_states_language_validator(state_machine):
    _, machine = state_machine
    assert Linter.validate(with_stand_ins(machine["definition"])) == []


def test_the_validator_would_catch_a_broken_definition(definition):
    broken = json.loads(json.dumps(definition))
    broken["States"]["ValidatePayment"]["Next"] = "NoSuchState"
    assert Linter.validate(broken)


def test_the_state_machine_is_a_standard_workflow_named_for_its_environment(state_machine):
    _, machine = state_machine
    assert machine["name"] == "sfn-payment-workflow-qa"
    assert machine["type"] == "STANDARD"


def test_a_payment_is_validated_then_processed_then_succeeds(states, definition):
    assert definition["StartAt"] == "ValidatePayment"
    assert states["ValidatePayment"]["Next"] == "ProcessPayment"
    assert states["ProcessPayment"]["Next"] == "PaymentProcessed"
    assert states["PaymentProcessed"] == {"Type": "Succeed"}


@pytest.mark.parametrize(
    ("state", "function_name"),
    [("ValidatePayment", "lambda-payment-validation-qa"), ("ProcessPayment", "lambda-payment-processing-qa")],
)
def test_each_task_invokes_its_function_and_passes_on_the_result(states, app_stack, state, function_name):
    task = states[state]
    assert task["Resource"] == "arn:aws:states:::lambda:invoke"
    assert task["Parameters"] == {"FunctionName": function_arn_of(app_stack, function_name), "Payload.$": "$"}
    assert task["OutputPath"] == "$.Payload"


@pytest.mark.parametrize("state", ["ValidatePayment", "ProcessPayment"])
def test_each_task_retries_lambda_transient_errors_with_backoff_and_jitter(states, state):
    (retry,) = states[state]["Retry"]
    assert retry["ErrorEquals"] == [
        "Lambda.ServiceException",
        "Lambda.AWSLambdaException",
        "Lambda.SdkClientException",
        "Lambda.TooManyRequestsException",
    ]
    assert retry["BackoffRate"] > 1
    assert retry["MaxAttempts"] >= 2
    assert retry["JitterStrategy"] == "FULL"


@pytest.mark.parametrize("state", ["ValidatePayment", "ProcessPayment"])
def test_no_task_retries_a_payment_error(states, state):
    retried = {e for r in states[state]["Retry"] for e in r["ErrorEquals"]}
    assert retried == set(LAMBDA_TRANSIENT_ERRORS)


def test_a_rejected_payment_ends_in_the_rejection_fail_state_with_its_cause(states):
    assert states["ValidatePayment"]["Catch"][0] == {
        "ErrorEquals": ["PaymentValidationError"], "ResultPath": "$.error", "Next": "PaymentRejected"
    }
    assert states["PaymentRejected"]["Type"] == "Fail"
    assert states["PaymentRejected"]["Error"] == "PaymentValidationError"
    assert states["PaymentRejected"]["CausePath"] == "$.error.Cause"


@pytest.mark.parametrize("state", ["ValidatePayment", "ProcessPayment"])
def test_any_other_error_ends_in_the_processing_failure_state(states, state):
    last = states[state]["Catch"][-1]
    assert last == {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "ProcessingFailed"}
    assert states["ProcessingFailed"]["Type"] == "Fail"


def test_an_idempotency_conflict_ends_in_the_processing_failure_state(states):
    assert states["ProcessPayment"]["Catch"][0] == {
        "ErrorEquals": ["IdempotencyConflictError"], "ResultPath": "$.error", "Next": "ProcessingFailed"
    }


def test_input_processing_refuses_as_not_validated_ends_in_the_processing_failure_state(states):
    assert states["ProcessPayment"]["Catch"][1] == {
        "ErrorEquals": ["PaymentContractError"], "ResultPath": "$.error", "Next": "ProcessingFailed"
    }
    assert states["ProcessingFailed"]["ErrorPath"] == "$.error.Error"  # the operator sees which refusal it was


def test_each_task_and_the_whole_execution_have_a_timeout(states, definition, app_stack):
    by_name = {f["function_name"]: f for f in app_stack.named("aws_lambda_function").values()}
    validation_timeout = by_name["lambda-payment-validation-qa"]["timeout"]
    processing_timeout = by_name["lambda-payment-processing-qa"]["timeout"]
    assert states["ValidatePayment"]["TimeoutSeconds"] > validation_timeout
    assert states["ProcessPayment"]["TimeoutSeconds"] > processing_timeout
    attempts = states["ProcessPayment"]["Retry"][0]["MaxAttempts"] + 1
    assert definition["TimeoutSeconds"] >= attempts * (
        states["ValidatePayment"]["TimeoutSeconds"] + states["ProcessPayment"]["TimeoutSeconds"]
    )


def test_every_execution_is_logged_to_the_encrypted_vended_logs_group(state_machine, app_stack):
    _, machine = state_machine
    (group,) = [
        n for n, g in app_stack.named("aws_cloudwatch_log_group").items()
        if g["name"] == "/aws/vendedlogs/states/sfn-payment-workflow-qa"
    ]
    logging = machine["logging_configuration"]
    assert logging["log_destination"] == f"${{aws_cloudwatch_log_group.{group}.arn}}:*"
    assert logging["level"] == "ALL"


def test_payment_data_stays_out_of_the_logs(state_machine):
    _, machine = state_machine
    assert machine["logging_configuration"]["include_execution_data"] is False


def test_executions_are_traced(state_machine):
    _, machine = state_machine
    assert machine["tracing_configuration"] == {"enabled": True}


def test_the_state_machine_role_may_deliver_logs_on_star_because_those_apis_take_no_resource(role_policy):
    (delivery,) = [s for s in role_policy["Statement"] if s["Sid"] == "DeliverExecutionLogs"]
    assert sorted(delivery["Action"]) == LOG_DELIVERY_ACTIONS
    assert delivery["Resource"] == "*"


def test_the_state_machine_role_may_write_traces(role_policy):
    (xray,) = [s for s in role_policy["Statement"] if s["Sid"] == "WriteTraces"]
    assert sorted(xray["Action"]) == XRAY_ACTIONS


def test_the_state_machine_may_invoke_exactly_the_payment_functions(role_policy, app_stack):
    (invoke,) = [s for s in role_policy["Statement"] if s["Sid"] == "InvokePaymentFunctions"]
    assert invoke["Action"] == ["lambda:InvokeFunction"]
    assert sorted(invoke["Resource"]) == sorted(
        f"${{aws_lambda_function.{n}.arn}}" for n in app_stack.named("aws_lambda_function")
    )


def test_the_state_machine_role_allows_nothing_else(role_policy):
    assert sorted(s["Sid"] for s in role_policy["Statement"]) == [
        "DeliverExecutionLogs", "EncryptDeliveredLogs", "EncryptExecutionData", "InvokePaymentFunctions", "WriteTraces"
    ]


def test_only_step_functions_of_this_account_may_assume_the_state_machine_role(app_stack, state_machine):
    _, machine = state_machine
    role = app_stack.named("aws_iam_role")[reference(machine["role_arn"]).split(".")[1]]
    (trust,) = json.loads(role["assume_role_policy"])["Statement"]
    assert trust["Principal"] == {"Service": "states.amazonaws.com"}
    assert "aws:SourceAccount" in trust["Condition"]["StringEquals"]
    assert trust["Condition"]["ArnLike"]["aws:SourceArn"].endswith(":stateMachine:sfn-payment-workflow-qa")


def test_the_state_machine_is_created_after_its_role_policy(state_machine, app_stack):
    _, machine = state_machine
    policy_name, _ = app_stack.role_policy(machine["role_arn"])
    assert f"aws_iam_role_policy.{policy_name}" in machine["depends_on"]


def test_outputs_tell_an_operator_what_to_start_and_where_to_look(app_stack):
    outputs = app_stack.document["output"]
    assert set(outputs) >= {
        "state_machine_arn", "validation_function_name", "processing_function_name", "ledger_table_name",
        "validation_log_group", "processing_log_group", "state_machine_log_group",
    }
