"""checkov over the synth with PAYMENT_CONFIG_RECORDER=true: the opt-in recorder's bucket and role fail no check."""

from __future__ import annotations

import pytest

from synth_review.rules.checkov_rules import run_checkov


@pytest.mark.slow
def test_checkov_finds_no_failed_check_with_the_opt_in_config_recorder(kept_checkov, recorder_synthesized):
    result = run_checkov(recorder_synthesized.outdir, kept_checkov)
    assert [failure.line() for failure in result.failed] == []
    assert result.parsing_errors == ()
