"""The library's and the example's session synths, started in the background (tests/conftest.py's STARTERS)."""

from __future__ import annotations

import os
import sys

import cdk_engine
from tests.background import ROOT, BackgroundJob, Jobs, _environment


def start_readme_synth(jobs: Jobs) -> BackgroundJob:
    """The library README's use (tests/encrypted_logs/readme_app.py) into base/library/cdktf.out, on the engine the
    session runs on (`make test-cdktn`: CDK Terrain)."""
    folder = jobs.base / "library"
    command = [sys.executable, "-m", "tests.encrypted_logs.readme_app", str(folder)]
    engine = os.environ.get(cdk_engine.ENV_VAR, cdk_engine.DEFAULT)
    return jobs.start("library_synth", "the library README's app", folder / "cdktf.out", command, ROOT,
                      _environment(None, **{cdk_engine.ENV_VAR: engine}))


def start_wheel_synth(jobs: Jobs) -> BackgroundJob:
    """The audit trail from the library's wheel in a fresh venv (tests/examples/wheel_synth.py): base/wheel/."""
    folder = jobs.base / "wheel"
    command = [sys.executable, "-m", "tests.examples.wheel_synth", str(folder)]
    return jobs.start("wheel_synth", "the audit trail from the library's wheel", folder, command, ROOT,
                      _environment(None))
