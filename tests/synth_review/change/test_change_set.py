"""The change review's diff engine, on the real synthesized JSON with one thing changed in the head.

Each test reads the session's synthesized app twice (base and head), edits the head in memory as a commit would
have changed the synthesized output, and checks what the review says, word for word where a reviewer relies on it.
"""

from __future__ import annotations

import json

import pytest

from cdktf_out.tree import Block, SynthesizedApp, load
from synth_review.change.change_set import Change, Severity, diff_apps, node_marks
from tests.synth_review.conftest import edit_policy, first, statement

LOGS_STATEMENT = "CloudWatchLogsEncryptsWorkflowLogGroups"
CONTEXT_KEY = "kms:EncryptionContext:aws:logs:arn"


@pytest.fixture
def base(synthesized) -> SynthesizedApp:
    return load(synthesized.outdir)


@pytest.fixture
def head(synthesized) -> SynthesizedApp:
    return load(synthesized.outdir)


def logs_key(app: SynthesizedApp) -> Block:
    (key,) = [k for k in app.stack("encryption").resources("aws_kms_key") if LOGS_STATEMENT in k.body["policy"]]
    return key


def machine(app: SynthesizedApp) -> Block:
    return first(app.stack("app"), "aws_sfn_state_machine")


def edit_definition(app: SynthesizedApp, change) -> None:
    block = machine(app)
    definition = json.loads(block.body["definition"])
    change(definition)
    block.body["definition"] = json.dumps(definition)


def only(changes: list[Change], severity: Severity | None = None) -> Change:
    chosen = [c for c in changes if severity is None or c.severity is severity]
    assert len(chosen) == 1, [f"{c.severity.name} {c.name}: {c.headline}" for c in changes]
    return chosen[0]


def everything_said(changes: list[Change]) -> list[str]:
    return [line for c in changes for line in (c.headline, *c.details)]


def test_two_readings_of_the_same_synth_differ_in_nothing(base, head):
    assert diff_apps(base, head) == []


def test_the_post_mortem_mistake_reads_as_the_logs_condition_removed_from_its_statement(base, head):
    def drop_condition(statements):
        del statement(statements, LOGS_STATEMENT)["Condition"]

    edit_policy(logs_key(head), drop_condition)
    changes = diff_apps(base, head)
    widened = only(changes, Severity.WIDENED)
    assert widened.headline.startswith(f"condition `{CONTEXT_KEY}` removed from {LOGS_STATEMENT}")
    assert widened.name == f"encryption/{logs_key(head).address}.policy"
    assert not [c for c in changes if c.severity is Severity.DESTRUCTIVE]


def test_a_key_policy_change_replaces_the_propagation_sleep_that_hashes_it_and_nothing_stateful(base, head):
    def drop_condition(statements):
        del statement(statements, LOGS_STATEMENT)["Condition"]

    edit_policy(logs_key(head), drop_condition)
    replaced = only(diff_apps(base, head), Severity.REPLACED)
    assert replaced.subject.startswith("time_sleep.logs_key")
    assert f"{logs_key(head).address}.policy changes" in replaced.details[0]


def test_one_condition_value_removed_is_named_and_does_not_widen(base, head):
    def narrow(statements):
        values = statement(statements, LOGS_STATEMENT)["Condition"]["ArnEquals"][CONTEXT_KEY]
        values.pop()

    edit_policy(logs_key(head), narrow)
    changes = diff_apps(base, head)
    assert not [c for c in changes if c.severity is Severity.WIDENED]
    said = everything_said(changes)
    assert any(f"condition `{CONTEXT_KEY}` of {LOGS_STATEMENT}: value `arn:<partition>:logs:" in line
               and line.endswith("removed") for line in said)


def test_an_action_added_to_a_role_policy_widens_it(base, head):
    policies = head.stack("app").resources("aws_iam_role_policy")
    role_policy = next(b for b in policies if "RecordPayment" in b.body["policy"])
    edit_policy(role_policy, lambda s: statement(s, "RecordPayment")["Action"].append("dynamodb:DeleteItem"))
    widened = only(diff_apps(base, head), Severity.WIDENED)
    assert widened.headline == "action `dynamodb:DeleteItem` added to RecordPayment"


def test_the_ledger_renamed_is_a_destructive_replacement_citing_its_source(base, head):
    table = first(head.stack("app"), "aws_dynamodb_table")
    old_name = table.body["name"]
    table.body["name"] = "payment-records-qa"
    destructive = only(diff_apps(base, head), Severity.DESTRUCTIVE)
    assert destructive.name == f"app/{table.address}"
    assert destructive.headline.startswith('REPLACED ("payment-records-qa"): the table and every item in it')
    assert destructive.details[0] == (f'name "{old_name}" -> "payment-records-qa" forces replacement '
                                      "(hashicorp/aws schema dynamodb/table.go: ForceNew)")


