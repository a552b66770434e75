"""`make synth` skips work only when nothing that affects the output changed."""

from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import synth_inputs  # noqa: E402  (a script in tools/, not a package)

SETTINGS = {"PAYMENT_ENVIRONMENT": "qa", "PATH": "/usr/bin"}


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the inputs, with an outdir that was synthesized from them."""
    root = tmp_path / "project"
    for path in synth_inputs.input_files(ROOT):
        target = root / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    outdir = root / "cdktf.out"
    assert not synth_inputs.is_fresh(outdir, root, SETTINGS)
    (outdir / "manifest.json").write_text("{}")
    synth_inputs.record(outdir)
    return root


def fresh(tree: Path, environ: dict[str, str] = SETTINGS) -> bool:
    return synth_inputs.is_fresh(tree / "cdktf.out", tree, environ)


def test_an_unchanged_tree_is_fresh(tree):
    assert fresh(tree)


def test_a_changed_setting_makes_it_stale(tree):
    assert not fresh(tree, {**SETTINGS, "PAYMENT_LOG_RETENTION_DAYS": "30"})


def test_a_new_setting_makes_it_stale(tree):
    assert not fresh(tree, {**SETTINGS, "PAYMENT_SYNTH_OPTIMIZATIONS": "off"})


def test_a_changed_handler_makes_it_stale(tree):
    handler = tree / "handlers" / "validation.py"
    handler.write_text(handler.read_text() + "\n# changed\n")
    assert not fresh(tree)


def test_a_changed_construct_makes_it_stale(tree):
    construct = tree / "payment_constructs" / "state_machine.py"
    construct.write_text(construct.read_text().replace('"STANDARD"', '"EXPRESS"'))
    assert not fresh(tree)


def test_a_new_module_makes_it_stale(tree):
    (tree / "payment_constructs" / "new_construct.py").write_text("X = 1\n")
    assert not fresh(tree)


@pytest.mark.parametrize("name", ["cdktf.json", "Pipfile.lock", "package-lock.json", "main.py"])
def test_a_changed_configuration_or_lock_file_makes_it_stale(tree, name):
    path = tree / name
    path.write_text(path.read_text() + "\n")
    assert not fresh(tree)


def test_output_written_by_anything_else_makes_it_stale(tree):
    (tree / "cdktf.out" / "manifest.json").write_text('{"stacks": {"probe": {}}}')
    assert not fresh(tree)


def test_a_missing_manifest_makes_it_stale(tree):
    (tree / "cdktf.out" / "manifest.json").unlink()
    assert not fresh(tree)


def test_where_the_output_goes_is_not_an_input(tree):
    assert fresh(tree, {**SETTINGS, "CDKTF_OUTDIR": "/elsewhere"})


def test_a_stale_check_forgets_the_old_stamp_until_the_next_synth_succeeds(tree):
    assert not fresh(tree, {**SETTINGS, "PAYMENT_ENVIRONMENT": "prod"})
    assert not fresh(tree), "a failed synth after the check must not leave the old stamp claiming freshness"


def local_imports(path: Path, seen: set[Path]) -> set[Path]:
    """Project files reachable from `path` through import statements."""
    for node in ast.walk(ast.parse(path.read_text())):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            base = ROOT.joinpath(*name.split("."))
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file() and candidate not in seen:
                    seen.add(candidate)
                    local_imports(candidate, seen)
    return seen


def test_every_project_module_the_app_imports_is_an_input():
    imported = local_imports(ROOT / "main.py", set())
    assert ROOT / "payment_constructs" / "state_machine.py" in imported  # the walk follows the app
    assert ROOT / "synth_speed" / "lazy_jsii_index.py" in imported  # and the fast path it loads first
    assert ROOT / "handlers" / "contract.py" in imported  # and what the constructs share with the handlers
    assert imported <= set(synth_inputs.input_files(ROOT))
