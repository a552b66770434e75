"""Slow integration: the fast path synthesizes byte-identical Terraform JSON to stock CDKTF."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]
SMALL_APP = HERE / "synth_small_app.py"


def start_synth(outdir: Path, switch: str) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PAYMENT_SYNTH_OPTIMIZATIONS"] = switch
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    env.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    return subprocess.Popen(
        [sys.executable, str(SMALL_APP), str(outdir)],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> dict[str, object]:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    return json.loads(stdout.strip().splitlines()[-1])


def stack_files(outdir: Path) -> dict[str, bytes]:
    return {str(path.relative_to(outdir)): path.read_bytes() for path in sorted(outdir.glob("stacks/*/cdk.tf.json"))}


@pytest.mark.slow
def test_slow_integration_fast_path_synthesizes_byte_identical_stacks(tmp_path: Path) -> None:
    # Both run at once: the stock run dominates the wall time (~15-20 s) either way.
    stock_process = start_synth(tmp_path / "stock", "off")
    fast_process = start_synth(tmp_path / "fast", "on")
    stock, fast = finish(stock_process), finish(fast_process)

    assert stock["optimized"] is False
    assert fast["optimized"] is True
    assert stock["aws_submodules_imported"] > 1000  # the stock import loads every resource
    assert fast["aws_submodules_imported"] < 20  # the fast path loaded only what the app uses

    stock_stacks, fast_stacks = stack_files(tmp_path / "stock"), stack_files(tmp_path / "fast")
    assert sorted(stock_stacks) == ["stacks/keys/cdk.tf.json", "stacks/logs/cdk.tf.json"]
    assert sorted(fast_stacks) == sorted(stock_stacks)
    for name, stock_json in stock_stacks.items():
        assert fast_stacks[name] == stock_json, f"{name} differs between stock and fast synthesis"
