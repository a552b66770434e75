"""`tools/deploy.py` with the real terraform, offline, on the probe app (Terraform's built-in terraform_data): the
saved plan is applied, the app stack reads the encryption stack's state, a second deploy changes nothing, and destroy
empties both states, app first. The runs happen in the background (tests/tools/saved_plan_runs.py)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.payment_constructs.state_probe_app import PUBLISHED, SEEN_OUTPUT

pytestmark = [pytest.mark.slow, pytest.mark.skipif(shutil.which("terraform") is None, reason="needs terraform")]


@pytest.fixture(scope="module")
def runs(background_jobs) -> dict:
    return json.loads((background_jobs["saved_plan_deploy"].outcome() / "runs.json").read_text())


def output(run: dict) -> str:
    return run["stdout"][-3000:] + run["stderr"]


def test_the_saved_plans_are_applied_and_the_app_stack_sees_the_encryption_stacks_value(runs):
    first = runs["first"]
    assert first["status"] == 0, output(first)
    assert runs["deployed"]["app"]["outputs"][SEEN_OUTPUT]["value"] == PUBLISHED
    assert first["stdout"].index("=== deploy stack encryption") < first["stdout"].index("=== deploy stack app")
    assert "Plan of stack app:" in first["stdout"] and "1 to add, 0 to change, 0 to destroy" in first["stdout"]


def test_no_saved_plan_is_left_behind(runs):
    assert runs["plans_left"] == []


def test_a_second_deploy_finds_nothing_to_change(runs):
    again = runs["again"]
    assert again["status"] == 0, output(again)
    assert "stack encryption: no changes" in again["stdout"] and "stack app: no changes" in again["stdout"]


def test_destroy_empties_both_states_app_first(runs):
    destroyed = runs["destroyed"]
    assert destroyed["status"] == 0, output(destroyed)
    out = destroyed["stdout"]
    assert out.index("=== destroy stack app") < out.index("=== destroy stack encryption")
    assert all(runs["after_destroy"][stack]["resources"] == [] for stack in ("encryption", "app"))