def test_the_ledger_under_a_new_address_is_a_destructive_removal_that_suggests_a_moved_block(base, head):
    tables = head.stack("app").document["resource"]["aws_dynamodb_table"]
    (old_address,) = tables
    tables["ledger_records_0123ABCD"] = tables.pop(old_address)
    changes = diff_apps(base, head)
    destructive = only(changes, Severity.DESTRUCTIVE)
    assert destructive.subject == f"aws_dynamodb_table.{old_address}"
    assert destructive.headline.startswith("REMOVED")
    assert "add a `moved` block from" in destructive.details[0]
    assert any(c.subject == "aws_dynamodb_table.ledger_records_0123ABCD" and c.kind == "added" for c in changes)


def test_a_moved_block_keeps_the_ledger_under_its_new_address(base, head):
    tables = head.stack("app").document["resource"]["aws_dynamodb_table"]
    (old_address,) = tables
    tables["ledger_records_0123ABCD"] = tables.pop(old_address)
    head.stack("app").document["moved"] = [{"from": f"aws_dynamodb_table.{old_address}",
                                            "to": "aws_dynamodb_table.ledger_records_0123ABCD"}]
    change = only(diff_apps(base, head))
    assert change.severity is Severity.CHANGED
    assert change.headline == f"moved from aws_dynamodb_table.{old_address} (a `moved` block)"


def test_a_log_group_removed_is_destructive(base, head):
    groups = head.stack("app").document["resource"]["aws_cloudwatch_log_group"]
    address = next(iter(groups))
    groups.pop(address)
    destructive = only(diff_apps(base, head), Severity.DESTRUCTIVE)
    assert destructive.subject == f"aws_cloudwatch_log_group.{address}"
    assert "every log event in it are deleted" in destructive.headline


def test_a_log_group_retention_change_is_an_update_in_place(base, head):
    group = first(head.stack("app"), "aws_cloudwatch_log_group")
    before = group.body["retention_in_days"]
    group.body["retention_in_days"] = 731
    change = only(diff_apps(base, head))
    assert (change.severity, change.headline.split(" (")[0]) == (Severity.CHANGED, "updated in place")
    assert change.details == (f"retention_in_days: {before} -> 731",)


def test_point_in_time_recovery_turned_off_on_the_ledger_is_a_weakening(base, head):
    table = first(head.stack("app"), "aws_dynamodb_table")
    table.body["point_in_time_recovery"]["enabled"] = False
    widened = only(diff_apps(base, head), Severity.WIDENED)
    assert widened.name == f"app/{table.address}.point_in_time_recovery.enabled"
    assert widened.headline == "point-in-time recovery turned off: true -> false"


def test_tracing_turned_off_on_a_function_is_a_weakening(base, head):
    function = first(head.stack("app"), "aws_lambda_function")
    function.body["tracing_config"]["mode"] = "PassThrough"
    widened = only(diff_apps(base, head), Severity.WIDENED)
    assert widened.headline == 'X-Ray tracing turned off: "Active" -> "PassThrough"'


def test_a_changed_retry_reads_as_the_state_and_the_field(base, head):
    edit_definition(head, lambda d: d["States"]["ValidatePayment"]["Retry"][0].update(MaxAttempts=5))
    change = only(diff_apps(base, head))
    assert change.details == ("definition: ValidatePayment: Retry [Lambda.ServiceException +3 more] "
                              "MaxAttempts: 3 -> 5",)


def test_a_catch_routed_elsewhere_reads_as_a_route_change(base, head):
    def reroute(definition):
        definition["States"]["ValidatePayment"]["Catch"][0]["Next"] = "ProcessingFailed"

    edit_definition(head, reroute)
    (line,) = only(diff_apps(base, head)).details
    assert line == ("definition: ValidatePayment: route catch PaymentValidationError now leads to ProcessingFailed "
                    "(was PaymentRejected)")


def test_a_state_added_and_routed_to_is_listed_with_its_routes(base, head):
    def add_audit(definition):
        states = definition["States"]
        states["AuditPayment"] = {"Type": "Pass", "Next": "PaymentProcessed"}
        states["ProcessPayment"]["Next"] = "AuditPayment"

    edit_definition(head, add_audit)
    assert only(diff_apps(base, head)).details == (
        "definition: state AuditPayment added (Pass): routes next -> PaymentProcessed",
        "definition: ProcessPayment: route next now leads to AuditPayment (was PaymentProcessed)",
    )


def test_a_state_removed_is_listed(base, head):
    edit_definition(head, lambda d: d["States"].pop("PaymentRejected"))
    assert "definition: state PaymentRejected removed (was Fail)" in only(diff_apps(base, head)).details


