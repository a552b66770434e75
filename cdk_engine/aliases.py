"""Import aliases: ``import cdktf...`` answered with another engine's module of the same submodule name.

An alias module is not a copy: ``sys.modules["cdktf"]`` *is* ``sys.modules["cdktn"]``, and likewise for every
submodule imported through an alias, so a class reached by either name is one class (jsii's type registry and
``isinstance`` see one type). Modules load on demand, one import at a time, as without the alias.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Mapping, Sequence
from types import ModuleType

__all__ = ["AliasFinder", "install", "installed", "uninstall"]


class _AliasLoader(importlib.abc.Loader):
    """Hands the import system the real module, and leaves it exactly as it was."""

    def __init__(self, real_name: str) -> None:
        self.real_name = real_name
        self._real_spec: importlib.machinery.ModuleSpec | None = None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        module = importlib.import_module(self.real_name)
        self._real_spec = module.__spec__
        return module

    def exec_module(self, module: ModuleType) -> None:
        # The import system stamped the alias spec on the module it got from create_module; the module keeps its own
        # (its relative imports, importlib.resources and jsii's assembly loading read it).
        module.__spec__ = self._real_spec


class AliasFinder(importlib.abc.MetaPathFinder):
    """Finds ``<alias>`` and ``<alias>.<sub>`` as ``<real>`` and ``<real>.<sub>``, for each alias -> real package."""

    def __init__(self, aliases: Mapping[str, str]) -> None:
        self.aliases = dict(aliases)

    def real_name(self, fullname: str) -> str | None:
        top, dot, rest = fullname.partition(".")
        real = self.aliases.get(top)
        return None if real is None else f"{real}{dot}{rest}"

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        real = self.real_name(fullname)
        if real is None:
            return None
        real_spec = importlib.util.find_spec(real)
        if real_spec is None:
            return None  # no such module in the real package: the import fails as a missing module, naming the alias
        return importlib.machinery.ModuleSpec(
            fullname, _AliasLoader(real), is_package=real_spec.submodule_search_locations is not None
        )


def installed() -> AliasFinder | None:
    return next((finder for finder in sys.meta_path if isinstance(finder, AliasFinder)), None)


def uninstall() -> None:
    """Remove the finder. Modules already imported through it stay in ``sys.modules`` under both names."""
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, AliasFinder)]


def _already_imported_otherwise(aliases: Mapping[str, str], previous: Mapping[str, str]) -> list[str]:
    """Names that are in sys.modules as a module other than the one the new aliases would give them."""
    conflicts = []
    for name in sorted(set(aliases) | set(previous)):
        already = sys.modules.get(name)
        if already is None:
            continue
        if name in aliases:
            same = already is sys.modules.get(aliases[name])
        else:  # back to the package's own module: it must not be the previous alias target
            same = already is not sys.modules.get(previous[name])
        if not same:
            conflicts.append(name)
    return conflicts


def install(aliases: Mapping[str, str]) -> None:
    """Answer imports of each alias with its real package from now on (no aliases: remove the finder).

    A name already imported as another module cannot be redirected (both engines' objects would meet in one
    process): that is a ValueError, raised before anything changes.
    """
    previous = installed()
    conflicts = _already_imported_otherwise(aliases, previous.aliases if previous else {})
    if conflicts:
        raise ValueError(f"{', '.join(conflicts)} already imported from another engine in this process")
    uninstall()
    if aliases:
        sys.meta_path.insert(0, AliasFinder(aliases))
