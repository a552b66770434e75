"""The deploy review and checkov hold the CDK Terrain tree to the same rules as the default one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from synth_review import cli as review_cli

pytestmark = pytest.mark.slow  # a CDK Terrain synth in the background, the real checkov


def test_the_review_and_checkov_pass_on_the_cdk_terrain_tree(background_jobs, kept_checkov, tmp_path):
    """Every review rule, and every checkov check (a failed check fails the review). On a copy: the review writes
    its report into the tree it reads."""
    cdktn_out = background_jobs["cdktn_fast_synth"].outcome()
    copy = Path(shutil.copytree(cdktn_out, tmp_path / "cdktf.out"))
    assert review_cli.main(["--outdir", str(copy), "--checkov", str(kept_checkov)]) == 0
    assert "6.69.1" in (copy / "stacks" / "app" / "cdk.tf.json").read_text()  # it was the CDK Terrain tree
