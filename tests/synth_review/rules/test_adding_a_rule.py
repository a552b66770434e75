"""Adding a review rule, as docs/changing.md writes it: the id in RULES and the check in `check` of the module of what
it judges, then a row in docs/review.md. The verdict, the exit status and the docs check follow."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cdktf_out.tree import SynthesizedApp
from synth_review.findings import Finding
from synth_review.rules import all_rules, log_group_rules
from tests.synth_review.conftest import review_in_process
from tests.synth_review.rules.test_rules_table import rules_in_the_docs

RULE = "log-group-kept-ten-years"


@pytest.fixture
def with_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The recipe, in log_group_rules (a rule about log groups): one RULES entry, one finding added by `check`."""
    monkeypatch.setitem(log_group_rules.RULES, RULE, "every log group keeps its logs ten years")
    judged = log_group_rules.check

    def check(app: SynthesizedApp, found: list[Finding]) -> list[Finding]:
        found = judged(app, found)
        for stack in app.stacks:
            for group in stack.resources(log_group_rules.LOG_GROUP):
                if group.body.get("retention_in_days") != 3653:
                    found.append(Finding(RULE, stack.name, group.address, "it keeps its logs less than ten years"))
        return found

    monkeypatch.setattr(log_group_rules, "check", check)


def test_a_new_rule_fails_the_review_naming_itself(with_the_rule, synthesized: SynthesizedApp, tmp_path: Path,
                                                    passing_checkov: Path):
    outdir = Path(shutil.copytree(synthesized.outdir, tmp_path / "cdktf.out"))
    reviewed = review_in_process(outdir, "--checkov", str(passing_checkov))

    assert reviewed.returncode == 1
    assert f"FAIL [{RULE}] app: aws_cloudwatch_log_group." in reviewed.stdout


def test_a_new_rule_is_a_rule_of_the_review_that_the_docs_must_list(with_the_rule):
    assert RULE in all_rules()
    assert RULE not in rules_in_the_docs()  # test_rules_table fails until docs/review.md has its row
