"""Skips are shown with their reason, and in CI a skip of a test CI relies on fails the run."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REQUIRED_IN_CI, required_in_ci, running_in_ci

ROOT = Path(__file__).resolve().parents[2]
DEPLOY_TESTS = "tests/payment_constructs/test_state_deploy.py"


def pytest_without_terraform(ci: str | None) -> subprocess.CompletedProcess[str]:
    """The deploy tests, on a PATH with no terraform (nor node: the session's background jobs stop at once)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    env["PATH"] = "/nonexistent"
    if ci is not None:
        env["CI"] = ci
    return subprocess.run([sys.executable, "-m", "pytest", DEPLOY_TESTS], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_outside_ci_a_skip_passes_and_its_reason_is_in_the_summary():
    result = pytest_without_terraform(ci=None)
    assert result.returncode == 0, result.stdout
    reasons = [line for line in result.stdout.splitlines() if line.startswith(f"SKIPPED [1] {DEPLOY_TESTS}")]
    assert len(reasons) == 3 and all(line.endswith(": needs `make deps` (cdktf CLI) and terraform") for line in reasons)
    assert "3 skipped" in result.stdout


@pytest.mark.slow
def test_in_ci_a_skip_of_a_test_ci_relies_on_fails_the_run_and_says_why():
    result = pytest_without_terraform(ci="true")
    assert result.returncode == 1, result.stdout
    assert "3 errors" in result.stdout  # skipped while setting up: reported as errors
    assert ("skipped in CI, which provides terraform and the cdktf CLI and relies on this test: "
            "Skipped: needs `make deps` (cdktf CLI) and terraform") in result.stdout


@pytest.mark.parametrize(("value", "ci"), [("true", True), ("1", True), ("yes", True), ("", False), ("false", False),
                                           ("0", False), ("no", False)])
def test_what_counts_as_ci(monkeypatch, value, ci):
    monkeypatch.setenv("CI", value)
    assert running_in_ci() is ci


def test_every_listed_test_exists():
    """A renamed test would otherwise drop out of the list silently."""
    for prefix in REQUIRED_IN_CI:
        path, name = prefix.split("::")
        tree = ast.parse((ROOT / path).read_text())
        tests = [node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("test")]
        assert any(test.startswith(name) for test in tests), f"no test matches {prefix!r}"
    assert required_in_ci(f"{DEPLOY_TESTS}::test_x")
    assert not required_in_ci("tests/payment_settings/test_settings.py::x")
