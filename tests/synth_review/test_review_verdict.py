"""The review records its verdict with a digest of the tree it judged (what `make deploy` checks), and prints the
settings the synth used with where each came from."""

from __future__ import annotations

import json
from pathlib import Path

from cdktf_out.settings_record import RECORD
from synth_review import cli as review_cli
from synth_review import verdict
from tests.synth_review.conftest import rewrite_stack

SETTINGS = {"environment": "prod", "file": "environments/prod.env", "settings": [
    {"name": "PAYMENT_ENVIRONMENT", "value": "prod", "origin": "shell"},
    {"name": "PAYMENT_LOG_RETENTION_DAYS", "value": "365", "origin": "environments/prod.env:9"},
    {"name": "PAYMENT_ALERT_EMAIL", "value": "", "origin": "default"},
]}


def review(outdir: Path, checkov: Path) -> int:
    return review_cli.main(["--outdir", str(outdir), "--checkov", str(checkov)])


def test_a_passing_review_records_pass_with_the_digest_of_the_tree_it_judged(outdir_copy, passing_checkov, capsys):
    assert review(outdir_copy, passing_checkov) == 0
    recorded = verdict.read(outdir_copy)
    assert recorded == verdict.Verdict("PASS", verdict.tree_digest(outdir_copy), "whole tree", 0)
    assert "verdict.json" in capsys.readouterr().out.splitlines()[-2]


def test_a_failing_review_records_fail(outdir_copy, passing_checkov, capsys):
    rewrite_stack(outdir_copy, "encryption",
                  lambda d: [k.update(enable_key_rotation=False) for k in d["resource"]["aws_kms_key"].values()])
    assert review(outdir_copy, passing_checkov) == 1
    recorded = verdict.read(outdir_copy)
    assert recorded is not None and (recorded.verdict, recorded.findings) == ("FAIL", 3)


def test_the_digest_is_the_trees_own_so_any_later_change_shows(outdir_copy, passing_checkov, capsys):
    review(outdir_copy, passing_checkov)
    judged = verdict.read(outdir_copy).tree
    rewrite_stack(outdir_copy, "app", lambda d: d["output"]["ledger_table_name"].update(description="later"))
    assert verdict.tree_digest(outdir_copy) != judged


def test_bad_input_leaves_no_verdict_of_an_earlier_run(outdir_copy, passing_checkov, capsys):
    review(outdir_copy, passing_checkov)
    (outdir_copy / "stacks" / "app" / "cdk.tf.json").write_text("{")
    assert review(outdir_copy, passing_checkov) == 2
    assert verdict.read(outdir_copy) is None


def test_the_review_prints_each_setting_with_where_it_came_from(outdir_copy, passing_checkov, capsys):
    (outdir_copy / RECORD).write_text(json.dumps(SETTINGS))
    review(outdir_copy, passing_checkov)
    out = capsys.readouterr().out.splitlines()
    start = out.index("Settings of environment prod (from environments/prod.env and the shell; settings.json)")
    assert [line.split() for line in out[start + 1:start + 5]] == [
        ["SETTING", "VALUE", "FROM"],
        ["PAYMENT_ENVIRONMENT", "prod", "shell"],
        ["PAYMENT_LOG_RETENTION_DAYS", "365", "environments/prod.env:9"],
        ["PAYMENT_ALERT_EMAIL", "(empty)", "default"],
    ]


def test_a_tree_without_a_settings_record_is_reviewed_and_says_so(outdir_copy, passing_checkov, capsys):
    assert review(outdir_copy, passing_checkov) == 0
    assert any(line.startswith("Settings: none recorded (") for line in capsys.readouterr().out.splitlines())
