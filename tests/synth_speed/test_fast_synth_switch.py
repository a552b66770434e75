"""The off switch, and what the fast path does to the garbage collector."""

from __future__ import annotations

import gc
import sys
from types import ModuleType

import pytest


def lazy_finders(fast_synth: ModuleType) -> list[object]:
    return [finder for finder in sys.meta_path if isinstance(finder, fast_synth._LazyPackageFinder)]


@pytest.mark.parametrize("value", ["off", "OFF", "Off", "0", "false", "FALSE", " off "])
def test_switched_off_installs_nothing_and_leaves_gc_alone(
    fast_synth_module: ModuleType, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(fast_synth_module.ENV_VAR, value)
    gc.enable()
    meta_path_before = list(sys.meta_path)

    assert fast_synth_module.enable() is False

    assert sys.meta_path == meta_path_before
    assert gc.isenabled()


def test_switched_off_after_synth_does_not_freeze_the_heap(
    fast_synth_module: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(fast_synth_module.ENV_VAR, "off")
    frozen_before = gc.get_freeze_count()

    fast_synth_module.after_synth()

    assert gc.get_freeze_count() == frozen_before


@pytest.mark.parametrize("value", [None, "", "on", "1", "true", "yes"])
def test_on_unless_switched_off(
    fast_synth_module: ModuleType, monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is not None:
        monkeypatch.setenv(fast_synth_module.ENV_VAR, value)
    gc.enable()

    assert fast_synth_module.enable() is True

    assert len(lazy_finders(fast_synth_module)) == 1
    assert sys.meta_path[0] is lazy_finders(fast_synth_module)[0]
    assert not gc.isenabled()


def test_enabling_twice_keeps_one_finder_with_the_latest_packages(fast_synth_module: ModuleType) -> None:
    fast_synth_module.enable(("first_package",))
    fast_synth_module.enable(("second_package",))

    [finder] = lazy_finders(fast_synth_module)
    assert finder.packages == frozenset({"second_package"})


def test_provider_packages_are_lazy_by_default(fast_synth_module: ModuleType) -> None:
    fast_synth_module.enable()

    [finder] = lazy_finders(fast_synth_module)
    assert finder.packages == frozenset({"cdktf_cdktf_provider_aws", "cdktf_cdktf_provider_time"})


def test_after_synth_freezes_the_heap_so_shutdown_skips_it(fast_synth_module: ModuleType) -> None:
    fast_synth_module.enable()

    fast_synth_module.after_synth()

    assert gc.get_freeze_count() > 0


def test_disable_removes_the_finder_and_restores_gc(fast_synth_module: ModuleType) -> None:
    gc.enable()
    fast_synth_module.enable()
    fast_synth_module.after_synth()

    fast_synth_module.disable()

    assert lazy_finders(fast_synth_module) == []
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
