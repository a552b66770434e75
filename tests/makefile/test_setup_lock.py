"""Two first-time `make deps` at once (two terminals, CI jobs sharing a checkout): the set-up runs once, not twice
into the same folders. The installers are stand-ins that fail, as `npm ci` does, when another one is writing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # make and stand-in installers, as processes

ROOT = Path(__file__).resolve().parents[2]
# Fails when another copy of itself runs (as two `npm ci` into one node_modules do), else records the call.
INSTALLER = """#!/bin/sh
mkdir "$STUB_LOG/$1.running" 2>/dev/null || { echo "$0: another install is writing the same folder" >&2; exit 1; }
echo "$*" >> "$STUB_LOG/$(basename "$0").calls"
if [ "$(basename "$0")" = npm ]; then mkdir -p node_modules; fi
sleep 1
rmdir "$STUB_LOG/$1.running"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The Makefile in an empty checkout, with npm and pipenv replaced by stand-ins (the venv itself exists)."""
    root = tmp_path / "project"
    for name in ("Makefile", "Pipfile.lock", "package-lock.json"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, root / name)
    bin_dir = tmp_path / "bin"
    for path in (bin_dir / "npm", root / ".tools" / "bin" / "pipenv", root / ".venv" / "bin" / "python"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(INSTALLER)
        path.chmod(0o755)
    (tmp_path / "log").mkdir()
    return root


def make_deps(project: Path) -> subprocess.Popen[str]:
    # The default engine's set-up (PAYMENT_CDK_ENGINE=cdktn would add CDK Terrain's category to `make deps`).
    ignored = ("MAKEFLAGS", "MAKELEVEL", "MFLAGS", "PAYMENT_CDK_ENGINE")
    env = {k: v for k, v in os.environ.items() if k not in ignored}
    env.update(PATH=f"{project.parent / 'bin'}:{env['PATH']}", STUB_LOG=str(project.parent / "log"))
    return subprocess.Popen(["make", "--no-print-directory", "-C", str(project), "deps"], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def calls(project: Path, installer: str) -> list[str]:
    log = project.parent / "log" / f"{installer}.calls"
    return log.read_text().splitlines() if log.exists() else []


def test_the_stand_in_installer_fails_when_two_run_at_once(project):
    env = {**os.environ, "STUB_LOG": str(project.parent / "log")}
    both = [subprocess.Popen([str(project.parent / "bin" / "npm"), "ci"], cwd=project, env=env, stderr=subprocess.PIPE)
            for _ in range(2)]
    assert sorted(p.wait() for p in both) == [0, 1]


def test_two_first_time_set_ups_at_once_install_once_and_both_succeed(project):
    first, second = make_deps(project), make_deps(project)
    outputs = [first.communicate(timeout=120)[0], second.communicate(timeout=120)[0]]

    assert [first.returncode, second.returncode] == [0, 0], outputs
    assert calls(project, "npm") == ["ci --no-audit --no-fund --loglevel=error"]
    assert calls(project, "pipenv") == ["sync --dev"]
    assert (project / "node_modules" / ".installed").exists() and (project / ".venv" / ".synced").exists()


def test_a_set_up_already_done_takes_no_lock_and_installs_nothing(project):
    assert make_deps(project).wait(timeout=120) == 0
    lock = project / ".setup.lock"
    lock.unlink()
    assert make_deps(project).wait(timeout=120) == 0
    assert not lock.exists(), "an up-to-date set-up must not even take the lock"
    assert len(calls(project, "npm")) == 1
