"""The README's migration procedure, run for real on the state probe: CDKTF's state, taken over by CDK Terrain
(driven by the pinned cdktf CLI 0.21.0), and back. tests/payment_constructs/state_probe_deploys.py runs the steps;
these read the record."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.background import CDKTF_CLI
from tests.payment_constructs.state_probe_app import PUBLISHED, SEEN_OUTPUT

pytestmark = [
    pytest.mark.slow,  # cdktf deploy and terraform plan, in the background
    pytest.mark.skipif(not (CDKTF_CLI.exists() and shutil.which("terraform")),
                       reason="needs `make deps` (cdktf CLI) and terraform"),
]

NO_CHANGES = 0  # terraform plan -detailed-exitcode: 0 no change, 1 error, 2 changes


@pytest.fixture(scope="module")
def deployed(background_jobs) -> Path:
    return background_jobs["probe_deploy"].outcome()


@pytest.fixture(scope="module")
def switch(deployed: Path) -> dict[str, Any]:
    return json.loads((deployed / "switch.json").read_text())


def succeeded(step: dict[str, Any]) -> bool:
    return step["returncode"] == 0


def report(step: dict[str, Any]) -> str:
    return f"`{step['command']}` exited {step['returncode']}:\n{step['output']}"


def test_the_cdktf_cli_synthesizes_the_app_on_cdk_terrain_when_the_setting_says_so(switch):
    assert succeeded(switch["cdktn"]["synth"]), report(switch["cdktn"]["synth"])
    assert switch["cdktn"]["engine_version"] == "0.24.0"


@pytest.mark.parametrize("stack", ["encryption", "app"])
def test_switching_to_cdk_terrain_plans_no_change_to_the_state_cdktf_deployed(switch, stack):
    plan = switch["cdktn"]["plans"][stack]
    assert plan["returncode"] == NO_CHANGES, report(plan)


def test_the_cdktf_cli_deploys_the_cdk_terrain_app_and_the_value_still_crosses_the_states(switch, deployed):
    assert succeeded(switch["cdktn"]["deploy"]), report(switch["cdktn"]["deploy"])
    outputs = json.loads((deployed / "outputs-cdktn.json").read_text())
    assert outputs["app"][SEEN_OUTPUT] == PUBLISHED


@pytest.mark.parametrize("stack", ["encryption", "app"])
def test_switching_back_to_cdktf_plans_no_change_either(switch, stack):
    assert switch["back"]["engine_version"] == "0.21.0", report(switch["back"]["synth"])
    plan = switch["back"]["plans"][stack]
    assert plan["returncode"] == NO_CHANGES, report(plan)
