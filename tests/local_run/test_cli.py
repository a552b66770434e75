"""`python -m local_run` when it cannot run: one line on stderr, exit status 2."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from cdktf_out.tree import SynthesizedApp
from local_run.cli import EXIT_CANNOT_RUN, main
from local_run.samples import MAX_NESTING, read_json
from local_run.stack import read_app_stack


def test_a_missing_synthesized_stack_asks_for_make_synth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)

    status = main([])

    assert status == EXIT_CANNOT_RUN
    assert capsys.readouterr().err == "error: cdktf.out does not exist or is not a folder; run `make synth` first\n"


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit status and stderr of one run, asserting stderr is exactly one line."""
    status = main(list(argv))
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err
    return status, err


@pytest.fixture
def payment_file(tmp_path: Path) -> Callable[[str | bytes], Path]:
    def write(content: str | bytes) -> Path:
        path = tmp_path / "payment.json"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
        return path

    return write


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        pytest.param("{not json", "is not valid JSON: Expecting property name", id="invalid-json"),
        pytest.param("", "is not valid JSON: Expecting value", id="empty"),
        pytest.param('{"amount": NaN}', "is not valid JSON: NaN is not a JSON value", id="nan"),
        pytest.param("1" * 5000, "is not valid JSON", id="5000-digit-number"),
        pytest.param(b"\xff\xfe{}", "is not UTF-8 text", id="not-utf-8"),
        pytest.param('["pay_1"]', "a payment must be a JSON object (the workflow's input), not a list", id="list"),
        pytest.param('"pay_1"', "a payment must be a JSON object (the workflow's input), not a string", id="string"),
        pytest.param("125.50", "a payment must be a JSON object (the workflow's input), not a number", id="number"),
        pytest.param("null", "a payment must be a JSON object (the workflow's input), not null", id="null"),
        pytest.param("true", "a payment must be a JSON object (the workflow's input), not a boolean", id="boolean"),
        pytest.param("[" * 100_000 + "]" * 100_000, f"is nested deeper than {MAX_NESTING} levels", id="100000-deep"),
        pytest.param('{"a":' * 101 + "1" + "}" * 101, f"is nested deeper than {MAX_NESTING} levels", id="101-deep"),
    ],
)
def test_a_payment_file_that_cannot_be_a_workflow_input_is_one_line_naming_the_file(
    synthesized: SynthesizedApp,
    payment_file: Callable[[str | bytes], Path],
    capsys: pytest.CaptureFixture[str],
    content: str | bytes,
    reason: str,
) -> None:
    path = payment_file(content)

    status, err = run_cli(capsys, "--outdir", str(synthesized.outdir), "--payment", str(path))

    assert status == EXIT_CANNOT_RUN
    assert err.startswith(f"error: {path}: {reason}")


def test_a_payment_nested_to_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"a":' * (MAX_NESTING - 1) + "{}" + "}" * (MAX_NESTING - 1))
    assert read_json(path) is not None


@pytest.mark.parametrize("kind", ["missing", "folder"])
def test_a_payment_path_that_is_not_a_readable_file_is_named(
    synthesized: SynthesizedApp, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    path = tmp_path / "payment.json"
    if kind == "folder":
        path.mkdir()

    status, err = run_cli(capsys, "--outdir", str(synthesized.outdir), "--payment", str(path))

    assert status == EXIT_CANNOT_RUN
    assert err.startswith(f"error: {path}: cannot be read (")


@pytest.mark.parametrize(
    ("expectation", "reason"),
    [
        pytest.param("{", "is not valid JSON", id="invalid-json"),
        pytest.param("[]", "an expectation must be a JSON object, not a list", id="list"),
        pytest.param('{"status": "SUCCEEDED"}', "the expectation has no 'end_state' field", id="missing-field"),
        pytest.param('{"status": "FAILED", "end_state": "X", "colour": 1}', "unknown expectation fields", id="extra"),
    ],
)
def test_a_bad_expectation_file_is_one_line_naming_it(
    synthesized: SynthesizedApp, tmp_path: Path, capsys: pytest.CaptureFixture[str], expectation: str, reason: str
) -> None:
    (tmp_path / "payment.json").write_text("{}")
    (tmp_path / "payment.expected.json").write_text(expectation)

    status, err = run_cli(capsys, "--outdir", str(synthesized.outdir), "--payment", str(tmp_path / "payment.json"))

    assert status == EXIT_CANNOT_RUN
    assert err.startswith(f"error: {tmp_path / 'payment.expected.json'}: {reason}")


@pytest.mark.parametrize(
    ("layout", "reason"),
    [
        ("missing", "does not exist; --samples takes a folder of <name>.json payments"),
        ("a-file", "is not a folder; --samples takes a folder of <name>.json payments"),
        ("empty", "has no payments to run (no <name>.json files)"),
        ("expectations-only", "has no payments to run (no <name>.json files)"),
    ],
)
def test_a_samples_folder_with_nothing_to_run_is_one_line_and_exit_2(
    synthesized: SynthesizedApp, tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str, reason: str
) -> None:
    samples = tmp_path / "samples"
    if layout == "a-file":
        samples.write_text("{}")
    elif layout != "missing":
        samples.mkdir()
    if layout == "expectations-only":
        (samples / "01.expected.json").write_text("{}")

    status, err = run_cli(capsys, "--outdir", str(synthesized.outdir), "--samples", str(samples))

    assert status == EXIT_CANNOT_RUN
    assert err == f"error: {samples}: {reason}\n"


@pytest.mark.parametrize(
    "definition",
    [
        pytest.param("not json", id="not-json"),
        pytest.param('{"StartAt": "Nowhere", "States": {}}', id="start-at-a-missing-state"),
        pytest.param('{"StartAt": "A", "States": {"A": {"Type": "Teleport"}}}', id="unknown-state-type"),
    ],
)
def test_an_invalid_state_machine_definition_is_one_line_not_a_botocore_traceback(
    synthesized: SynthesizedApp, tmp_path: Path, capsys: pytest.CaptureFixture[str], definition: str
) -> None:
    outdir = _copy_of(synthesized, tmp_path)
    stack_file = outdir / "stacks" / "app" / "cdk.tf.json"
    document = json.loads(stack_file.read_text())
    (machine,) = document["resource"]["aws_sfn_state_machine"].values()
    machine["definition"] = definition
    stack_file.write_text(json.dumps(document))

    status, err = run_cli(capsys, "--outdir", str(outdir))

    assert status == EXIT_CANNOT_RUN
    assert err.startswith(f"error: {stack_file}: aws_sfn_state_machine.")
    assert " was refused: " in err


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


def test_a_tree_without_the_stack_of_the_state_machine_is_reported_in_one_line(
    synthesized: SynthesizedApp, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outdir = _copy_of(synthesized, tmp_path)
    manifest = json.loads((outdir / "manifest.json").read_text())
    del manifest["stacks"]["app"]
    (outdir / "manifest.json").write_text(json.dumps(manifest))

    status = main(["--outdir", str(outdir)])

    assert status == EXIT_CANNOT_RUN
    assert capsys.readouterr().err == (f"error: {outdir}/manifest.json lists the stacks encryption: one must hold the "
                                       "aws_sfn_state_machine to run, none does\n")


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
