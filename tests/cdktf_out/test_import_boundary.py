"""The review, the local run and their reader judge and run the synthesized tree, never the Python that made it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
READERS = ("cdktf_out", "synth_review", "local_run")
# The app's own packages and the engine that synthesizes it: whatever a reader needs of them is in the tree.
THE_APP = ("payment_constructs", "payment_settings", "handlers", "synth_speed", "cdk_engine", "cdktf", "cdktn",
           "constructs", "cdktf_cdktf_provider_aws", "cdktf_cdktf_provider_time", "main", "bootstrap_state")


def imported_packages(path: Path) -> set[str]:
    """The top-level package of every import in a module, wherever it is written (a function's body included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


MODULES = sorted(path for package in READERS for path in (ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_reader_of_the_tree_imports_nothing_of_the_app(module: Path) -> None:
    assert imported_packages(module) & set(THE_APP) == set()


def test_the_reader_of_the_tree_imports_no_tool_that_uses_it() -> None:
    used = set().union(*(imported_packages(p) for p in (ROOT / "cdktf_out").rglob("*.py")))
    assert used & {"synth_review", "local_run"} == set()


def test_the_walk_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from payment_constructs.naming import Names\n    import cdktf.x\n")
    assert imported_packages(module) == {"payment_constructs", "cdktf"}
