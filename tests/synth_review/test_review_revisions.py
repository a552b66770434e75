"""`python -m synth_review --base REV` / `--base-outdir DIR` on real revisions of this project.

The revisions live in a fixture repository (tests/synth_review/fixture_repo.py), built and synthesized once per session
in the background; the review itself runs as a reviewer runs it, in that repository, with the stand-in checkov.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.synth_review.conftest import Reviewed, review_in_process, review_process
from tests.synth_review.fixture_repo import LOGS_STATEMENT, NEW_FUNCTION, environment

pytestmark = pytest.mark.slow  # a fixture repository built and synthesized in the background, real git worktrees
CONDITION_REMOVED = f"condition `kms:EncryptionContext:aws:logs:arn` removed from {LOGS_STATEMENT}"
LEDGER = "app/aws_dynamodb_table.ledger_table_BE9C0D06"


@pytest.fixture(scope="module")
def fixture(background_jobs) -> Path:
    return background_jobs["review_fixture"].outcome()


@pytest.fixture
def head_of(fixture, tmp_path):
    """A private copy of a revision's synthesized tree, in a project-shaped folder, for the review to write into."""

    def copy(tag: str) -> Path:
        return Path(shutil.copytree(fixture / "outdirs" / tag / "cdktf.out", tmp_path / tag / "cdktf.out",
                                    symlinks=True))

    return copy


def review(fixture: Path, head: Path, checkov: Path, *args: str, **env: str) -> Reviewed:
    """The review of a revision: with --base, in the fixture repository as a reviewer runs it there (a process: the
    base is synthesized from that checkout); between two synthesized trees, in this process."""
    if "--base" not in args:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            return review_in_process(head, "--checkov", str(checkov), *args)
    return review_process(head, "--checkov", str(checkov), *args, cwd=fixture / "repo", env={**environment(), **env})


def base_outdir(fixture: Path, tag: str) -> str:
    return str(fixture / "outdirs" / tag / "cdktf.out")


def worktrees(fixture: Path) -> list[str]:
    listed = subprocess.run(["git", "-C", str(fixture / "repo"), "worktree", "list", "--porcelain"],
                            capture_output=True, text=True, check=True).stdout
    return [line for line in listed.splitlines() if line.startswith("worktree ")]


def flat(text: str) -> str:
    """The text with its 120-column wrapping undone, for sentences that may wrap."""
    return " ".join(text.split())


def test_each_change_of_a_commit_is_reported_exactly(fixture, head_of, passing_checkov):
    done = review(fixture, head_of("changed"), passing_checkov, "--base-outdir", base_outdir(fixture, "renamed"))
    out = flat(done.stdout)
    # Nothing destructive between renamed and changed; the key-policy rule of the whole-tree review fails anew.
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL: 1 review rule(s) fail on the head (1 new)" in out
    assert "NEW FAIL [logs-key-condition] encryption: aws_kms_key.logs_key_514BF2D1" in out
    assert f"encryption/aws_kms_key.logs_key_514BF2D1.policy: {CONDITION_REMOVED} (was ArnEquals [3 values])" in out
    assert "definition: ValidatePayment: Retry [Lambda.ServiceException +3 more] IntervalSeconds: 1 -> 2" in out
    assert "definition: ProcessPayment: Retry [Lambda.ServiceException +3 more] IntervalSeconds: 1 -> 2" in out
    assert f'aws_lambda_function.refunds: added ("{NEW_FUNCTION}")' in out
    assert "0 destructive (0 not acknowledged), 1 widening, 1 other replaced, 3 other changes" in out


def test_the_ledger_renamed_fails_until_acknowledged(fixture, head_of, passing_checkov):
    done = review(fixture, head_of("renamed"), passing_checkov, "--base-outdir", base_outdir(fixture, "base"))
    assert done.returncode == 1
    assert f"NOT ACKNOWLEDGED: {LEDGER}: REPLACED" in done.stdout
    assert f"PAYMENT_REVIEW_ALLOW_REPLACE={LEDGER}" in flat(done.stdout)


def test_the_ledger_renamed_and_acknowledged_passes(fixture, head_of, passing_checkov):
    done = review(fixture, head_of("renamed"), passing_checkov, "--base-outdir", base_outdir(fixture, "base"),
                  PAYMENT_REVIEW_ALLOW_REPLACE=LEDGER)
    assert done.returncode == 0, done.stdout
    assert f"acknowledged: {LEDGER}: REPLACED" in done.stdout
    assert "PASS: nothing destructive left unacknowledged" in flat(done.stdout)


def test_an_acknowledgement_naming_nothing_destructive_exits_2_with_one_line(fixture, head_of, passing_checkov):
    done = review(fixture, head_of("renamed"), passing_checkov, "--base-outdir", base_outdir(fixture, "base"),
                  PAYMENT_REVIEW_ALLOW_REPLACE="app/aws_dynamodb_table.ledgr")
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1)
    assert done.stderr.startswith("error: PAYMENT_REVIEW_ALLOW_REPLACE names 'app/aws_dynamodb_table.ledgr'")
    assert LEDGER in done.stderr


