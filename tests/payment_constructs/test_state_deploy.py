"""`cdktf deploy encryption app` with the local backend, for real, on stacks Terraform can apply offline."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.background import CDKTF_CLI, PROBE_ENVIRONMENT
from tests.payment_constructs.state_probe_app import PUBLISHED, SEEN_OUTPUT

pytestmark = [
    pytest.mark.slow,  # cdktf deploy, in the background
    pytest.mark.skipif(not (CDKTF_CLI.exists() and shutil.which("terraform")),
                       reason="needs `make deps` (cdktf CLI) and terraform"),
]


@pytest.fixture(scope="module")
def deployed(background_jobs):
    return background_jobs["probe_deploy"].outcome()


def test_cdktf_deploy_passes_a_value_from_the_encryption_state_to_the_app_stack(deployed):
    outputs = json.loads((deployed / "outputs.json").read_text())
    assert outputs["app"][SEEN_OUTPUT] == PUBLISHED


def test_each_stack_state_is_one_file_outside_cdktf_out(deployed):
    state_files = sorted(p.name for p in (deployed.parent / "state" / PROBE_ENVIRONMENT).iterdir())
    assert state_files == ["app.tfstate", "encryption.tfstate"]
    in_outdir = [p for p in (deployed / "project" / "cdktf.out").rglob("*.tfstate") if ".terraform" not in p.parts]
    assert not in_outdir, "state must not live inside cdktf.out, which synth rewrites"


def test_running_the_app_directly_writes_what_the_cdktf_cli_writes(deployed, background_jobs):
    """make synth runs main.py itself instead of `cdktf synth`; the CLI adds nothing to what the app writes."""
    direct = background_jobs["probe_synth"].outcome()
    via_cli = deployed / "project" / "cdktf.out"
    documents = ["manifest.json", "stacks/encryption/cdk.tf.json", "stacks/app/cdk.tf.json"]
    for document in documents:
        assert (via_cli / document).read_bytes() == (direct / document).read_bytes(), document
