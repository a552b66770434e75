"""The suite's cache of real work (tests/background.py, kept checkov): a stock synth, or checkov's verdict on a tree, is
reused while its inputs stay the same, and made again as soon as one changes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import background
from tests.background import ROOT, synth_inputs

# Stands in for main.py: counts its runs beside the project, writes an output that names the setting it saw.
FAKE_SYNTH = """
import os, pathlib, sys
root = pathlib.Path.cwd()
with open(root / "runs", "a") as runs:
    runs.write("run\\n")
outdir = pathlib.Path(os.environ["CDKTF_OUTDIR"])
(outdir / "stacks").mkdir(parents=True)
(outdir / "manifest.json").write_text(os.environ.get("PAYMENT_ENVIRONMENT", "dev"))
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the synth's inputs, and a cache of its own."""
    root = tmp_path / "project"
    for path in synth_inputs.input_files(ROOT):
        target = root / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    monkeypatch.setattr(background, "CACHE", tmp_path / "cache")
    return root


def session(project: Path, tmp_path: Path, **settings: str) -> tuple[Path, str]:
    """One test session's stock synth of `project`: its output folder, and its label."""
    jobs = background.Jobs(Path(tmp_path / f"session-{len(list(tmp_path.glob('session-*')))}"))
    outdir = jobs.base / "stock_synth" / "cdktf.out"
    outdir.parent.mkdir(parents=True)
    env = {"PAYMENT_SYNTH_OPTIMIZATIONS": "off", "PAYMENT_STATE_DIR": str(jobs.base / "state"),
           "CDKTF_OUTDIR": str(outdir), **settings}
    key = background.cache_key(jobs.base, outdir, env, root=project)
    job = jobs.start("stock_synth", "stock synth", outdir, [sys.executable, "-c", FAKE_SYNTH], project, env, key)
    try:
        return job.outcome(timeout=60), job.label
    finally:
        jobs.stop()


def runs(project: Path) -> int:
    return len((project / "runs").read_text().splitlines())


def test_a_second_session_on_an_unchanged_tree_reuses_the_stock_synth(project, tmp_path):
    first, first_label = session(project, tmp_path)
    second, second_label = session(project, tmp_path)
    assert runs(project) == 1
    assert (first_label, second_label) == ("stock synth", "stock synth (cached)")
    assert (second / "manifest.json").read_text() == (first / "manifest.json").read_text()
    assert second.is_relative_to(background.CACHE)


@pytest.mark.parametrize("change", ["a construct", "a handler", "the lock file", "a setting"])
def test_a_changed_input_makes_the_stock_synth_again_and_the_cache_keeps_only_the_new_one(project, tmp_path, change):
    session(project, tmp_path)
    settings = {}
    if change == "a setting":
        settings = {"PAYMENT_ENVIRONMENT": "qa"}
    else:
        path = project / {"a construct": "payment_constructs/naming.py", "a handler": "handlers/validation.py",
                          "the lock file": "Pipfile.lock"}[change]
        path.write_text(path.read_text() + "\n")
    again, label = session(project, tmp_path, **settings)
    assert (runs(project), label) == (2, "stock synth")
    assert (again / "manifest.json").read_text() == settings.get("PAYMENT_ENVIRONMENT", "dev")
    assert len(list((background.CACHE / "stock_synth").iterdir())) == 1


def test_a_failed_run_is_not_kept(project, tmp_path):
    jobs = background.Jobs(tmp_path / "session")
    outdir = jobs.base / "stock_synth" / "cdktf.out"
    outdir.parent.mkdir(parents=True)
    job = jobs.start("stock_synth", "stock synth", outdir, [sys.executable, "-c", "raise SystemExit(1)"], project,
                     {}, "some-key")
    with pytest.raises(AssertionError, match="stock synth failed"):
        job.outcome(timeout=60)
    jobs.stop()
    assert not (background.CACHE / "stock_synth" / "some-key").exists()


def test_only_the_stock_synths_are_cached_never_the_fast_ones(tmp_path, monkeypatch):
    started = {}
    monkeypatch.setattr(background.Jobs, "start", lambda self, name, *args: started.setdefault(name, args))
    jobs = background.Jobs(tmp_path)
    background.start_app_synth(jobs, "stock", optimizations=False)
    background.start_app_synth(jobs, "fast", optimizations=True)
    assert started["stock"][5] is not None and started["fast"][5] is None


def session_synths_key(root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **switches: str) -> str:
    """The key the session's synths of `root` would be kept under, with these switches set and no others."""
    started = {}
    with monkeypatch.context() as patch:
        for name in background.SESSION_SWITCHES:
            patch.delenv(name, raising=False)
        for name, value in switches.items():
            patch.setenv(name, value)
        patch.setattr(background.Jobs, "start", lambda self, name, *args, **kwargs: started.setdefault(name, args))
        background.start_session_synths(background.Jobs(tmp_path / f"session-{len(list(tmp_path.iterdir()))}"), root)
    return started["session_synths"][5]


