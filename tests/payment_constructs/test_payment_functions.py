"""The two payment Lambdas: code, runtime, logging, tracing, and a role that allows only what each handler calls."""

from __future__ import annotations

import json

import pytest

from tests.synthesized import reference

FUNCTIONS = {
    "validation": ("lambda-payment-validation-qa", "handlers.validation.handler"),
    "processing": ("lambda-payment-processing-qa", "handlers.processing.handler"),
}


@pytest.fixture(scope="session")
def functions(app_stack) -> dict[str, tuple[str, dict]]:
    by_name = {f["function_name"]: (tf_name, f) for tf_name, f in app_stack.named("aws_lambda_function").items()}
    return {kind: by_name[name] for kind, (name, _) in FUNCTIONS.items()}


def role_of(app_stack, function: dict) -> tuple[str, dict]:
    role_address = reference(function["role"]).removesuffix(".arn")
    role_name = role_address.split(".")[1]
    return role_name, app_stack.named("aws_iam_role")[role_name]


def policy_of(app_stack, role_name: str) -> dict:
    return app_stack.role_policy(f"${{aws_iam_role.{role_name}.arn}}")[1]


def log_group_named(app_stack, name: str) -> str:
    (tf_name,) = [n for n, g in app_stack.named("aws_cloudwatch_log_group").items() if g["name"] == name]
    return tf_name


def test_there_is_exactly_one_function_per_step(app_stack, steps):
    names = sorted(f["function_name"] for f in app_stack.named("aws_lambda_function").values())
    assert names == sorted(f"lambda-payment-{step}-qa" for step in steps)


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_each_function_runs_its_handler_on_a_supported_python(functions, kind):
    _, function = functions[kind]
    assert function["handler"] == FUNCTIONS[kind][1]
    runtime = function["runtime"]
    assert runtime.startswith("python3.")
    assert int(runtime.removeprefix("python3.")) >= 12


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_each_function_logs_json_to_its_pre_created_encrypted_group(functions, app_stack, kind):
    _, function = functions[kind]
    group = log_group_named(app_stack, f"/aws/lambda/{function['function_name']}")
    assert function["logging_config"]["log_format"] == "JSON"
    assert reference(function["logging_config"]["log_group"]) == f"aws_cloudwatch_log_group.{group}.name"
    assert f"aws_cloudwatch_log_group.{group}" in function["depends_on"]


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_each_function_is_traced_with_xray(functions, kind):
    _, function = functions[kind]
    assert function["tracing_config"] == {"mode": "Active"}


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_each_function_has_a_bounded_timeout_and_memory(functions, kind):
    _, function = functions[kind]
    assert 1 <= function["timeout"] <= 30
    assert 128 <= function["memory_size"] <= 1024


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_each_function_reserves_the_configured_concurrency(functions, settings, kind):
    _, function = functions[kind]
    assert function["reserved_concurrent_executions"] == settings.reserved_concurrency == 7


def test_validation_is_told_the_configured_maximum_amount(functions, settings):
    _, function = functions["validation"]
    assert function["environment"]["variables"] == {"MAX_PAYMENT_AMOUNT": settings.max_payment_amount}


def test_processing_is_told_the_ledger_table_and_the_maximum_it_re_validates_against(functions, app_stack, settings):
    _, function = functions["processing"]
    table_name, _ = app_stack.only("aws_dynamodb_table")
    assert function["environment"]["variables"] == {
        "LEDGER_TABLE": f"${{aws_dynamodb_table.{table_name}.name}}",
        "MAX_PAYMENT_AMOUNT": settings.max_payment_amount,
    }


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_each_function_has_its_own_role_trusted_only_by_lambda(functions, app_stack, kind):
    _, function = functions[kind]
    _, role = role_of(app_stack, function)
    other = "processing" if kind == "validation" else "validation"
    assert role_of(app_stack, functions[other][1])[0] != role_of(app_stack, function)[0]
    assert json.loads(role["assume_role_policy"])["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ]


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_each_function_may_write_only_to_its_own_log_group(functions, app_stack, kind):
    _, function = functions[kind]
    role_name, _ = role_of(app_stack, function)
    group = log_group_named(app_stack, f"/aws/lambda/{function['function_name']}")
    (logs,) = [s for s in policy_of(app_stack, role_name)["Statement"] if s["Sid"] == "WriteOwnLogGroup"]
    assert sorted(logs["Action"]) == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert logs["Resource"] == [f"${{aws_cloudwatch_log_group.{group}.arn}}:*"]


def test_validation_may_do_nothing_but_log_trace_and_read_its_environment(functions, app_stack):
    role_name, _ = role_of(app_stack, functions["validation"][1])
    actions = sorted(a for s in policy_of(app_stack, role_name)["Statement"] for a in s["Action"])
    assert actions == [
        "kms:Decrypt", "logs:CreateLogStream", "logs:PutLogEvents", "xray:PutTelemetryRecords", "xray:PutTraceSegments"
    ]


def test_processing_may_put_and_get_items_of_the_ledger_table_only(functions, app_stack):
    role_name, _ = role_of(app_stack, functions["processing"][1])
    table_name, _ = app_stack.only("aws_dynamodb_table")
    (ledger,) = [s for s in policy_of(app_stack, role_name)["Statement"] if s["Sid"] == "RecordPayment"]
    assert sorted(ledger["Action"]) == ["dynamodb:GetItem", "dynamodb:PutItem"]
    assert ledger["Resource"] == [f"${{aws_dynamodb_table.{table_name}.arn}}"]


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_no_function_role_has_a_wildcard_action_or_a_star_resource_where_one_can_be_named(
    functions, app_stack, kind
):
    role_name, _ = role_of(app_stack, functions[kind][1])
    for statement in policy_of(app_stack, role_name)["Statement"]:
        assert not any("*" in action for action in statement["Action"])
        if statement["Resource"] == "*":
            # X-Ray's write APIs accept no resource ARN: "*" is the only legal value.
            assert statement["Action"] == ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]


@pytest.mark.parametrize("kind", FUNCTIONS)
def test_each_function_waits_for_its_role_policy(functions, app_stack, kind):
    _, function = functions[kind]
    policy_name, _ = app_stack.role_policy(function["role"])
    assert f"aws_iam_role_policy.{policy_name}" in function["depends_on"]
