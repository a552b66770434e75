"""The state probe's deploys: `cdktf deploy` with the default engine, then the README's engine switch on that state.

Run by tests/background.py as `python -m tests.payment_constructs.state_probe_deploys FOLDER` in FOLDER/project
(its cdktf.json runs tests/payment_constructs/state_probe_app.py), with the probe's settings in the environment:

1. `cdktf deploy encryption app` (CDKTF)                              -> FOLDER/outputs.json; exit 1 if it fails
2. PAYMENT_CDK_ENGINE=cdktn: `cdktf synth`, `terraform plan` of each stack against the state step 1 wrote, then
   `cdktf deploy --skip-synth` of that synth                          -> FOLDER/outputs-cdktn.json
3. back to cdktf: `cdktf synth`, `terraform plan` of each stack       (the way back)

Steps 2 and 3 are recorded, not asserted, in FOLDER/switch.json (tests/cdk_engine/test_engine_switch.py reads it), so a
broken switch fails those tests and leaves the plain deploy's tests to say what they see.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.background import CDKTF_CLI

STACKS = ("encryption", "app")
TIMEOUT_SECONDS = 300


def _run(command: list[str], cwd: Path, engine: str) -> dict[str, Any]:
    done = subprocess.run(command, cwd=cwd, env={**os.environ, "PAYMENT_CDK_ENGINE": engine},
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=TIMEOUT_SECONDS, check=False)
    return {"command": " ".join(command[1:]), "returncode": done.returncode,
            "output": done.stdout.decode(errors="replace")[-3000:]}


def _plans(project: Path, engine: str) -> dict[str, dict[str, Any]]:
    """`terraform plan -detailed-exitcode` of each synthesized stack: 0 no change, 2 changes, 1 an error."""
    plans = {}
    for stack in STACKS:
        folder = project / "cdktf.out" / "stacks" / stack
        init = _run(["terraform", "init", "-input=false", "-no-color"], folder, engine)
        plans[stack] = init if init["returncode"] else _run(
            ["terraform", "plan", "-input=false", "-lock=false", "-no-color", "-detailed-exitcode"], folder, engine
        )
    return plans


def _switch_to(engine: str, project: Path, folder: Path, deploy: bool) -> dict[str, Any]:
    step: dict[str, Any] = {"synth": _run([str(CDKTF_CLI), "synth"], project, engine)}
    if step["synth"]["returncode"]:
        return step
    step["engine_version"] = json.loads((project / "cdktf.out" / "manifest.json").read_text())["version"]
    step["plans"] = _plans(project, engine)
    if deploy:
        step["deploy"] = _run([str(CDKTF_CLI), "deploy", *STACKS, "--auto-approve", "--skip-synth",
                               "--outputs-file", str(folder / f"outputs-{engine}.json")], project, engine)
    return step


def main(folder: Path) -> int:
    project = folder / "project"
    first = _run([str(CDKTF_CLI), "deploy", *STACKS, "--auto-approve", "--outputs-file",
                  str(folder / "outputs.json")], project, "cdktf")
    if first["returncode"]:
        print(first["output"])
        return 1
    switch = {"cdktn": _switch_to("cdktn", project, folder, deploy=True),
              "back": _switch_to("cdktf", project, folder, deploy=False)}
    (folder / "switch.json").write_text(json.dumps(switch, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
