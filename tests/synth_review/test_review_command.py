"""`python -m synth_review`: the review of a good cdktf.out, and one clear line for a bad one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.synth_review.breakages import LOGS_SID, edit_statement
from tests.synth_review.conftest import rewrite_stack, rewrite_stacks

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
    for section in ("Backend: ", "Resources by type", "Cross-stack values read", "KMS keys", "Log groups",
                    "IAM and key-policy statements"):
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
        pytest.skip("Graphviz `dot` is not installed (`make graphviz` installs it)")
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


def test_every_line_of_the_review_fits_120_columns(reviewed):
    done, folder = reviewed
    for text in (done.stdout, (folder / "review.txt").read_text()):
        assert max(len(line) for line in text.splitlines()) <= 120


def test_the_review_lists_only_the_files_this_run_wrote_and_each_exists(reviewed):
    done, folder = reviewed
    (listing,) = [line for line in done.stdout.splitlines() if line.startswith("written to ")]
    names = listing.split(": ", 1)[1].split(", ")
    assert sorted(names) == sorted(p.name for p in folder.iterdir())


def test_a_key_policy_statement_prints_its_condition(reviewed):
    done, _ = reviewed
    assert "condition  ArnEquals kms:EncryptionContext:aws:logs:arn = one of" in done.stdout


def test_a_statement_without_its_condition_prints_differently_and_fails(outdir_copy, passing_checkov):
    def drop_condition(documents):
        edit_statement(documents, "logs_key", LOGS_SID, lambda s: s.pop("Condition"))

    rewrite_stacks(outdir_copy, drop_condition)
    done = review(outdir_copy, "--checkov", str(passing_checkov))
    block = done.stdout[done.stdout.index(f"    {LOGS_SID}: "):]
    assert block.startswith(f"    {LOGS_SID}: Allow, FAIL")
    assert block.splitlines()[4] == "      condition  -"


def test_stale_pictures_and_review_are_replaced_or_removed(outdir_copy, passing_checkov):
    folder = outdir_copy / "review"
    folder.mkdir()
    for name in ("review.txt", "graph.dot", "graph.svg", "graph.png"):
        (folder / name).write_bytes(b"from an earlier run")
    done = review(outdir_copy, "--checkov", str(passing_checkov))
    assert done.returncode == 0
    assert all((folder / name).read_bytes() != b"from an earlier run" for name in os.listdir(folder))


def test_bad_input_removes_the_review_an_earlier_run_left(outdir_copy):
    folder = outdir_copy / "review"
    folder.mkdir()
    (folder / "review.txt").write_text("PASS from an earlier run")
    (outdir_copy / "stacks" / "app" / "cdk.tf.json").write_text("{")
    done = review(outdir_copy)
    assert done.returncode == 2
    assert not (folder / "review.txt").exists()


def test_a_checkov_skip_without_a_reason_fails_the_review(outdir_copy, passing_checkov, tmp_path):
    config = tmp_path / "checkov.yaml"
    config.write_text("framework:\n  - terraform_json\nskip-check:\n  - CKV_AWS_116\n  - CKV_AWS_117  # a reason\n")
    done = review(outdir_copy, "--checkov", str(passing_checkov), "--checkov-config", str(config))
    assert done.returncode == 1
    assert "FAIL [checkov-skip] -: CKV_AWS_116: skipped without a reason" in done.stdout
    assert "CKV_AWS_117" not in [line.split(": ")[1] for line in done.stdout.splitlines() if "[checkov-skip]" in line]


def test_without_graphviz_the_pictures_of_an_earlier_run_are_removed_and_the_note_says_how_to_install(
        outdir_copy, passing_checkov, tmp_path):
    folder = outdir_copy / "review"
    folder.mkdir()
    (folder / "graph.svg").write_text("<svg>an earlier tree</svg>")
    done = subprocess.run(
        [sys.executable, "-m", "synth_review", "--outdir", str(outdir_copy), "--checkov", str(passing_checkov)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "PATH": str(tmp_path)},  # no dot on this PATH
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["graph.dot", "review.txt"]
    assert f"written to {folder}/: review.txt, graph.dot" in done.stdout
    assert "`make graphviz` installs it" in done.stdout


def test_ctrl_c_during_the_review_exits_130_with_one_line_and_no_traceback(outdir_copy, tmp_path):
    import signal
    import time

    started = tmp_path / "checkov-started"
    slow_checkov = tmp_path / "checkov"
    slow_checkov.write_text(f"#!/bin/sh\ntouch {started}\nsleep 60\n")
    slow_checkov.chmod(0o755)
    review_process = subprocess.Popen(
        [sys.executable, "-m", "synth_review", "--outdir", str(outdir_copy), "--checkov", str(slow_checkov)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    review_process.send_signal(signal.SIGINT)
    out, err = review_process.communicate(timeout=120)
    assert review_process.returncode == 130
    assert err.startswith("interrupted: ") and err.count("\n") == 1 and "Traceback" not in out + err
