"""What a local execution would page about, read from the synthesized alarms and filters: a rejection never pages,
a processing failure always does."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from local_run.emulator import LocalWorkflow
from local_run.filter_pattern import FilterPattern, UnsupportedPattern
from local_run.signals import Monitoring
from local_run.stack import WorkflowStack
from tests.local_run.payments import good_payment, invalid_payment


def pages(workflow: LocalWorkflow, payment) -> tuple[str, ...]:
    return workflow.pages(workflow.run(payment))


def test_a_rejected_payment_pages_no_one(workflow: LocalWorkflow) -> None:
    assert pages(workflow, invalid_payment()) == ()


def test_a_processed_payment_and_its_replay_page_no_one(workflow: LocalWorkflow) -> None:
    payment = good_payment()
    assert pages(workflow, payment) == ()
    assert pages(workflow, payment) == ()


def test_a_conflicting_replay_pages_as_a_failure_a_conflict_and_a_processing_error(workflow: LocalWorkflow) -> None:
    payment = good_payment()
    workflow.run(payment)
    assert pages(workflow, {**payment, "amount": "999.99"}) == (
        "conflicting-replays", "payments-failed", "processing-errors"
    )


@contextmanager
def environment_changed(workflow: LocalWorkflow, handler_module: str, change) -> Iterator[None]:
    """A function redeployed with `change` applied to its environment, put back afterwards."""
    function = workflow.function_name(handler_module)
    environment = workflow.lambda_client.get_function_configuration(FunctionName=function)["Environment"]["Variables"]
    workflow.lambda_client.update_function_configuration(
        FunctionName=function, Environment={"Variables": change(dict(environment))}
    )
    try:
        yield
    finally:
        workflow.lambda_client.update_function_configuration(
            FunctionName=function, Environment={"Variables": environment}
        )


def test_a_forced_processing_failure_pages(workflow: LocalWorkflow) -> None:
    """The processing function deployed without LEDGER_TABLE: a fault, not anything the payment did."""
    without_ledger = lambda env: {k: v for k, v in env.items() if k != "LEDGER_TABLE"}  # noqa: E731
    with environment_changed(workflow, "handlers.processing", without_ledger):
        assert pages(workflow, good_payment()) == ("payments-failed", "processing-errors")


def test_a_validation_fault_that_is_not_a_rejection_pages(workflow: LocalWorkflow) -> None:
    with environment_changed(workflow, "handlers.validation", lambda env: {**env, "MAX_PAYMENT_AMOUNT": "lots"}):
        assert pages(workflow, good_payment()) == ("payments-failed", "validation-errors")


def test_the_pages_follow_the_synthesized_filters_not_a_list_in_the_local_run(
    workflow: LocalWorkflow, synthesized
) -> None:
    """Point the failure filter at the rejection state, as a careless edit would: rejections then page."""
    document = copy.deepcopy(synthesized.stack("app").document)
    for metric_filter in document["resource"]["aws_cloudwatch_log_metric_filter"].values():
        metric_filter["pattern"] = metric_filter["pattern"].replace("ProcessingFailed", "PaymentRejected")
    outcome = workflow.run(invalid_payment())
    assert workflow.pages(outcome, Monitoring.from_document(document)) == ("payments-failed",)


def test_an_alarm_on_executions_failed_would_page_for_a_rejection(
    workflow: LocalWorkflow, workflow_stack: WorkflowStack, synthesized
) -> None:
    """Why the failure alarm counts the ProcessingFailed state: AWS's ExecutionsFailed counts rejections too."""
    document = copy.deepcopy(synthesized.stack("app").document)
    alarms = document["resource"]["aws_cloudwatch_metric_alarm"]
    (failed,) = [a for a in alarms.values() if a["alarm_name"].endswith("-payments-failed")]
    state_machine = f"${{aws_sfn_state_machine.{workflow_stack.state_machine.resource_id}.arn}}"
    failed.update(namespace="AWS/States", metric_name="ExecutionsFailed", dimensions={"StateMachineArn": state_machine})
    outcome = workflow.run(invalid_payment())
    assert workflow.pages(outcome, Monitoring.from_document(document)) == ("payments-failed",)


@pytest.mark.parametrize("error", ["States.Runtime", "States.DataLimitExceeded"])
def test_an_execution_failing_where_no_catch_can_route_it_pages(workflow_stack: WorkflowStack, error: str) -> None:
    """States.ALL cannot catch these, so the execution fails without entering ProcessingFailed."""
    history = [
        {"type": "TaskStateEntered", "stateEnteredEventDetails": {"name": "ProcessPayment", "input": "{}"}},
        {"type": "ExecutionFailed", "executionFailedEventDetails": {"error": error, "cause": "..."}},
    ]
    monitoring = workflow_stack.monitoring
    seen = monitoring.observe(
        state_machine=f"aws_sfn_state_machine.{workflow_stack.state_machine.resource_id}",
        status="FAILED", history=history, function_logs=[],
    )
    assert monitoring.pages(seen) == ("payments-failed",)


@pytest.mark.parametrize(
    ("pattern", "event", "matches"),
    [
        ('{ $.type = "FailStateEntered" }', {"type": "FailStateEntered"}, True),
        ('{ $.type = "FailStateEntered" }', {"type": "TaskStateEntered"}, False),
        ('{ ($.a = "x") && ($.b.c = "y") }', {"a": "x", "b": {"c": "y"}}, True),
        ('{ ($.a = "x") && ($.b.c = "y") }', {"a": "x", "b": {"c": "z"}}, False),
        ('{ ($.a = "x") || ($.a = "y") }', {"a": "y"}, True),
        ('{ $.errorType = "*" }', {"errorType": "Anything"}, True),
        ('{ $.errorType = "*" }', {"level": "INFO"}, False),
        ('{ $.errorType != "PaymentValidationError" }', {"level": "INFO"}, False),
        ('{ $.errorType != "PaymentValidationError" }', {"errorType": "ValueError"}, True),
        ('{ $.message = "payment*" }', {"message": "payment rejected"}, True),
        ('{ $.details = "x" }', {"details": {"name": "x"}}, False),
    ],
)
def test_a_filter_pattern_matches_json_log_events_as_cloudwatch_logs_does(pattern, event, matches) -> None:
    assert FilterPattern(pattern).matches(event) is matches


@pytest.mark.parametrize("pattern", ["ERROR", '{ $.a > 3 }', '{ ($.a = "x" }', '{ $.a = x }', '{ $.a = "x" && }'])
def test_a_pattern_outside_the_supported_subset_is_refused_not_read_as_no_match(pattern) -> None:
    with pytest.raises(UnsupportedPattern):
        FilterPattern(pattern)
