"""Every entry of the forces-replacement table makes the change review report a replacement, and only those do.

The table (synth_review/change/replacement.py) is the review's knowledge of the AWS and time providers; each entry is
held here against the review's behaviour, so an entry cannot be listed and ignored, or dropped unnoticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cdktf_out.tree import Stack, SynthesizedApp
from synth_review.change.change_set import Severity, diff_apps
from synth_review.change.replacement import FORCES_REPLACEMENT, STATEFUL, UPDATED_IN_PLACE, ForcesReplacement, knows

# Every resource type this project synthesizes; the table must speak for each (tests/synth_review: no type unlisted).
PROJECT_TYPES = {"aws_dynamodb_table", "aws_kms_key", "aws_kms_alias", "aws_cloudwatch_log_group",
                 "aws_sfn_state_machine", "aws_lambda_function", "aws_iam_role", "aws_iam_role_policy", "time_sleep"}


def one_resource_app(resource_type: str, body: dict) -> SynthesizedApp:
    document = {"resource": {resource_type: {"it": body}}}
    return SynthesizedApp(Path("cdktf.out"), (Stack("app", document, Path("cdktf.out/stacks/app"), ()),))


def changed(entry: ForcesReplacement):
    base = one_resource_app(entry.resource_type, {entry.attribute: "before", "tags": {"a": "b"}})
    head = one_resource_app(entry.resource_type, {entry.attribute: "after", "tags": {"a": "b"}})
    return diff_apps(base, head)


@pytest.mark.parametrize("entry", FORCES_REPLACEMENT, ids=lambda e: f"{e.resource_type}.{e.attribute}")
def test_a_change_of_each_listed_attribute_is_reported_as_a_replacement_with_its_source(entry):
    (change,) = changed(entry)
    assert change.kind == "replaced"
    assert change.details[0].startswith(f'{entry.attribute} "before" -> "after" forces replacement ({entry.source})')


@pytest.mark.parametrize("entry", FORCES_REPLACEMENT, ids=lambda e: f"{e.resource_type}.{e.attribute}")
def test_a_replacement_fails_the_review_exactly_when_the_type_holds_state(entry):
    (change,) = changed(entry)
    expected = Severity.DESTRUCTIVE if entry.resource_type in STATEFUL else Severity.REPLACED
    assert change.severity is expected


@pytest.mark.parametrize("entry", FORCES_REPLACEMENT, ids=lambda e: f"{e.resource_type}.{e.attribute}")
def test_every_entry_cites_the_provider_documentation_or_schema(entry):
    assert entry.source.startswith(("hashicorp/aws docs ", "hashicorp/aws schema ", "hashicorp/time docs"))


@pytest.mark.parametrize("resource_type", sorted(PROJECT_TYPES))
def test_every_resource_type_the_project_deploys_has_an_entry(resource_type):
    assert any(e.resource_type == resource_type for e in FORCES_REPLACEMENT)


def test_the_project_deploys_no_resource_type_the_table_does_not_know(synthesized):
    from cdktf_out.tree import load

    deployed = {b.type for stack in load(synthesized.outdir).stacks for b in stack.resources()}
    unknown = {t for t in deployed if not knows(t)}
    assert unknown == set(), "add each new type's replacing attributes to synth_review/change/replacement.py"


@pytest.mark.parametrize("resource_type", sorted(UPDATED_IN_PLACE))
def test_a_type_that_updates_everything_in_place_is_known_and_never_replaced(resource_type):
    (change,) = changed(ForcesReplacement(resource_type, "name", "-"))
    assert (change.severity, change.kind) == (Severity.CHANGED, "changed")
    assert knows(resource_type)


@pytest.mark.parametrize(("resource_type", "attribute"), [
    ("aws_dynamodb_table", "billing_mode"), ("aws_dynamodb_table", "deletion_protection_enabled"),
    ("aws_kms_key", "policy"), ("aws_kms_key", "description"), ("aws_kms_key", "deletion_window_in_days"),
    ("aws_cloudwatch_log_group", "retention_in_days"), ("aws_cloudwatch_log_group", "kms_key_id"),
    ("aws_sfn_state_machine", "definition"), ("aws_lambda_function", "timeout"), ("aws_kms_alias", "target_key_id"),
    ("time_sleep", "create_duration"),
])
def test_an_attribute_updated_in_place_is_not_a_replacement(resource_type, attribute):
    (change,) = changed(ForcesReplacement(resource_type, attribute, "-"))
    assert (change.severity, change.kind) == (Severity.CHANGED, "changed")


def test_a_change_to_a_type_the_table_does_not_know_is_never_called_in_place():
    (change,) = changed(ForcesReplacement("aws_cloudwatch_composite_alarm", "alarm_name", "-"))
    assert change.severity is Severity.REPLACED
    assert change.headline.startswith("updated, perhaps REPLACED")


@pytest.mark.parametrize("resource_type", sorted(STATEFUL))
def test_removing_a_stateful_resource_is_destructive(resource_type):
    base = one_resource_app(resource_type, {"name": "x"})
    head = SynthesizedApp(Path("cdktf.out"), (Stack("app", {}, Path("cdktf.out/stacks/app"), ()),))
    (change,) = diff_apps(base, head)
    assert (change.severity, change.kind) == (Severity.DESTRUCTIVE, "removed")
