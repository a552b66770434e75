"""Adding a step is one FunctionSpec in WORKFLOW_STEPS (docs/changing.md): everything that depends on the list follows.

The app is synthesized a second time with a step appended to WORKFLOW_STEPS, as the recipe says; the key policy, the
log groups, the roles, the state machine's definition, the outputs, the alarms and the dashboard must all include it
without any other change, and the review must still pass it. The step's handler module need not exist for synthesis
(the package is handlers/ as it is); a real one is a module in handlers/ with its tests.
"""

from __future__ import annotations

import json

import pytest

from cdktf_out.tree import Stack, SynthesizedApp
from synth_review.rules import findings
from synth_review.rules.key_policy_rules import logs_key_policy_problems
from tests.conftest import synthesize
from tests.session_synths import fast_path
from tests.synthesized import reference

pytestmark = pytest.mark.engine  # the app with a third step is synthesized in this process, on the session's engine
STEP = "notification"
STATE = "NotifyPayer"
FUNCTION = "lambda-payment-notification-qa"
LOG_GROUP = f"/aws/lambda/{FUNCTION}"
TIMEOUT = 15


@pytest.fixture(scope="module")
def steps_before() -> tuple[str, ...]:
    with fast_path():  # the step list imports the provider
        from payment_constructs.workflow_steps import WORKFLOW_STEPS

    return tuple(spec.step for spec in WORKFLOW_STEPS)


@pytest.fixture(scope="module")
def three_steps(settings, tmp_path_factory: pytest.TempPathFactory) -> SynthesizedApp:
    from handlers.contract import RoutedError

    with fast_path():  # the step list imports the provider
        from payment_constructs import workflow_steps
        from payment_constructs.payment_function import FunctionSpec
        from payment_constructs.workflow_definition import PROCESSING_FAILED

    # The recipe, as docs/changing.md writes it: one FunctionSpec, and its place in WORKFLOW_STEPS. It routes an
    # error, as a step that records payments would.
    notification = FunctionSpec(
        step=STEP,
        state=STATE,
        handler="handlers.notification.handler",
        description="Tells the payer their payment was recorded",
        timeout_seconds=TIMEOUT,
        routes=((RoutedError.IDEMPOTENCY_CONFLICT, PROCESSING_FAILED),),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(workflow_steps, "WORKFLOW_STEPS", (*workflow_steps.WORKFLOW_STEPS, notification))
        return synthesize(settings, tmp_path_factory.mktemp("three-steps"))


@pytest.fixture(scope="module")
def app(three_steps: SynthesizedApp) -> Stack:
    return three_steps.stack("app")


@pytest.fixture(scope="module")
def definition(app: Stack) -> dict:
    _, machine = app.only("aws_sfn_state_machine")
    return json.loads(machine["definition"])


def function_named(app: Stack, name: str) -> tuple[str, dict]:
    (found,) = [(n, f) for n, f in app.named("aws_lambda_function").items() if f["function_name"] == name]
    return found


def test_the_key_policy_serves_the_new_functions_log_group(three_steps, log_group_names):
    encryption = three_steps.stack("encryption")
    _, key = encryption.key_by_alias("alias/payment-workflow-logs-qa")
    groups = (*log_group_names[:-1], LOG_GROUP, log_group_names[-1])
    assert logs_key_policy_problems(key["policy"], groups) == []
    statements = json.loads(key["policy"])["Statement"]
    (logs,) = [s for s in statements if s["Sid"] == "CloudWatchLogsEncryptsWorkflowLogGroups"]
    arns = logs["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"]
    assert [arn.split(":log-group:")[1] for arn in arns] == list(groups)


def test_the_app_stack_creates_the_new_log_group_encrypted_and_waiting_like_the_others(app, log_group_names):
    groups = {g["name"]: g for g in app.named("aws_cloudwatch_log_group").values()}
    assert sorted(groups) == sorted([*log_group_names, LOG_GROUP])
    new, existing = groups[LOG_GROUP], groups[log_group_names[0]]
    assert {k: new[k] for k in ("kms_key_id", "retention_in_days", "depends_on")} == {
        k: existing[k] for k in ("kms_key_id", "retention_in_days", "depends_on")
    }


def test_the_new_function_has_its_own_role_writing_only_to_its_own_log_group(app):
    _, function = function_named(app, FUNCTION)
    role_name = reference(function["role"]).split(".")[1]
    assert app.named("aws_iam_role")[role_name]["name"] == f"{FUNCTION}-role"
    _, policy = app.role_policy(function["role"])
    (logs,) = [s for s in policy["Statement"] if s["Sid"] == "WriteOwnLogGroup"]
    (group,) = [n for n, g in app.named("aws_cloudwatch_log_group").items() if g["name"] == LOG_GROUP]
    assert logs["Resource"] == [f"${{aws_cloudwatch_log_group.{group}.arn}}:*"]
    assert function["timeout"] == TIMEOUT


def test_the_state_machine_may_invoke_the_new_function(app):
    _, machine = app.only("aws_sfn_state_machine")
    _, policy = app.role_policy(machine["role_arn"])
    (invoke,) = [s for s in policy["Statement"] if s["Sid"] == "InvokePaymentFunctions"]
    tf_name, _ = function_named(app, FUNCTION)
    assert f"${{aws_lambda_function.{tf_name}.arn}}" in invoke["Resource"]
    assert len(invoke["Resource"]) == len(app.named("aws_lambda_function"))


def test_the_definition_runs_the_new_step_last_with_the_same_retries_and_catch_all(app, definition):
    states = definition["States"]
    assert states["ProcessPayment"]["Next"] == STATE
    task = states[STATE]
    tf_name, _ = function_named(app, FUNCTION)
    assert task["Parameters"]["FunctionName"] == f"${{aws_lambda_function.{tf_name}.arn}}"
    assert task["Next"] == "PaymentProcessed"
    assert task["Retry"] == states["ValidatePayment"]["Retry"]
    assert task["Catch"] == [
        {"ErrorEquals": ["IdempotencyConflictError"], "ResultPath": "$.error", "Next": "ProcessingFailed"},
        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "ProcessingFailed"},
    ]
    assert task["TimeoutSeconds"] > TIMEOUT


