"""`make synth` skips work only when nothing that affects the output changed."""

from __future__ import annotations

import ast
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import synth_inputs  # noqa: E402  (a script in tools/, not a package)

SETTINGS = {"PAYMENT_ENVIRONMENT": "qa", "PATH": "/usr/bin"}


@pytest.fixture
def tree(tmp_path: Path, synthesized) -> Path:
    """A copy of the inputs, and beside them a real synthesized folder stamped for them."""
    root = tmp_path / "project"
    for path in synth_inputs.input_files(ROOT):
        target = root / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    outdir = Path(shutil.copytree(synthesized.outdir, root / "cdktf.out"))
    synth_inputs.write_stamp(outdir, synth_inputs.fingerprint(outdir, root, SETTINGS))
    return root


def fresh(tree: Path, environ: dict[str, str] = SETTINGS) -> bool:
    return synth_inputs.is_fresh(tree / "cdktf.out", tree, environ)


def test_an_unchanged_tree_is_fresh(tree):
    assert fresh(tree)


def test_a_changed_setting_makes_it_stale(tree):
    assert not fresh(tree, {**SETTINGS, "PAYMENT_LOG_RETENTION_DAYS": "30"})


def test_a_new_setting_makes_it_stale(tree):
    assert not fresh(tree, {**SETTINGS, "PAYMENT_SYNTH_OPTIMIZATIONS": "off"})


def test_choosing_the_other_engine_makes_it_stale(tree):
    assert not fresh(tree, {**SETTINGS, "PAYMENT_CDK_ENGINE": "cdktn"})


def test_a_changed_engine_choice_module_makes_it_stale(tree):
    module = tree / "cdk_engine" / "__init__.py"
    module.write_text(module.read_text() + "\n# changed\n")
    assert not fresh(tree)


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


@pytest.mark.parametrize("name", ["cdktf.json", "Pipfile.lock", "package-lock.json", "main.py", "tools/synth.py"])
def test_a_changed_configuration_lock_or_synth_file_makes_it_stale(tree, name):
    path = tree / name
    path.write_text(path.read_text() + "\n")
    assert not fresh(tree)


def test_the_variable_naming_the_folder_is_not_an_input(tree):
    assert fresh(tree, {**SETTINGS, "CDKTF_OUTDIR": "/elsewhere"})


def test_a_folder_moved_elsewhere_is_stale_its_state_paths_are_relative_to_where_it_was(tree):
    moved = tree / "deeper" / "cdktf.out"
    moved.parent.mkdir()
    (tree / "cdktf.out").rename(moved)
    assert not synth_inputs.is_fresh(moved, tree, SETTINGS)


def zips(outdir: Path) -> list[Path]:
    found = sorted(outdir.rglob("*.zip"))
    assert len(found) == 2, "the Lambda package, and cdktf's copy of it beside the app stack"
    return found


TAMPERING = {
    "a Lambda zip replaced": lambda outdir, index: zips(outdir)[index].write_bytes(b"PK\x05\x06" + b"\0" * 18),
    "a Lambda zip with one byte changed": lambda outdir, index: flip_last_byte(zips(outdir)[index]),
    "a Lambda zip removed": lambda outdir, index: zips(outdir)[index].unlink(),
    "a Lambda zip made a link to another file": lambda outdir, index: relink(zips(outdir)[index]),
    "a stack document edited": lambda outdir, index: flip_last_byte(sorted(outdir.glob("stacks/*/cdk.tf.json"))[index]),
    "a file added beside a stack (Terraform reads every *.tf.json)": lambda outdir, index: (
        sorted(outdir.glob("stacks/*"))[index] / "override.tf.json").write_text("{}"),
    "the manifest edited": lambda outdir, index: flip_last_byte(outdir / "manifest.json"),
}


def flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 1
    path.write_bytes(bytes(data))


def relink(path: Path) -> None:
    path.unlink()
    path.symlink_to(ROOT / "README.md")


@pytest.mark.parametrize("index", [0, 1], ids=["first", "second"])
@pytest.mark.parametrize("tamper", TAMPERING.values(), ids=TAMPERING.keys())
def test_any_file_of_the_output_changed_makes_it_stale(tree, tamper, index):
    tamper(tree / "cdktf.out", index)
    assert not fresh(tree)


def test_the_stamp_removed_or_unreadable_makes_it_stale(tree):
    stamp = tree / "cdktf.out" / synth_inputs.STAMP
    stamp.unlink()
    assert not fresh(tree)
    stamp.mkdir()  # not a file: no error, just not fresh
    assert not fresh(tree)


def test_a_missing_manifest_makes_it_stale(tree):
    (tree / "cdktf.out" / "manifest.json").unlink()
    assert not fresh(tree)


@pytest.mark.parametrize("written", ["review/review.txt", "stacks/app/.terraform/terraform.tfstate",
                                     "stacks/encryption/.terraform.lock.hcl"])
def test_files_other_tools_keep_in_the_folder_leave_it_fresh(tree, written):
    path = tree / "cdktf.out" / written
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("written after the synth by make review or terraform init\n")
    assert fresh(tree)


def test_asking_changes_nothing_on_disk(tree):
    outdir = tree / "cdktf.out"
    before = {path: path.read_bytes() for path in outdir.rglob("*") if path.is_file()}
    assert not fresh(tree, {**SETTINGS, "PAYMENT_ENVIRONMENT": "prod"})
    assert {path: path.read_bytes() for path in outdir.rglob("*") if path.is_file()} == before
    assert fresh(tree), "asking with other settings must not forget the stamp of the synth that is there"


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
