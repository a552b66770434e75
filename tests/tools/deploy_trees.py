"""Trees `make deploy` accepts, and a stand-in for terraform that records what it was asked to do.

The probe app (tests/payment_constructs/state_probe_app.py) is wired like the real one from Terraform's built-in
terraform_data, so the deploy tool runs on it end to end; `deployable` stamps and records a passing review as `make
synth` and `make review` would, so each test breaks exactly one thing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import deploy as deploy_tool  # noqa: E402,F401  (tools/deploy.py, a script; the deploy tests use it)
import synth_inputs  # noqa: E402  (a script in tools/, not a package)

from synth_review import verdict  # noqa: E402

# A shell script (no interpreter start-up per call): one line per call, "<stack folder> <arguments>", appended to
# $FAKE_TERRAFORM_LOG; FAKE_TERRAFORM_FAIL=<stack>:<subcommand> makes that call fail; a plan writes its -out file and
# exits $FAKE_TERRAFORM_PLAN_STATUS (2, changes, by default); show prints a plan of one resource to create per stack.
FAKE_TERRAFORM = """#!/bin/sh
stack=$(basename "$PWD")
echo "$stack $*" >> "$FAKE_TERRAFORM_LOG"
[ "$stack:$1" = "${FAKE_TERRAFORM_FAIL:-}" ] && exit 1
case "$1" in
  plan)
    for argument in "$@"; do case "$argument" in -out=*) plan="${argument#-out=}";; esac; done
    mkdir -p "$(dirname "$plan")" && echo "saved plan of $stack" > "$plan"
    exit "${FAKE_TERRAFORM_PLAN_STATUS:-2}";;
  show)
    echo '{"resource_changes": [{"address": "terraform_data.in_'"$stack"'", "change": {"actions": ["create"]}},'
    echo ' {"address": "terraform_data.same", "change": {"actions": ["no-op"]}}]}';;
esac
exit 0
"""


def probe_environment(state_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a probe synth and its deploy share: no PAYMENT_/CDKTF_ settings but these."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_", "AUTO_APPROVE"))}
    env.update({"PAYMENT_STATE_DIR": str(state_dir), "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
                "PYTHONPATH": str(ROOT), "CHECKPOINT_DISABLE": "1", **extra})
    if not os.path.exists(env.get("TF_CLI_CONFIG_FILE", "")):
        env.pop("TF_CLI_CONFIG_FILE", None)
    return env


def synthesize_probe(outdir: Path, env: dict[str, str]) -> Path:
    subprocess.run([sys.executable, "-m", "tests.payment_constructs.state_probe_app"], cwd=outdir.parent, check=True,
                   env={**env, "CDKTF_OUTDIR": str(outdir)}, stdout=subprocess.DEVNULL)
    return outdir


def deployable(outdir: Path, env: dict[str, str], *, passed: bool = True) -> Path:
    """Stamp the tree as `make synth` would, then record the review's verdict on it as `make review` would."""
    synth_inputs.write_stamp(outdir, synth_inputs.fingerprint(outdir, environ=env))
    (outdir / verdict.REVIEW_FOLDER).mkdir(exist_ok=True)
    verdict.record(outdir, verdict.Verdict(verdict.PASS if passed else verdict.FAIL, verdict.tree_digest(outdir),
                                           "whole tree", 0 if passed else 3))
    return outdir


def edit_stack(outdir: Path, stack: str, change: Any) -> None:
    path = outdir / "stacks" / stack / "cdk.tf.json"
    document = json.loads(path.read_text())
    change(document)
    path.write_text(json.dumps(document, indent=2))


def edit_settings_record(outdir: Path, name: str, value: str) -> None:
    path = outdir / "settings.json"
    record = json.loads(path.read_text())
    entries = [s for s in record["settings"] if s["name"] != name]
    record["settings"] = [*entries, {"name": name, "value": value, "origin": "environments/prod.env:3"}]
    path.write_text(json.dumps(record, indent=2))


def fake_terraform(folder: Path) -> tuple[Path, Path]:
    """A `terraform` first on PATH in `folder`, and the log of its calls (absent until it is called)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "terraform"
    script.write_text(FAKE_TERRAFORM)
    script.chmod(0o755)
    return script, folder / "calls.jsonl"


def calls(log: Path) -> list[tuple[str, str]]:
    """(stack, subcommand) of every terraform call, in order; [] when terraform never ran."""
    if not log.exists():
        return []
    return [(stack, arguments[0]) for stack, *arguments in (line.split() for line in log.read_text().splitlines())]


def call_arguments(log: Path) -> list[list[str]]:
    return [line.split()[1:] for line in log.read_text().splitlines()]
