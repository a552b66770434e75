"""The change review tells the whole consequence: everything Terraform updates because something it reads changes is
listed under the change that causes it, across stacks, and marked in the picture."""

from __future__ import annotations

import json

import pytest

from cdktf_out.tree import SynthesizedApp, load
from synth_review.change.change_report import ChangeReview, render_markdown, render_text
from synth_review.change.change_set import Severity, diff_apps, node_marks
from synth_review.change.findings_delta import compare
from synth_review.report.graph import MARK_STYLES, dot_source
from tests.synth_review.conftest import first

# What reads the ledger's name or ARN in the synthesized app stack.
LEDGER_READERS = {
    "aws_cloudwatch_dashboard", "aws_cloudwatch_metric_alarm", "aws_iam_role_policy", "aws_lambda_function",
}


@pytest.fixture
def base(synthesized) -> SynthesizedApp:
    """The tree before the change."""
    return load(synthesized.outdir)


@pytest.fixture
def head(review_app) -> SynthesizedApp:
    """A fresh reading of the same tree, which each test changes as a commit would."""
    return review_app


def rename_ledger(head: SynthesizedApp) -> str:
    table = first(head.stack("app"), "aws_dynamodb_table")
    table.body["name"] = "payment-records-qa"
    return f"app/{table.address}"


def key(app: SynthesizedApp, alias_part: str):
    (found,) = [k for k in app.stack("encryption").resources("aws_kms_key") if alias_part in k.address]
    return found


def review_of(changes) -> ChangeReview:
    return ChangeReview("base", "head", ("encryption", "app"), tuple(changes), compare([], []), frozenset())


def test_a_ledger_rename_lists_every_reader_of_its_name_or_arn_under_it(base, head):
    ledger = rename_ledger(head)
    changes = diff_apps(base, head)
    followers = {c.subject: c for c in changes if c.cause == ledger}
    names = {subject.split(".")[0] for subject in followers if not subject.startswith("output.")}
    assert names == LEDGER_READERS
    assert sum(1 for s in followers if s.startswith("aws_cloudwatch_metric_alarm.")) == 2
    assert "output.ledger_table_name" in followers
    assert all(c.kind == "dependent" and c.severity is Severity.CHANGED for c in followers.values())
    processing_policy = next(c for s, c in followers.items() if s.startswith("aws_iam_role_policy.processing"))
    assert processing_policy.details == (f"policy reads {ledger.split('/')[1]}.arn",)


def test_the_rename_is_no_longer_one_destructive_change_and_nothing_else(base, head):
    rename_ledger(head)
    summary = render_text(review_of(diff_apps(base, head))).splitlines()[1]
    assert summary.startswith("1 destructive (1 not acknowledged), 0 widening, 0 other replaced, 6 other changes")


def test_the_report_lists_the_readers_under_the_change_that_causes_them_and_not_again(base, head):
    ledger = rename_ledger(head)
    text = render_text(review_of(diff_apps(base, head)))
    block = text[text.index(f"NOT ACKNOWLEDGED: {ledger}"):text.index("=== review findings")]
    assert "then, because they read what this changes (6):" in block
    assert "app/output.ledger_table_name: output changes: it reads " in " ".join(block.split())
    assert "=== stack app ===" not in text, "the readers are listed once, under their cause"
    markdown = render_markdown(review_of(diff_apps(base, head)))
    assert "  - then, because they read what this changes (6):" in markdown


def test_the_picture_colours_the_readers_of_a_change(base, head):
    rename_ledger(head)
    changes = diff_apps(base, head)
    marks = node_marks(changes)
    readers = {node for node, mark in marks.items() if mark == "dependent"}
    assert len(readers) == 6 and "app/output.ledger_table_name" in readers
    source = dot_source(head, marks, base)
    colour, style, prefix = MARK_STYLES["dependent"]
    for node in readers:
        (line,) = [line for line in source.splitlines() if line.strip().startswith(f'"{node}" [')]
        assert f'fillcolor="{colour}"' in line and style in line and f'label="{prefix}' in line


def test_a_replaced_key_reaches_the_app_stack_through_the_output_and_the_remote_state(base, head):
    data_key = key(head, "data_key")
    data_key.body["customer_master_key_spec"] = "RSA_2048"
    cause = f"encryption/{data_key.address}"
    followers = {c.name for c in diff_apps(base, head) if c.cause == cause}
    assert "encryption/output.data_key_arn" in followers
    assert "app/data.aws_kms_key.data_key_check" in followers
    assert {f.split("/")[1].split(".")[0] for f in followers if f.startswith("app/aws_")} >= {
        "aws_dynamodb_table", "aws_lambda_function", "aws_sfn_state_machine", "aws_iam_role_policy"}


def test_a_key_policy_change_reruns_its_wait_but_the_key_arn_passed_on_is_the_same(base, head):
    """The sleep's triggers hash the policy (so it is replaced) and pass the key ARN, which does not change: nothing
    that reads the ARN is listed."""
    logs_key = key(head, "logs_key")
    policy = json.loads(logs_key.body["policy"])
    policy["Statement"] = policy["Statement"][:1]
    logs_key.body["policy"] = json.dumps(policy)
    followers = [c for c in diff_apps(base, head) if c.cause == f"encryption/{logs_key.address}"]
    assert [(c.kind, c.subject.split("_")[0]) for c in followers] == [("replaced", "time")]