def test_the_execution_timeout_grows_to_cover_the_new_step(app_stack, definition):
    _, two_step_machine = app_stack.only("aws_sfn_state_machine")
    before = json.loads(two_step_machine["definition"])["TimeoutSeconds"]
    attempts = definition["States"][STATE]["Retry"][0]["MaxAttempts"] + 1
    assert definition["TimeoutSeconds"] >= before + attempts * definition["States"][STATE]["TimeoutSeconds"]


def test_the_review_passes_the_three_step_workflow(three_steps):
    assert [finding.line() for finding in findings(three_steps, None, None)] == []


def test_the_new_function_and_its_log_group_are_outputs(app):
    outputs = app.outputs()
    assert reference(outputs[f"{STEP}_function_name"]["value"]).endswith(".function_name")
    assert reference(outputs[f"{STEP}_log_group"]["value"]).endswith(".name")


def test_the_new_function_gets_its_own_alarms_on_the_alerts_topic(app: Stack):
    name, _ = function_named(app, FUNCTION)
    (topic, _) = app.only("aws_sns_topic")
    alarms = {a["alarm_name"]: a for a in app.named("aws_cloudwatch_metric_alarm").values()}
    for what in ("errors", "throttles", "duration-near-timeout"):
        alarm = alarms[f"payment-workflow-qa-{STEP}-{what}"]
        assert alarm["dimensions"] == {"FunctionName": f"${{aws_lambda_function.{name}.function_name}}"}
        assert alarm["alarm_actions"] == alarm["ok_actions"] == [f"${{aws_sns_topic.{topic}.arn}}"]
    assert alarms[f"payment-workflow-qa-{STEP}-duration-near-timeout"]["threshold"] == 0.8 * TIMEOUT * 1000


def test_the_alert_rules_pass_the_three_step_app(three_steps):
    from cdktf_out.tree import load
    from synth_review.rules.alert_rules import alert_findings

    assert alert_findings(load(three_steps.outdir)) == []


def test_the_new_steps_conflicting_replays_count_into_the_one_conflict_alarm(app: Stack):
    (group,) = [n for n, g in app.named("aws_cloudwatch_log_group").items() if g["name"] == LOG_GROUP]
    counters = [f for f in app.named("aws_cloudwatch_log_metric_filter").values() if f["name"] == "ConflictingReplays"]
    assert f"${{aws_cloudwatch_log_group.{group}.name}}" in {f["log_group_name"] for f in counters}
    assert len(counters) == 2  # processing's and the new step's
    names = [a["alarm_name"] for a in app.named("aws_cloudwatch_metric_alarm").values()]
    assert names.count("payment-workflow-qa-conflicting-replays") == 1


def test_the_dashboard_graphs_the_new_functions_errors_and_duration(app: Stack):
    name, _ = function_named(app, FUNCTION)
    _, dashboard = app.only("aws_cloudwatch_dashboard")
    graphed = json.dumps(json.loads(dashboard["dashboard_body"])["widgets"][1:])
    assert graphed.count(f"${{aws_lambda_function.{name}.function_name}}") == 2


def test_the_step_list_is_as_it_was_after_the_recipe_ran(three_steps, steps_before):
    from payment_constructs.workflow_steps import WORKFLOW_STEPS

    assert tuple(spec.step for spec in WORKFLOW_STEPS) == steps_before
