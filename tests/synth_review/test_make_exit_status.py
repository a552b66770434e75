"""Exit status through `make` itself: 0 pass, 1 a rule failed (an outcome differs), 2 bad input.

GNU make ends with 2 whenever a recipe fails; the Makefile gives `make review` and `make run-local` their tool's own
status (see the Makefile's "Exit status through make"). These run the real targets on copies of the synthesized
tree, started together.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.synth_review.breakages import BREAKAGES
from tests.synth_review.conftest import rewrite_stacks

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow
# The post-mortem's policy: every key rule failing the review, and the review failing as a whole, are proven in this
# process (test_key_rules.py, test_review_command.py); here the point is the status through make.
MISTAKE = next(b for b in BREAKAGES if b.name == "the post-mortem's logs statement without its condition")


def make(*arguments: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYMENT_", "CDKTF_", "MAKE"))}
    return subprocess.Popen(["make", "--no-print-directory", *arguments], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def made(synthesized, kept_checkov, passing_checkov, tmp_path_factory) -> dict[str, tuple[int, str, str]]:
    """Every make run of this module, started at once: {case: (status, stdout, stderr)}. The sound tree is reviewed
    with the real checkov (its verdict on this tree kept, as test_checkov_rules.py has it); the broken one with a
    stand-in that passes, so only the rule can fail it."""
    base = tmp_path_factory.mktemp("make")
    clean = Path(shutil.copytree(synthesized.outdir, base / "clean" / "cdktf.out"))
    broken = Path(shutil.copytree(synthesized.outdir, base / "broken" / "cdktf.out"))
    rewrite_stacks(broken, MISTAKE.change)
    runs = {
        "clean": make("review", f"REVIEW_OUTDIR={clean}", f"REVIEW_CHECKOV={kept_checkov}"),
        "broken": make("review", f"REVIEW_OUTDIR={broken}", f"REVIEW_CHECKOV={passing_checkov}"),
        "missing": make("review", f"REVIEW_OUTDIR={base / 'missing'}", f"REVIEW_CHECKOV={passing_checkov}"),
    }
    return {case: (run.wait(timeout=600), *run.communicate()) for case, run in runs.items()}


def test_make_review_exits_0_on_a_sound_tree(made):
    status, out, err = made["clean"]
    assert status == 0, out[-2000:] + err
    assert "PASS: no review rule failed" in out


def test_make_review_exits_1_on_the_post_mortems_key_mistake_naming_the_rule(made):
    status, out, err = made["broken"]
    assert status == 1, out[-2000:] + err
    assert f"FAIL [{MISTAKE.rule}] " in out


def test_make_review_exits_2_on_a_missing_tree_with_one_error_line_from_the_review(made):
    status, _, err = made["missing"]
    assert status == 2
    assert err.splitlines()[0].startswith("error: ") and "does not exist" in err


# GNU make prints a line of its own whenever it ends with 2; it names the goal that was typed, nothing internal.
MAKES_OWN_LINE = re.compile(r"make: \*\*\* \[Makefile:[0-9]+: (review|run-local)\] Error 2")


def test_after_the_reviews_error_line_make_adds_only_its_one_line_naming_the_goal(made):
    _, _, err = made["missing"]
    tool, makes = err.splitlines()
    assert tool.startswith("error: ")
    assert MAKES_OWN_LINE.fullmatch(makes).group(1) == "review"


@pytest.mark.parametrize("case", ["clean", "broken"])
def test_make_adds_no_line_of_its_own_when_the_review_exits_0_or_1(made, case):
    _, _, err = made[case]
    assert "make:" not in err


def test_make_run_local_exits_2_on_a_payment_it_cannot_read_with_the_tools_line_and_makes_one(tmp_path):
    run = make("run-local", f"PAYMENT={tmp_path / 'missing.json'}")
    out, err = run.communicate(timeout=600)
    assert run.returncode == 2, out[-2000:] + err
    *_, tool, makes = err.splitlines()
    assert tool == f"error: {tmp_path / 'missing.json'}: cannot be read (No such file or directory)"
    assert MAKES_OWN_LINE.fullmatch(makes).group(1) == "run-local"


def test_make_run_local_exits_1_when_an_outcome_differs(tmp_path):
    payment = tmp_path / "rejected.json"
    shutil.copy(ROOT / "samples" / "05-invalid-unknown-currency.json", payment)
    expected_to_succeed = {"status": "SUCCEEDED", "end_state": "PaymentProcessed"}
    (tmp_path / "rejected.expected.json").write_text(json.dumps(expected_to_succeed))
    run = make("run-local", f"PAYMENT={payment}")
    out, err = run.communicate(timeout=600)
    assert run.returncode == 1, out[-2000:] + err
