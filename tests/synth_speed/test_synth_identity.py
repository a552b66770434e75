"""The fast path and the direct run change how long synth takes, never what it writes, on either engine."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # synths in the background (the stock ones cached)


def differences(left: Path, right: Path) -> list[str]:
    """Every file that is missing on one side or differs in a byte, recursively."""
    found: list[str] = []

    def walk(comparison: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(f"{prefix}{name} (only one side)" for name in comparison.left_only + comparison.right_only)
        _, mismatch, errors = filecmp.cmpfiles(
            comparison.left, comparison.right, comparison.common_files, shallow=False
        )
        found.extend(f"{prefix}{name}" for name in mismatch + errors)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(left, right), "")
    return found


@pytest.mark.parametrize(("stock_job", "fast_job"), [("stock_synth", "fast_synth"),
                                                      ("cdktn_stock_synth", "cdktn_fast_synth")],
                         ids=["cdktf", "cdktn"])
def test_the_fast_path_writes_byte_identical_output_to_a_stock_synth(background_jobs, stock_job, fast_job):
    fast = background_jobs[fast_job].outcome()
    stock = background_jobs[stock_job].outcome()
    assert (fast / "stacks" / "app" / "cdk.tf.json").is_file()
    assert (fast / "stacks" / "app" / "assets").is_dir()
    assert differences(stock, fast) == []
