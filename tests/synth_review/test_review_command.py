"""`python -m synth_review`: the review of a good cdktf.out, and one clear line for a bad one.

The review runs in this process (its main(), with the exit status and output a process would give) except where only a
process shows the point: its PATH without Graphviz, and Ctrl-C.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from synth_review.report.graph import FORMATS
from tests.synth_review.breakages import LOGS_SID, edit_statement
from tests.synth_review.conftest import (
    ROOT,
    Reviewed,
    review_in_process,
    review_process,
    rewrite_stack,
    rewrite_stacks,
)

NO_GRAPHVIZ_NOTE = "note: graph.svg and graph.png not drawn: no Graphviz `dot` here; `make graphviz` installs it"


@pytest.fixture(scope="module")
def reviewed(synthesized, passing_checkov, tmp_path_factory) -> tuple[Reviewed, Path]:
    outdir = Path(shutil.copytree(synthesized.outdir, tmp_path_factory.mktemp("reviewed") / "cdktf.out"))
    return review_in_process(outdir, "--checkov", str(passing_checkov)), outdir / "review"


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
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed (`make graphviz` installs it)")
    _, folder = reviewed
    assert "<svg" in (folder / "graph.svg").read_text()


def stand_in_dot(folder: Path, script: str) -> Path:
    """A `dot` on PATH that runs `script` (sh): Graphviz present, as far as the review can tell."""
    folder.mkdir()
    dot = folder / "dot"
    dot.write_text(f"#!/bin/sh\n{script}\n")
    dot.chmod(0o755)
    return folder


def test_with_graphviz_each_picture_is_drawn_listed_and_no_note_printed(outdir_copy, passing_checkov, tmp_path,
                                                                         monkeypatch):
    # dot -T<format> <source> -o <target>: the stand-in writes the format it was asked for into the target.
    bin_dir = stand_in_dot(tmp_path / "bin", 'printf "%s drawn from %s" "$1" "$2" > "$4"')
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    done = review_in_process(outdir_copy, "--checkov", str(passing_checkov))
    folder = outdir_copy / "review"
    assert done.returncode == 0
    assert done.stdout.endswith(f"\nwritten to {folder}/: review.txt, graph.dot, graph.svg, graph.png, verdict.json\n")
    assert "note: " not in done.stdout
    assert [(folder / f"graph.{fmt}").read_text() for fmt in FORMATS] == [
        f"-T{fmt} drawn from {folder / 'graph.dot'}" for fmt in FORMATS]


def test_a_picture_graphviz_fails_to_draw_is_one_note_that_fits_120_columns(outdir_copy, passing_checkov, tmp_path,
                                                                            monkeypatch):
    bin_dir = stand_in_dot(tmp_path / "bin", "printf 'Error: syntax error in line 1 near %0200d' 0 >&2; exit 1")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    done = review_in_process(outdir_copy, "--checkov", str(passing_checkov))
    notes = [line for line in done.stdout.splitlines() if line.startswith("note: ")]
    assert [note.split(" not drawn: ")[0] for note in notes] == ["note: graph.svg", "note: graph.png"]
    assert all(len(note) <= 120 and "dot said Error: syntax error in line 1" in note for note in notes)
    assert not any((outdir_copy / "review" / f"graph.{fmt}").exists() for fmt in FORMATS)


def test_a_failed_rule_makes_the_review_exit_1_and_names_the_rule(outdir_copy, passing_checkov):
    def unencrypt(document):
        next(iter(document["resource"]["aws_cloudwatch_log_group"].values())).pop("kms_key_id")

    rewrite_stack(outdir_copy, "app", unencrypt)
    done = review_in_process(outdir_copy, "--checkov", str(passing_checkov))
    assert done.returncode == 1
    assert "FAIL [unencrypted-log-group] app:" in done.stdout


def test_a_missing_cdktf_out_exits_2_with_one_line_and_writes_nothing(tmp_path):
    done = review_in_process(tmp_path / "cdktf.out")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "run `make synth` first" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_empty_cdktf_out_exits_2_and_stays_empty(tmp_path):
    (tmp_path / "cdktf.out").mkdir()
    done = review_in_process(tmp_path / "cdktf.out")
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "no manifest.json" in done.stderr
    assert list((tmp_path / "cdktf.out").iterdir()) == []


def test_a_stack_missing_from_cdktf_out_exits_2_naming_the_file(outdir_copy):
    (outdir_copy / "stacks" / "app" / "cdk.tf.json").unlink()
    done = review_in_process(outdir_copy)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "stacks/app/cdk.tf.json is missing" in done.stderr
    assert not (outdir_copy / "review").exists()


def test_a_truncated_stack_exits_2_and_writes_nothing(outdir_copy):
    path = outdir_copy / "stacks" / "app" / "cdk.tf.json"
    path.write_text(path.read_text()[:100])
    done = review_in_process(outdir_copy)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "is not valid JSON" in done.stderr
    assert not (outdir_copy / "review").exists()


def test_a_manifest_listing_no_stacks_exits_2(outdir_copy):
    (outdir_copy / "manifest.json").write_text(json.dumps({"stacks": {}, "version": "0.21.0"}))
    done = review_in_process(outdir_copy)
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "lists no stacks" in done.stderr


def test_a_missing_checkov_fails_the_review_but_still_writes_it(outdir_copy, tmp_path):
    done = review_in_process(outdir_copy, "--checkov", str(tmp_path / "no-checkov"))
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
    done = review_in_process(outdir_copy, "--checkov", str(passing_checkov))
    block = done.stdout[done.stdout.index(f"    {LOGS_SID}: "):]
    assert block.startswith(f"    {LOGS_SID}: Allow, FAIL")
    assert block.splitlines()[4] == "      condition  -"


def test_stale_pictures_and_review_are_replaced_or_removed(outdir_copy, passing_checkov):
    folder = outdir_copy / "review"
    folder.mkdir()
    for name in ("review.txt", "graph.dot", "graph.svg", "graph.png"):
        (folder / name).write_bytes(b"from an earlier run")
    done = review_in_process(outdir_copy, "--checkov", str(passing_checkov))
    assert done.returncode == 0
    assert all((folder / name).read_bytes() != b"from an earlier run" for name in os.listdir(folder))


def test_bad_input_removes_the_review_an_earlier_run_left(outdir_copy):
    folder = outdir_copy / "review"
    folder.mkdir()
    (folder / "review.txt").write_text("PASS from an earlier run")
    (outdir_copy / "stacks" / "app" / "cdk.tf.json").write_text("{")
    done = review_in_process(outdir_copy)
    assert done.returncode == 2
    assert not (folder / "review.txt").exists()


def test_a_checkov_skip_without_a_reason_fails_the_review(outdir_copy, passing_checkov, tmp_path):
    config = tmp_path / "checkov.yaml"
    config.write_text("framework:\n  - terraform_json\nskip-check:\n  - CKV_AWS_116\n  - CKV_AWS_117  # a reason\n")
    done = review_in_process(outdir_copy, "--checkov", str(passing_checkov), "--checkov-config", str(config))
    assert done.returncode == 1
    assert "FAIL [checkov-skip] -: CKV_AWS_116: skipped without a reason" in done.stdout
    assert "CKV_AWS_117" not in [line.split(": ")[1] for line in done.stdout.splitlines() if "[checkov-skip]" in line]


def path_without(tmp_path: Path, hidden: str) -> str:
    """A PATH of one folder holding a link to every command on this PATH but `hidden`."""
    links = tmp_path / f"path-without-{hidden}"
    links.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        for command in sorted(Path(folder).glob("*")) if Path(folder).is_dir() else ():
            link = links / command.name
            if command.name != hidden and not link.exists() and os.access(command, os.X_OK):
                link.symlink_to(command.resolve())
    return str(links)


@pytest.mark.slow
def test_without_graphviz_the_whole_output_is_the_review_its_files_and_one_note_on_how_to_get_the_picture(
        outdir_copy, passing_checkov, tmp_path):
    """Run as a fresh machine runs it, in the project's folder: no `dot` on PATH (and an earlier run's pictures left
    in the folder)."""
    folder = outdir_copy / "review"
    folder.mkdir()
    (folder / "graph.svg").write_text("<svg>an earlier tree</svg>")
    env = {**os.environ, "PATH": path_without(tmp_path, "dot"), "PYTHONPATH": str(ROOT)}
    done = review_process(Path(outdir_copy.name), "--checkov", str(passing_checkov), cwd=outdir_copy.parent, env=env)
    review_text = (folder / "review.txt").read_text()
    assert (done.returncode, done.stderr) == (0, "")
    listing = "written to cdktf.out/review/: review.txt, graph.dot, verdict.json"
    assert done.stdout == f"{review_text}\n{listing}\n{NO_GRAPHVIZ_NOTE}\n"
    assert max(len(line) for line in done.stdout.splitlines()) <= 120
    assert sorted(p.name for p in folder.iterdir()) == ["graph.dot", "review.txt", "verdict.json"]


@pytest.mark.slow
def test_ctrl_c_during_the_review_exits_130_with_one_line_and_no_traceback(outdir_copy, tmp_path):
    started = tmp_path / "checkov-started"
    slow_checkov = tmp_path / "checkov"
    slow_checkov.write_text(f"#!/bin/sh\ntouch {started}\nsleep 60\n")
    slow_checkov.chmod(0o755)
    running = subprocess.Popen(
        [sys.executable, "-m", "synth_review", "--outdir", str(outdir_copy), "--checkov", str(slow_checkov)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    running.send_signal(signal.SIGINT)
    out, err = running.communicate(timeout=120)
    assert running.returncode == 130
    assert err.startswith("interrupted: ") and err.count("\n") == 1 and "Traceback" not in out + err
