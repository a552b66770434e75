"""checkov over the synth with PAYMENT_CONFIG_RECORDER=true: the opt-in recorder's bucket and role fail no check."""

from __future__ import annotations

from synth_review.checkov_gate import run_checkov
from tests.conftest import settings_from, synthesize


def test_checkov_finds_no_failed_check_with_the_opt_in_config_recorder(checkov_tool, tmp_path):
    outdir = synthesize(settings_from({"PAYMENT_CONFIG_RECORDER": "true"}), tmp_path / "cdktf.out").outdir
    result = run_checkov(outdir, checkov_tool)
    assert [failure.line() for failure in result.failed] == []
    assert result.parsing_errors == ()
