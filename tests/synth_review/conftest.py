"""Fixtures of the review tests: fresh, mutable readings of the session's synthesized app, and copies on disk.

Every bad input is the real synthesized JSON with one thing broken, so a rule is proven against the shape cdktf
actually writes, not a hand-made miniature.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from cdktf_out.tree import Block, Stack, SynthesizedApp, load
from synth_review import cli as review_cli
from synth_review.rules import findings

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Reviewed:
    """What one run of the review ended with and printed."""

    returncode: int
    stdout: str
    stderr: str


def review_process(outdir: Path, *args: str, cwd: Path = ROOT, env: Mapping[str, str] | None = None) -> Reviewed:
    """`python -m synth_review` in a process of its own, as a reviewer runs it: for what only a process shows (its
    entry point, its PATH, a signal, the checkout it runs in)."""
    done = subprocess.run([sys.executable, "-m", "synth_review", "--outdir", str(outdir), *args], cwd=cwd,
                          env=None if env is None else dict(env), capture_output=True, text=True, timeout=600,
                          check=False)
    return Reviewed(done.returncode, done.stdout, done.stderr)


def review_in_process(outdir: Path, *args: str) -> Reviewed:
    """The review's main() in this process: the verdict, the output and the exit status a process would give, without
    the start-up of one."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        returncode = review_cli.main(["--outdir", str(outdir), *args])
    return Reviewed(returncode, out.getvalue(), err.getvalue())


@pytest.fixture
def review_app(synthesized) -> SynthesizedApp:
    """The synthesized app, read anew for each test, so a test may change its documents in memory."""
    return load(synthesized.outdir)


@pytest.fixture
def outdir_copy(synthesized, tmp_path: Path) -> Path:
    """A copy of the synthesized cdktf.out that a test may break on disk."""
    return Path(shutil.copytree(synthesized.outdir, tmp_path / "cdktf.out"))


@pytest.fixture(scope="session")
def passing_checkov(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A stand-in for checkov that reports one passed check and no failure, in checkov's JSON shape.

    The real checkov runs once per session, in test_checkov_gate.py (3 s a run); the review's own rules are tested
    with this stand-in so they do not pay for it again.
    """
    import sys

    script = tmp_path_factory.mktemp("checkov") / "checkov"
    report = {
        "check_type": "terraform_json",
        "results": {"passed_checks": [{"file_path": "/stacks/app/cdk.tf.json"}], "failed_checks": []},
        "summary": {"checkov_version": "stand-in"},
    }
    script.write_text(f"#!{sys.executable}\nimport json\nprint(json.dumps({report!r}))\n")
    script.chmod(0o755)
    return script


def rules_failed(app: SynthesizedApp) -> list[str]:
    """The rule ids of every finding of the review's own rules (checkov aside), in the verdict's order."""
    return [finding.rule for finding in findings(app, None, None)]


def first(stack: Stack, block_type: str) -> Block:
    return stack.resources(block_type)[0]


def edit_policy(block: Block, change: Callable[[list[dict[str, Any]]], None]) -> None:
    """Change the statements of a resource's JSON policy in place, as if the construct had written them."""
    policy = json.loads(block.body["policy"])
    change(policy["Statement"])
    block.body["policy"] = json.dumps(policy)


def statement(statements: list[dict[str, Any]], sid: str) -> dict[str, Any]:
    (found,) = [s for s in statements if s.get("Sid") == sid]
    return found


def rewrite_stack(outdir: Path, stack: str, change: Callable[[dict[str, Any]], None]) -> None:
    rewrite_stacks(outdir, lambda documents: change(documents[stack]))


def rewrite_stacks(outdir: Path, change: Callable[[dict[str, dict[str, Any]]], None]) -> None:
    """Change the stacks' documents on disk together, as {stack name: cdk.tf.json}, the way a synth would write them."""
    paths = {path.parent.name: path for path in outdir.glob("stacks/*/cdk.tf.json")}
    documents = {name: json.loads(path.read_text()) for name, path in paths.items()}
    change(documents)
    for name, path in paths.items():
        path.write_text(json.dumps(documents[name], indent=2))
