"""Exit status through `make` itself: 0 pass, 1 a rule failed (an outcome differs), 2 bad input.

GNU make ends with 2 whenever a recipe fails; the Makefile gives `make review` and `make run-local` their tool's own
status (see the Makefile's "Exit status through make"). These run the real targets, with the real checkov, on copies
of the synthesized tree; they start together so they share the session's second core.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.synth_review.breakages import BREAKAGES, Breakage
from tests.synth_review.conftest import rewrite_stacks

ROOT = Path(__file__).resolve().parents[2]
# The issue's own three: the post-mortem's policy, a key open to everyone, the data key read around its wait.
MISTAKES = {
    "logs-key-condition": "the post-mortem's logs statement without its condition",
    "key-principal-wildcard": 'a principal {"AWS": "*"}',
    "sleep-bypassed": "the data key output read from the key directly",
}


def breakage(name: str) -> Breakage:
    return next(b for b in BREAKAGES if b.name == name)


def make(*arguments: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_", "MAKE"))}
    return subprocess.Popen(["make", "--no-print-directory", *arguments], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def made(synthesized, checkov_tool, tmp_path_factory) -> dict[str, tuple[int, str, str]]:
    """Every make run of this module, started at once: {case: (status, stdout, stderr)}."""
    base = tmp_path_factory.mktemp("make")
    trees = {"clean": Path(shutil.copytree(synthesized.outdir, base / "clean" / "cdktf.out"))}
    for rule, name in MISTAKES.items():
        trees[rule] = Path(shutil.copytree(synthesized.outdir, base / rule / "cdktf.out"))
        rewrite_stacks(trees[rule], breakage(name).change)
    runs = {case: make("review", f"REVIEW_OUTDIR={tree}") for case, tree in trees.items()}
    runs["missing"] = make("review", f"REVIEW_OUTDIR={base / 'missing'}")
    return {case: (run.wait(timeout=600), *run.communicate()) for case, run in runs.items()}


def test_make_review_exits_0_on_a_sound_tree(made):
    status, out, err = made["clean"]
    assert status == 0, out[-2000:] + err
    assert "PASS: no review rule failed" in out


@pytest.mark.parametrize("rule", sorted(MISTAKES))
def test_make_review_exits_1_on_each_of_the_issues_key_mistakes_naming_the_rule(made, rule):
    status, out, err = made[rule]
    assert status == 1, out[-2000:] + err
    assert f"FAIL [{rule}] " in out


def test_make_review_exits_2_on_a_missing_tree_with_one_error_line_from_the_review(made):
    status, _, err = made["missing"]
    assert status == 2
    assert err.splitlines()[0].startswith("error: ") and "does not exist" in err


def test_make_run_local_exits_1_when_an_outcome_differs(tmp_path):
    payment = tmp_path / "rejected.json"
    shutil.copy(ROOT / "samples" / "05-invalid-unknown-currency.json", payment)
    expected_to_succeed = {"status": "SUCCEEDED", "end_state": "PaymentProcessed"}
    (tmp_path / "rejected.expected.json").write_text(json.dumps(expected_to_succeed))
    run = make("run-local", f"PAYMENT={payment}")
    out, err = run.communicate(timeout=600)
    assert run.returncode == 1, out[-2000:] + err
