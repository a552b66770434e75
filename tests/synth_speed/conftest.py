"""Fixtures for the fast_synth tests: a clean import state, and fake provider packages on disk."""

from __future__ import annotations

import gc
import importlib
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from synth_speed import fast_synth  # noqa: E402  (needs the repo root on sys.path)


@pytest.fixture
def fast_synth_module(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """fast_synth with the environment unset, undone after the test with GC back as it was."""
    monkeypatch.delenv(fast_synth.ENV_VAR, raising=False)
    gc_was_enabled = gc.isenabled()
    yield fast_synth
    fast_synth.disable()
    if gc_was_enabled:
        gc.enable()
    else:
        gc.disable()


PackageMaker = Callable[..., str]


@pytest.fixture
def make_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[PackageMaker]:
    """Writes a uniquely named package with submodules into tmp_path and puts it on sys.path.

    ``{names}`` in the source becomes the quoted submodule names (for ``__all__``). Each
    submodule sets ``WHO`` to its own name. The package is removed from sys.modules after.
    """
    created: list[str] = []
    monkeypatch.syspath_prepend(str(tmp_path))

    def make(init_source: str, submodules: tuple[str, ...] = ("alpha", "beta")) -> str:
        name = f"fake_provider_{uuid.uuid4().hex[:12]}"
        package = tmp_path / name
        package.mkdir()
        names = ", ".join(repr(submodule) for submodule in submodules)
        (package / "__init__.py").write_text(textwrap.dedent(init_source).replace("{names}", names))
        for submodule in submodules:
            (package / submodule).mkdir()
            (package / submodule / "__init__.py").write_text(f"WHO = {submodule!r}\n")
        created.append(name)
        importlib.invalidate_caches()
        return name

    yield make
    for module_name in list(sys.modules):
        if module_name.split(".")[0] in created:
            del sys.modules[module_name]
