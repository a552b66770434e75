"""The library's and the example's session synths, started in the background (tests/conftest.py's STARTERS)."""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path

import cdk_engine
from tests.background import ROOT, BackgroundJob, Jobs, _environment, files_key
from tests.examples import wheel_synth


def start_readme_synth(jobs: Jobs) -> BackgroundJob:
    """The library README's use (tests/encrypted_logs/readme_app.py) into base/library/cdktf.out, on the engine the
    session runs on (`make test-cdktn`: CDK Terrain)."""
    folder = jobs.base / "library"
    command = [sys.executable, "-m", "tests.encrypted_logs.readme_app", str(folder)]
    engine = os.environ.get(cdk_engine.ENV_VAR, cdk_engine.DEFAULT)
    return jobs.start("library_synth", "the library README's app", folder / "cdktf.out", command, ROOT,
                      _environment(None, **{cdk_engine.ENV_VAR: engine}))


def wheel_key(root: Path = ROOT) -> str:
    """What the wheel, its venv and the example's synth are made of: every file wheel_synth copies out of the library
    and the example, the job's script, the lock its .pth borrows the locked cdktf and providers from, the interpreter
    and Node."""
    files = []
    for folder, left_out in wheel_synth.LEFT_OUT.items():
        source = root / folder.relative_to(ROOT)
        files += [path.relative_to(root) for path in source.rglob("*") if path.is_file() and not any(
            fnmatch.fnmatch(part, pattern) for part in path.relative_to(source).parts for pattern in left_out)]
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
