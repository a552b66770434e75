"""`python -m local_run` when it cannot run: one line on stderr, exit status 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from local_run.cli import EXIT_CANNOT_RUN, main
from tests.synthesized import SynthesizedApp


def test_a_missing_synthesized_stack_asks_for_make_synth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    status = main([])

    assert status == EXIT_CANNOT_RUN
    assert capsys.readouterr().err == "error: cdktf.out/stacks/app/cdk.tf.json not found; run make synth first\n"


def test_an_unreadable_payment_file_is_reported_in_one_line(
    synthesized: SynthesizedApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payment = tmp_path / "broken.json"
    payment.write_text("{not json")

    status = main(["--outdir", str(synthesized.outdir), "--payment", str(payment)])

    assert status == EXIT_CANNOT_RUN
    assert capsys.readouterr().err.startswith("error: Expecting property name")
