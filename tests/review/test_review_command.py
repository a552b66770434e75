"""`python -m synth_review`: the review of a good cdktf.out, and one clear line for a bad one."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.review.conftest import rewrite_stack

ROOT = Path(__file__).resolve().parents[2]


def review(outdir: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "synth_review", "--outdir", str(outdir), *extra],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )


@pytest.fixture(scope="module")
def reviewed(synthesized, passing_checkov, tmp_path_factory) -> tuple[subprocess.CompletedProcess[str], Path]:
    import shutil

    outdir = Path(shutil.copytree(synthesized.outdir, tmp_path_factory.mktemp("reviewed") / "cdktf.out"))
    return review(outdir, "--checkov", str(passing_checkov)), outdir / "review"


def test_the_review_of_the_real_synth_passes(reviewed):
    done, _ = reviewed
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    assert "PASS: no review rule failed" in done.stdout


def test_the_review_covers_every_stack_and_the_checkov_summary(reviewed):
    done, _ = reviewed
    for heading in ("=== stack encryption ===", "=== stack app ===", "=== checkov"):
        assert heading in done.stdout
    for section in ("Backend: ", "Resources by type", "Cross-stack values read", "Log groups", "IAM statements"):
        assert done.stdout.count(section) == 2


def test_the_review_is_written_to_review_txt_as_printed(reviewed):
    done, folder = reviewed
    assert done.stdout.startswith((folder / "review.txt").read_text())


def test_the_dependency_picture_is_written_as_graphviz_source_with_the_cross_stack_edge(reviewed):
    _, folder = reviewed
    source = (folder / "graph.dot").read_text()
    assert source.startswith("digraph")
    assert '"encryption/output.logs_key_arn" -> "app/data.terraform_remote_state.encryption"' in source


def test_the_dependency_picture_is_drawn_as_svg_when_graphviz_is_installed(reviewed):
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (`make review` installs it)")
    _, folder = reviewed
    assert "<svg" in (folder / "graph.svg").read_text()


def test_a_failed_rule_makes_the_review_exit_1_and_names_the_rule(outdir_copy, passing_checkov):
    def unencrypt(document):
        next(iter(document["resource"]["aws_cloudwatch_log_group"].values())).pop("kms_key_id")

    rewrite_stack(outdir_copy, "app", unencrypt)
    done = review(outdir_copy, "--checkov", str(passing_checkov))
    assert done.returncode == 1
    assert "FAIL [unencrypted-log-group] app:" in done.stdout


def test_a_missing_cdktf_out_exits_2_with_one_line_and_writes_nothing(tmp_path):
    done = review(tmp_path / "cdktf.out")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "run `make synth` first" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_empty_cdktf_out_exits_2_and_stays_empty(tmp_path):
    (tmp_path / "cdktf.out").mkdir()
    done = review(tmp_path / "cdktf.out")
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "no manifest.json" in done.stderr
    assert list((tmp_path / "cdktf.out").iterdir()) == []


def test_a_stack_missing_from_cdktf_out_exits_2_naming_the_file(outdir_copy):
    (outdir_copy / "stacks" / "app" / "cdk.tf.json").unlink()
    done = review(outdir_copy)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "stacks/app/cdk.tf.json is missing" in done.stderr
    assert not (outdir_copy / "review").exists()


def test_a_truncated_stack_exits_2_and_writes_nothing(outdir_copy):
    path = outdir_copy / "stacks" / "app" / "cdk.tf.json"
    path.write_text(path.read_text()[:100])
    done = review(outdir_copy)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "is not valid JSON" in done.stderr
    assert not (outdir_copy / "review").exists()


def test_a_manifest_listing_no_stacks_exits_2(outdir_copy):
    (outdir_copy / "manifest.json").write_text(json.dumps({"stacks": {}, "version": "0.21.0"}))
    done = review(outdir_copy)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "lists no stacks" in done.stderr


def test_a_missing_checkov_fails_the_review_but_still_writes_it(outdir_copy, tmp_path):
    done = review(outdir_copy, "--checkov", str(tmp_path / "no-checkov"))
    assert done.returncode == 1
    assert "FAIL [checkov]" in done.stdout and "no-checkov is missing" in done.stdout
    assert (outdir_copy / "review" / "review.txt").exists()