def test_a_new_function_is_added_and_not_destructive(base, head):
    functions = head.stack("app").document["resource"]["aws_lambda_function"]
    template = next(iter(functions.values()))
    functions["refunds_function_0A1B2C3D"] = {**template, "function_name": "lambda-payment-refunds-qa"}
    change = only(diff_apps(base, head))
    assert (change.severity, change.kind) == (Severity.CHANGED, "added")
    assert change.headline == 'added ("lambda-payment-refunds-qa")'


def test_a_function_renamed_is_replaced_but_not_destructive(base, head):
    function = first(head.stack("app"), "aws_lambda_function")
    function.body["function_name"] += "-v2"
    replaced = [c for c in diff_apps(base, head) if c.subject == function.address]
    assert [(c.severity, c.kind) for c in replaced] == [(Severity.REPLACED, "replaced")]


def test_a_moved_local_state_is_destructive_and_loud(base, head):
    backend = head.stack("encryption").document["terraform"]["backend"]["local"]
    backend["path"] = backend["path"].replace(".tfstate", "-v2.tfstate")
    changes = diff_apps(base, head)
    destructive = only(changes, Severity.DESTRUCTIVE)
    assert destructive.name == "encryption/backend"
    assert "a moved state is a lost state" in destructive.headline


def test_the_same_relative_state_path_in_a_tree_synthesized_elsewhere_is_no_change(synthesized, tmp_path):
    """The base is synthesized in a worktree in another folder: a path that reaches the same file relative to its
    own project is the same state."""
    import shutil

    trees = [shutil.copytree(synthesized.outdir, tmp_path / folder / "cdktf.out") for folder in ("worktree", "here")]
    assert diff_apps(load(trees[0]), load(trees[1])) == []


def test_a_provider_region_change_is_destructive(base, head):
    head.stack("app").document["provider"]["aws"][0]["region"] = "eu-central-1"
    destructive = only(diff_apps(base, head), Severity.DESTRUCTIVE)
    assert destructive.name == "app/provider.aws"
    assert destructive.headline.startswith('region changed ("eu-west-1" -> "eu-central-1"): every resource')


def test_default_tags_changed_are_listed_in_place(base, head):
    head.stack("app").document["provider"]["aws"][0]["default_tags"][0]["tags"]["owner"] = "payments"
    change = only(diff_apps(base, head))
    assert (change.severity, change.subject, change.headline) == (Severity.CHANGED, "provider.aws",
                                                                 "provider settings changed")


def test_a_provider_version_change_is_listed(base, head):
    """The version the engine pinned (CDKTF and CDK Terrain pin different ones), moved one minor version on."""
    aws = head.stack("app").document["terraform"]["required_providers"]["aws"]
    pinned = aws["version"]
    major, minor, _ = pinned.split(".")
    aws["version"] = moved = f"{major}.{int(minor) + 1}.0"
    change = only(diff_apps(base, head))
    assert change.details == (f'terraform.required_providers.aws.version: "{pinned}" -> "{moved}"',)


def test_an_s3_bucket_change_moves_the_state(base, head):
    for app in (base, head):
        app.stack("app").document["terraform"]["backend"] = {
            "s3": {"bucket": "acme-state", "key": "payment-workflow/qa/app.tfstate", "region": "eu-west-1"}}
    head.stack("app").document["terraform"]["backend"]["s3"]["bucket"] = "acme-state-2"
    assert only(diff_apps(base, head), Severity.DESTRUCTIVE).name == "app/backend"


def test_an_output_value_changed_is_listed(base, head):
    outputs = head.stack("app").outputs()
    name = next(iter(outputs))
    outputs[name]["value"] = "${aws_dynamodb_table.other.arn}"
    change = only(diff_apps(base, head))
    assert (change.subject, change.headline) == (f"output.{name}", "output changed")


def test_the_encryption_output_no_longer_read_through_the_sleep_is_a_cross_stack_change(base, head):
    output = head.stack("encryption").outputs()["logs_key_arn"]
    key = logs_key(head)
    output["value"] = f"${{{key.address}.arn}}"
    subjects = {c.subject for c in diff_apps(base, head)}
    assert {"output.logs_key_arn", "reads encryption.output.logs_key_arn"} <= subjects


def test_a_stack_removed_from_the_app_is_destructive(base, head):
    from cdktf_out.tree import SynthesizedApp as App

    only_encryption = App(head.outdir, tuple(s for s in head.stacks if s.name == "encryption"))
    destructive = only(diff_apps(base, only_encryption), Severity.DESTRUCTIVE)
    assert destructive.name == "app/stack"


def test_the_picture_marks_added_removed_replaced_and_changed_blocks(base, head):
    table = first(head.stack("app"), "aws_dynamodb_table")
    table.body["name"] = "payment-records-qa"
    group = first(head.stack("app"), "aws_cloudwatch_log_group")
    group.body["retention_in_days"] = 731
    marks = node_marks(diff_apps(base, head))
    own = {node: mark for node, mark in marks.items() if mark != "dependent"}
    assert own == {f"app/{table.address}": "replaced", f"app/{group.address}": "changed"}
