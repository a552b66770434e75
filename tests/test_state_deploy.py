"""`cdktf deploy encryption app` with the local backend, for real, on stacks Terraform can apply offline."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.state_probe_app import PUBLISHED

ROOT = Path(__file__).resolve().parent.parent
CDKTF = ROOT / "node_modules" / ".bin" / "cdktf"

pytestmark = pytest.mark.skipif(
    not (CDKTF.exists() and shutil.which("terraform")), reason="needs `make deps` (cdktf CLI) and terraform"
)


def test_cdktf_deploy_passes_a_value_from_the_encryption_state_to_the_app_stack(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    state_dir = tmp_path / "state"
    (project / "cdktf.json").write_text(json.dumps({
        "language": "python",
        "app": f"{sys.executable} -m tests.state_probe_app",
        "terraformProviders": [],
        "sendCrashReports": "false",
    }))
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PAYMENT_STATE_DIR": str(state_dir),
        "PAYMENT_ENVIRONMENT": "probe",
        "CHECKPOINT_DISABLE": "1",
        "CI": "1",
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
    }
    if not os.path.exists(env.get("TF_CLI_CONFIG_FILE", "")):
        env.pop("TF_CLI_CONFIG_FILE", None)  # a missing CLI config file only makes Terraform print a warning
    deployed = subprocess.run(
        [str(CDKTF), "deploy", "encryption", "app", "--auto-approve", "--outputs-file", str(tmp_path / "out.json")],
        cwd=project, env=env, capture_output=True, text=True, timeout=300,
    )
    assert deployed.returncode == 0, deployed.stdout[-3000:] + deployed.stderr[-3000:]

    outputs = json.loads((tmp_path / "out.json").read_text())
    assert outputs["app"]["seen_key_arn"] == PUBLISHED
    assert sorted(p.name for p in (state_dir / "probe").iterdir()) == ["app.tfstate", "encryption.tfstate"]
    in_outdir = [p for p in (project / "cdktf.out").rglob("*.tfstate") if ".terraform" not in p.parts]
    assert not in_outdir, "state must not live inside cdktf.out, which synth rewrites"
