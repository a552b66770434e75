"""Ctrl-C during `python -m local_run`, whenever it comes: one line, exit 130, no traceback."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cdktf_out.tree import SynthesizedApp

pytestmark = pytest.mark.slow  # the local run as a process, interrupted

ROOT = Path(__file__).resolve().parents[2]


# Enough payments that the run is still going at the interrupt however fast the machine: the samples take ~3 s.
PAYMENTS = 200


@pytest.fixture(scope="module")
def many_payments(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("many-payments")
    good = json.loads((ROOT / "samples" / "01-good-usd-card.json").read_text())
    for number in range(PAYMENTS):
        (folder / f"{number:03}.json").write_text(json.dumps({**good, "payment_id": f"pay_interrupt_{number:03}"}))
    return folder


# 1 s lands in the imports (moto, boto3), 3 s in the middle of the executions.
@pytest.mark.parametrize("after_seconds", [1.0, 3.0])
def test_ctrl_c_during_the_local_run_is_one_line_and_exit_130(
    synthesized: SynthesizedApp, many_payments: Path, after_seconds: float
):
    process = subprocess.Popen(
        [sys.executable, "-m", "local_run", "--outdir", str(synthesized.outdir), "--samples", str(many_payments)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(after_seconds)
    assert process.poll() is None, "the run ended before the interrupt: this test would prove nothing"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)

    assert process.returncode == 130
    assert err == "interrupted: the local run was stopped; it writes nothing, so there is nothing to clean up\n"
    assert "Traceback" not in out
