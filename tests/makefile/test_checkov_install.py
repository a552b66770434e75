"""The first `make review` (or `make test`) installs checkov into its own venv, and says so in one line; later runs
say nothing. Python is a stand-in here: the test is about what make prints, not about pip."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # real processes: terraform, make, cdktf

ROOT = Path(__file__).resolve().parents[2]
STAMP = ".tools/checkov/.installed"
# `python3 -m venv DIR` as far as the Makefile needs it: DIR/bin/pip, which installs nothing.
FAKE_PYTHON = """#!/bin/sh
mkdir -p "$3/bin" && printf '#!/bin/sh\\nexit 0\\n' > "$3/bin/pip" && chmod +x "$3/bin/pip"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("Makefile", "tools/checkov-requirements.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, root / name)
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    return root


def install(project: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    done = subprocess.run(["make", "-s", "--no-print-directory", "-C", str(project), STAMP,
                           f"PYTHON={project.parent / 'python3'}"], env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    return done.stdout + done.stderr


def test_the_first_install_of_checkov_is_one_line_naming_the_pinned_version(project: Path) -> None:
    (pinned,) = re.findall(r"^checkov==\S+", (ROOT / "tools/checkov-requirements.txt").read_text(), re.MULTILINE)

    assert install(project).splitlines() == [
        f"installing {pinned} into .tools/checkov/ for the review (first run only, about a minute)"
    ]
    assert (project / STAMP).exists()


def test_a_second_run_installs_nothing_and_says_nothing(project: Path) -> None:
    install(project)

    assert install(project) == ""
