"""`python -m local_run` when it cannot run: one line on stderr, exit status 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from local_run.cli import EXIT_CANNOT_RUN, main
from local_run.stack import read_app_stack
from synth_review.synthesized import SynthesizedApp


def test_a_missing_synthesized_stack_asks_for_make_synth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    status = main([])

    assert status == EXIT_CANNOT_RUN
    assert capsys.readouterr().err == "error: cdktf.out does not exist or is not a folder; run `make synth` first\n"


def test_an_unreadable_payment_file_is_reported_in_one_line(
    synthesized: SynthesizedApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payment = tmp_path / "broken.json"
    payment.write_text("{not json")

    status = main(["--outdir", str(synthesized.outdir), "--payment", str(payment)])

    assert status == EXIT_CANNOT_RUN
    assert capsys.readouterr().err.startswith("error: Expecting property name")


def _copy_of(synthesized: SynthesizedApp, tmp_path: Path) -> Path:
    return Path(shutil.copytree(synthesized.outdir, tmp_path / "cdktf.out"))


def test_the_app_stack_is_read_where_the_manifest_puts_it(synthesized: SynthesizedApp, tmp_path: Path) -> None:
    outdir = _copy_of(synthesized, tmp_path)
    (outdir / "stacks" / "app").rename(outdir / "stacks" / "moved")
    manifest = json.loads((outdir / "manifest.json").read_text())
    manifest["stacks"]["app"].update(synthesizedStackPath="stacks/moved/cdk.tf.json", workingDirectory="stacks/moved")
    (outdir / "manifest.json").write_text(json.dumps(manifest))

    stack = read_app_stack(outdir)

    assert stack.source == outdir / "stacks" / "moved" / "cdk.tf.json"
    assert all(spec.zip_path.is_file() for spec in stack.functions)


def test_a_tree_without_the_app_stack_is_reported_in_one_line(
    synthesized: SynthesizedApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = _copy_of(synthesized, tmp_path)
    manifest = json.loads((outdir / "manifest.json").read_text())
    del manifest["stacks"]["app"]
    (outdir / "manifest.json").write_text(json.dumps(manifest))

    status = main(["--outdir", str(outdir)])

    assert status == EXIT_CANNOT_RUN
    assert capsys.readouterr().err == f"error: {outdir}/manifest.json lists no stack 'app' (it lists encryption)\n"


@pytest.mark.parametrize(
    ("file", "text", "message"),
    [
        ("manifest.json", '{"stacks": {"app": 1}}', "stack 'app' is not an object"),
        ("stacks/app/cdk.tf.json", "[]", "is not a Terraform JSON object"),
        ("stacks/app/cdk.tf.json", "{", "is not valid JSON"),
    ],
)
def test_a_broken_tree_is_one_line_and_exit_2(synthesized, tmp_path, capsys, file, text, message) -> None:
    outdir = _copy_of(synthesized, tmp_path)
    (outdir / file).write_text(text)

    status = main(["--outdir", str(outdir)])

    assert status == EXIT_CANNOT_RUN
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