@pytest.fixture
def project_with_session_synths(project: Path) -> Path:
    script = project / "tests" / "session_synths.py"
    script.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "tests" / "session_synths.py", script)
    return project


def test_the_session_synths_are_kept_under_the_same_key_while_nothing_changes(project_with_session_synths, tmp_path,
                                                                                monkeypatch):
    assert session_synths_key(project_with_session_synths, tmp_path, monkeypatch) == \
        session_synths_key(project_with_session_synths, tmp_path, monkeypatch)


@pytest.mark.parametrize("change", ["a construct", "the lock file", "their configurations", "the engine",
                                    "the fast path switched off", "another lazy index cache"])
def test_the_session_synths_are_made_again_when_anything_they_depend_on_changes(project_with_session_synths, tmp_path,
                                                                                monkeypatch, change):
    root = project_with_session_synths
    before = session_synths_key(root, tmp_path, monkeypatch)
    switches = {"the engine": {"PAYMENT_CDK_ENGINE": "cdktn"},
                "the fast path switched off": {"PAYMENT_SYNTH_OPTIMIZATIONS": "off"},
                "another lazy index cache": {"PAYMENT_LAZY_JSII_CACHE": str(tmp_path / "lazy")}}.get(change, {})
    edited = {"a construct": "payment_constructs/naming.py", "the lock file": "Pipfile.lock",
              "their configurations": "tests/session_synths.py"}.get(change)
    if edited:
        (root / edited).write_text((root / edited).read_text() + "\n")
    assert session_synths_key(root, tmp_path, monkeypatch, **switches) != before


def test_the_review_fixture_is_made_again_when_any_file_it_copies_changes(tmp_path):
    from tests.synth_review.fixture_repo import copied_files

    files = [path for path in copied_files(ROOT) if path.parts[0] in ("synth_review", "handlers")][:50]
    project = tmp_path / "project"
    for path in files:
        (project / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, project / path)
    before = background.files_key(files, root=project)
    assert background.files_key(files, root=project) == before
    review_module = next(path for path in files if path.parts[0] == "synth_review")
    (project / review_module).write_text((project / review_module).read_text() + "\n")
    assert background.files_key(files, root=project) != before


@pytest.mark.parametrize("change", ["a library module edited", "a file added to the library",
                                    "the example edited", "the lock file"])
def test_the_wheel_and_the_example_are_made_again_when_anything_they_are_made_of_changes(tmp_path, change):
    from tests.encrypted_logs.jobs import wheel_key

    project = tmp_path / "project"
    for folder in ("encrypted_logs", "examples/audit_trail"):
        shutil.copytree(ROOT / folder, project / folder, ignore=shutil.ignore_patterns("__pycache__"))
    for file in ("tests/examples/wheel_synth.py", "Pipfile.lock"):
        (project / file).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / file, project / file)
    before = wheel_key(project)
    (project / "encrypted_logs" / "__pycache__").mkdir()
    (project / "encrypted_logs" / "__pycache__" / "policy.cpython-311.pyc").write_bytes(b"bytecode")
    assert wheel_key(project) == before  # what an import leaves behind is not an input
    edited = {"a library module edited": "encrypted_logs/policy.py",
              "a file added to the library": "encrypted_logs/new.py",
              "the example edited": "examples/audit_trail/main.py", "the lock file": "Pipfile.lock"}[change]
    path = project / edited
    path.write_text((path.read_text() if path.exists() else "") + "\n")
    assert wheel_key(project) != before


def test_checkovs_verdict_on_a_tree_is_kept_until_a_file_of_the_tree_changes(tmp_path):
    from tests.kept_checkov import write_kept_checkov

    calls = tmp_path / "calls"
    fake = tmp_path / "real-checkov"
    count = f"$(wc -l < {calls})"
    fake.write_text(f"#!/bin/sh\necho called >> {calls}\necho '{{\"results\": {{}}, \"n\": '{count}'}}'\n")
    fake.chmod(0o755)
    kept = write_kept_checkov(tmp_path, fake, tmp_path / "cache")
    tree = tmp_path / "cdktf.out" / "stacks" / "app"
    tree.mkdir(parents=True)
    (tree / "cdk.tf.json").write_text("{}")
    config = tmp_path / ".checkov.yaml"
    config.write_text("framework: [terraform_json]\n")

    def judged() -> str:
        args = ["--directory", str(tmp_path / "cdktf.out"), "--config-file", str(config), "--output", "json"]
        return subprocess.run([str(kept), *args], capture_output=True, text=True, check=True).stdout

    first, again = judged(), judged()
    (tree / "cdk.tf.json").write_text('{"resource": {}}')
    changed = judged()
    verdict = '{{"results": {{}}, "n": {}}}\n'
    assert (first, again, changed) == (verdict.format(1), verdict.format(1), verdict.format(2))