def test_after_removing_the_condition_and_renaming_the_ledger_base_head_1_shows_both_by_severity_and_fails(
        fixture, head_of, passing_checkov):
    done = review(fixture, head_of("weakened"), passing_checkov, "--base", "weakened~1")
    assert done.returncode == 1, done.stdout + done.stderr
    out = flat(done.stdout)
    assert out.index(f"NOT ACKNOWLEDGED: {LEDGER}: REPLACED") < out.index(CONDITION_REMOVED)
    assert out.startswith("Change review: BASE=weakened~1 (")
    assert "base synthesized in a throw-away worktree in " in done.stdout
    assert worktrees(fixture) == [f"worktree {fixture / 'repo'}"]


def test_identical_revisions_are_no_change_and_pass(fixture, head_of, passing_checkov):
    """The verdict on two trees of one revision (the test above synthesizes a base the way --base does)."""
    done = review(fixture, head_of("renamed"), passing_checkov, "--base-outdir", base_outdir(fixture, "renamed"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No change: both trees would deploy the same resources" in flat(done.stdout)


def test_a_base_that_does_not_synthesize_exits_2_with_one_line_and_leaves_no_worktree(
        fixture, head_of, passing_checkov):
    head = head_of("changed")
    done = review(fixture, head, passing_checkov, "--base", "broken")
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1)
    assert done.stderr.startswith("error: BASE=broken (")
    said = "does not synthesize: ModuleNotFoundError: No module named 'payment_constructs.no_such_module'"
    assert said in done.stderr
    assert worktrees(fixture) == [f"worktree {fixture / 'repo'}"]
    assert not (head / "review").exists()


def test_a_base_that_is_not_a_revision_exits_2_with_one_line(fixture, head_of, passing_checkov):
    done = review(fixture, head_of("changed"), passing_checkov, "--base", "no-such-branch")
    assert (done.returncode, done.stderr.count("\n")) == (2, 1)
    assert "BASE='no-such-branch' is not a commit of" in done.stderr


def test_the_change_review_writes_text_markdown_and_a_marked_picture_beside_review_txt(
        fixture, head_of, passing_checkov):
    head = head_of("changed")
    review(fixture, head, passing_checkov, "--base-outdir", base_outdir(fixture, "base"))
    folder = head / "review"
    assert {"review.txt", "review-diff.txt", "review-diff.md", "graph.dot", "graph-diff.dot"} <= {
        p.name for p in folder.iterdir()}
    assert all(len(line) <= 120 for line in (folder / "review-diff.txt").read_text().splitlines())
    markdown = (folder / "review-diff.md").read_text()
    assert markdown.startswith("## Change review: ") and "### Destructive" in markdown
    assert CONDITION_REMOVED in markdown
    picture = (folder / "graph-diff.dot").read_text()
    assert 'label="-/+ aws_dynamodb_table' in picture and 'label="+ aws_lambda_function\\nrefunds"' in picture
    assert 'label="~ aws_kms_key' in picture


def test_a_whole_tree_review_after_a_change_review_leaves_no_change_review_behind(fixture, head_of, passing_checkov):
    head = head_of("renamed")
    review(fixture, head, passing_checkov, "--base-outdir", base_outdir(fixture, "base"))
    done = review(fixture, head, passing_checkov)
    assert done.returncode == 0, done.stdout
    assert not [p.name for p in (head / "review").iterdir() if "diff" in p.name]


@pytest.mark.parametrize("interruption", ["exception", "ctrl-c", "sigterm"])
def test_the_base_worktree_is_removed_however_the_review_ends(fixture, monkeypatch, interruption):
    import os
    import signal

    from synth_review.change import base_revision

    seen: list[Path] = []

    def interrupted(revision, commit, worktree, outdir):
        seen.append(worktree)
        assert (worktree / ".venv").is_symlink() and (worktree / "main.py").is_file()
        if interruption == "sigterm":
            os.kill(os.getpid(), signal.SIGTERM)
        raise KeyboardInterrupt if interruption == "ctrl-c" else RuntimeError("synth crashed")

    monkeypatch.setattr(base_revision, "_synthesize", interrupted)
    with pytest.raises((RuntimeError, KeyboardInterrupt, SystemExit)), \
            base_revision.synthesized_revision("base", fixture / "repo"):
        pass
    assert seen and not seen[0].parent.exists()
    assert worktrees(fixture) == [f"worktree {fixture / 'repo'}"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL or interruption != "sigterm"
    assert (base_revision.ROOT / ".venv" / "bin" / "python").exists(), "the shared venv must survive the cleanup"

