"""The library's and the example's session synths, started in the background (tests/conftest.py's STARTERS)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import cdk_engine
from tests.background import ROOT, BackgroundJob, Jobs, _environment, files_key


def start_readme_synth(jobs: Jobs) -> BackgroundJob:
    """The library README's use (tests/encrypted_logs/readme_app.py) into base/library/cdktf.out, on the engine the
    session runs on (`make test-cdktn`: CDK Terrain)."""
    folder = jobs.base / "library"
    command = [sys.executable, "-m", "tests.encrypted_logs.readme_app", str(folder)]
    engine = os.environ.get(cdk_engine.ENV_VAR, cdk_engine.DEFAULT)
    return jobs.start("library_synth", "the library README's app", folder / "cdktf.out", command, ROOT,
                      _environment(None, **{cdk_engine.ENV_VAR: engine}))


SKIPPED = ("__pycache__", "build", "terraform-state")  # what a build, an import or a local deploy leaves behind


def wheel_key(root: Path = ROOT) -> str:
    """What the wheel, its venv and the example's synth are made of: every file of the library and of the example, the
    job's script, the lock its .pth borrows the locked cdktf and providers from, the interpreter and Node."""
    folders = [root / "encrypted_logs", root / "examples" / "audit_trail"]
    files = [path.relative_to(root) for folder in folders for path in folder.rglob("*") if path.is_file()
             and not any(part in SKIPPED or part.endswith(".egg-info") for part in path.relative_to(root).parts)]
    files += [Path("tests") / "examples" / "wheel_synth.py", Path("Pipfile.lock")]
    return files_key(files, tools=(("node", "--version"),), root=root)


def start_wheel_synth(jobs: Jobs) -> BackgroundJob:
    """The audit trail from the library's wheel in a fresh venv (tests/examples/wheel_synth.py): base/wheel/. Kept,
    like the stock synths, by what it is made of (wheel_key): a changed or added library
    file builds, installs and synthesizes again."""
    folder = jobs.base / "wheel"
    command = [sys.executable, "-m", "tests.examples.wheel_synth", str(folder)]
    return jobs.start("wheel_synth", "the audit trail from the library's wheel", folder, command, ROOT,
                      _environment(None), wheel_key())
