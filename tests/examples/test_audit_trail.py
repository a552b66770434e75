"""The audit trail (examples/audit_trail/), a second service on the library, synthesized once per session from the
library's installed wheel (tests/examples/wheel_synth.py) and judged by the reusable review and checkov."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from cdktf_out.tree import SynthesizedApp, load
from synth_review.rules import findings

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "audit_trail"
pytestmark = pytest.mark.slow  # a wheel build, a venv, a synth and checkov, in child processes


@pytest.fixture(scope="module")
def wheel_run(background_jobs) -> Path:
    return background_jobs["wheel_synth"].outcome()


@pytest.fixture(scope="module")
def reviewed(wheel_run: Path, kept_checkov: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    """`python -m synth_review` on a copy of the synthesized tree, once: its exit status and the tree it wrote to."""
    tree = tmp_path_factory.mktemp("audit") / "cdktf.out"
    shutil.copytree(wheel_run / "cdktf.out", tree)
    done = subprocess.run(
        [sys.executable, "-m", "synth_review", "--outdir", str(tree),
         "--checkov-config", str(EXAMPLE / ".checkov.yaml"), "--checkov", str(kept_checkov)],
        cwd=ROOT, capture_output=True, text=True)
    return done.returncode, tree


def test_the_example_synthesizes_from_the_installed_wheel_not_from_the_sources(wheel_run: Path):
    imported_from = Path((wheel_run / "imported_from.txt").read_text().strip())
    assert not imported_from.is_absolute() and imported_from.parts[0] == "venv", imported_from
    assert sorted(p.name for p in (wheel_run / "cdktf.out" / "stacks").iterdir()) == ["keys", "service"]


def test_the_example_uses_the_library_in_about_20_lines():
    uses = [line for line in (EXAMPLE / "main.py").read_text().splitlines() if "el." in line]
    assert 8 <= len(uses) <= 22


def test_the_reusable_review_passes_the_example(reviewed: tuple[int, Path]):
    status, tree = reviewed
    assert status == 0, (tree / "review" / "review.txt").read_text()
    assert json.loads((tree / "review" / "verdict.json").read_text())["verdict"] == "PASS"


def test_checkov_parses_both_stacks_and_fails_no_check(reviewed: tuple[int, Path]):
    _, tree = reviewed
    text = (tree / "review" / "review.txt").read_text()
    assert "0 failed" in text and "0 parsing errors" in text
    assert "checkov: " in text.split("=== stack keys ===", 1)[1] and "=== stack service ===" in text


def test_the_review_of_the_example_knows_nothing_of_the_payment_workflow(reviewed: tuple[int, Path]):
    _, tree = reviewed
    text = (tree / "review" / "review.txt").read_text().lower()
    assert "payment" not in text and "state machine" not in text


def _resources(app: SynthesizedApp, stack: str, kind: str) -> dict[str, dict[str, Any]]:
    return app.stack(stack).document["resource"][kind]


def _logs_key(app: SynthesizedApp) -> dict[str, Any]:
    (key,) = [k for k in _resources(app, "keys", "aws_kms_key").values() if "logs_key" in k["//"]["metadata"]["path"]]
    return key


def _drop_logs_condition(app: SynthesizedApp) -> None:
    key = _logs_key(app)
    policy = json.loads(key["policy"])
    for statement in policy["Statement"]:
        statement.pop("Condition", None) if "logs." in json.dumps(statement["Principal"]) else None
    key["policy"] = json.dumps(policy)


def _sleep_without_policy_digest(app: SynthesizedApp) -> None:
    for sleep in _resources(app, "keys", "time_sleep").values():
        sleep["triggers"].pop("policy_sha256")


def _groups_without_the_key_check(app: SynthesizedApp) -> None:
    for group in _resources(app, "service", "aws_cloudwatch_log_group").values():
        group.pop("depends_on")


BREAKAGES: dict[str, tuple[Callable[[SynthesizedApp], None], str]] = {
    "the log-group condition dropped": (_drop_logs_condition, "logs-key-condition"),
    "the wait without the policy digest": (_sleep_without_policy_digest, "sleep-bypassed"),
    "the log groups no longer wait for the key check": (_groups_without_the_key_check, "key-unchecked"),
}


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_each_mistake_the_library_prevents_fails_the_review_of_the_example(wheel_run: Path, breakage: str):
    app = load(wheel_run / "cdktf.out")
    assert [f for f in findings(app, None, None) if f.rule != "checkov"] == []
    change, rule = BREAKAGES[breakage]
    change(app)
    assert rule in {f.rule for f in findings(app, None, None)}
