"""Slow child processes, started when the session starts so they run on the second core beside the rest.

A stock synth (optimizations off) or a real `cdktf deploy` costs seconds of waiting on a subprocess; started before
the first test and collected by the tests that need them, they cost almost no wall time on a two-core machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CDKTF_CLI = ROOT / "node_modules" / ".bin" / "cdktf"
PROBE_ENVIRONMENT = "probe"


@dataclass
class BackgroundJob:
    label: str
    folder: Path
    process: subprocess.Popen[bytes]

    output: str | None = None
    """What the job printed (stdout and stderr), once outcome() has collected it."""

    def outcome(self, timeout: float = 600) -> Path:
        """The job's folder once it has finished; AssertionError with its output if it failed."""
        if self.output is None:
            self.output = self.process.communicate(timeout=timeout)[0].decode(errors="replace")
        assert self.process.returncode == 0, f"{self.label} failed:\n{self.output[-4000:]}"
        return self.folder


def _environment(state_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_"))}
    env.update({
        "PAYMENT_STATE_DIR": str(state_dir),
        "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
        "CHECKPOINT_DISABLE": "1",
        "CI": "true",
        "PYTHONPATH": str(ROOT),
        **extra,
    })
    if not os.path.exists(env.get("TF_CLI_CONFIG_FILE", "")):
        env.pop("TF_CLI_CONFIG_FILE", None)  # a missing CLI config file only makes Terraform print a warning
    return env


def _start(label: str, folder: Path, command: list[str], cwd: Path, env: dict[str, str]) -> BackgroundJob:
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return BackgroundJob(label, folder, process)


def start_app_synth(label: str, base: Path, *, optimizations: bool, engine: str = "cdktf") -> BackgroundJob:
    """main.py on `engine` into base/<label>/cdktf.out; every such outdir sits at the same depth, so relative state
    paths agree."""
    outdir = base / label / "cdktf.out"
    outdir.parent.mkdir(parents=True)
    env = _environment(base / "state", PAYMENT_SYNTH_OPTIMIZATIONS="on" if optimizations else "off",
                       CDKTF_OUTDIR=str(outdir), PAYMENT_CDK_ENGINE=engine)
    return _start(f"{label} synth", outdir, [sys.executable, str(ROOT / "main.py")], ROOT, env)


def start_probe_deploy(base: Path) -> BackgroundJob:
    """`cdktf deploy encryption app` of tests/payment_constructs/state_probe_app.py in a scratch project under base/deploy, then the
    switch to CDK Terrain and back (tests/payment_constructs/state_probe_deploys.py); state in base/state."""
    project = base / "deploy" / "project"
    project.mkdir(parents=True)
    (project / "cdktf.json").write_text(json.dumps({
        "language": "python",
        "app": f"{sys.executable} -m tests.payment_constructs.state_probe_app",
        "terraformProviders": [],
        "sendCrashReports": "false",
    }))
    command = [sys.executable, "-m", "tests.payment_constructs.state_probe_deploys", str(base / "deploy")]
    env = _environment(base / "state", PAYMENT_ENVIRONMENT=PROBE_ENVIRONMENT)
    return _start("cdktf deploy of the state probe (then the engine switch)", base / "deploy", command, project, env)


def start_review_fixture(base: Path) -> BackgroundJob:
    """tests/synth_review/fixture_repo.py: a git repository of this project with reviewable commits, each synthesized."""
    folder = base / "review-fixture"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_")) and k != "PYTHONPATH"}
    return _start("review fixture repository", folder, [sys.executable, "-m", "tests.synth_review.fixture_repo", str(folder)],
                  ROOT, env)


def start_probe_synth(base: Path) -> BackgroundJob:
    """The same probe run directly, at the same depth as the deploy's project and with the same state folder."""
    outdir = base / "direct" / "project" / "cdktf.out"
    outdir.parent.mkdir(parents=True)
    env = _environment(base / "state", PAYMENT_ENVIRONMENT=PROBE_ENVIRONMENT, CDKTF_OUTDIR=str(outdir))
    return _start("direct synth of the state probe", outdir, [sys.executable, "-m", "tests.payment_constructs.state_probe_app"],
                  outdir.parent, env)
