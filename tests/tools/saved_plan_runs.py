"""The probe app deployed with `tools/deploy.py` and the real terraform, offline: deploy, deploy again, destroy.

Run by tests/background.py as `python -m tests.tools.saved_plan_runs FOLDER` while the session's other tests run;
FOLDER/runs.json records each run (status, output) and the states after the first deploy and after destroy, for
tests/tools/test_saved_plan_deploy.py to read.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.tools.deploy_trees import ROOT, deployable, probe_environment, synthesize_probe

STACKS = ("encryption", "app")


def _deploy(command: str, outdir: Path, env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "deploy.py"), command, "--outdir", str(outdir)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    return {"status": done.returncode, "stdout": done.stdout[-6000:], "stderr": done.stderr[-3000:]}


def _states(folder: Path) -> dict[str, Any]:
    return {stack: json.loads((folder / "dev" / f"{stack}.tfstate").read_text()) for stack in STACKS
            if (folder / "dev" / f"{stack}.tfstate").exists()}


def main(base: Path) -> int:
    folder = base / "state"
    env = probe_environment(folder, AUTO_APPROVE="1", CONFIRM_ENVIRONMENT="dev")
    outdir = deployable(synthesize_probe(base / "cdktf.out", env), env)
    runs: dict[str, Any] = {"first": _deploy("deploy", outdir, env), "deployed": _states(folder)}
    runs["again"] = _deploy("deploy", outdir, env)
    runs["destroyed"] = _deploy("destroy", outdir, env)
    runs["after_destroy"] = _states(folder)
    runs["plans_left"] = [str(p) for p in outdir.glob("stacks/*/.terraform/deploy.tfplan")]
    (base / "runs.json").write_text(json.dumps(runs, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
