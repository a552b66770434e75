"""Fast path for CDKTF-Python synthesis: the same Terraform JSON, without the work whose results it never sees.

Call `enable` before anything imports cdktf or a provider, and `after_synth` right after `app.synth()`;
PAYMENT_SYNTH_OPTIMIZATIONS=off (or 0, false) installs nothing and runs stock CDKTF. The levers (provider submodules
on demand, no cyclic GC while synthesizing, a frozen heap after it, a lazy jsii index), why none can change the
output, and what was tried and left alone: docs/synth.md. tests/synth_speed/test_synth_identity.py holds the output
byte-identical to a stock synth.
"""

from __future__ import annotations

import ast
import gc
import importlib
import importlib.abc
import importlib.machinery
import logging
import os
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import CodeType, ModuleType

from synth_speed import lazy_jsii_index

__all__ = [
    "DEFAULT_LAZY_PACKAGES",
    "ENV_VAR",
    "after_synth",
    "disable",
    "enable",
    "optimizations_requested",
]

ENV_VAR = "PAYMENT_SYNTH_OPTIMIZATIONS"
"""Set to ``off``, ``0`` or ``false`` (any case) to run CDKTF exactly as stock."""

DEFAULT_LAZY_PACKAGES: tuple[str, ...] = ("cdktf_cdktf_provider_aws", "cdktf_cdktf_provider_time")
"""The prebuilt provider packages this project imports."""

_OFF_VALUES = frozenset({"off", "0", "false"})

_log = logging.getLogger(__name__)


def optimizations_requested(environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment leaves the fast path on: it is on unless explicitly switched off."""
    env = os.environ if environ is None else environ
    return env.get(ENV_VAR, "").strip().lower() not in _OFF_VALUES


@dataclass(frozen=True)
class _Layout:
    """What the header-only import needs to know about a package, found on its syntax tree."""

    header: CodeType
    submodules: frozenset[str]


def _is_publish_call(statement: ast.stmt) -> bool:
    """``publication.publish()`` as a statement of its own, the line the header ends on."""
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Call)
        and isinstance(statement.value.func, ast.Attribute)
        and statement.value.func.attr == "publish"
        and isinstance(statement.value.func.value, ast.Name)
        and statement.value.func.value.id == "publication"
        and not statement.value.args
        and not statement.value.keywords
    )


def _is_allowed_in_header(statement: ast.stmt) -> bool:
    """Statements the generator writes before ``publish()``; anything else means a layout we don't know."""
    if isinstance(statement, (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign)):
        return True
    if isinstance(statement, ast.FunctionDef):
        # A package defining its own module __getattr__/__dir__ already loads lazily its own way.
        return statement.name not in {"__getattr__", "__dir__"}
    # The module docstring.
    return (
        isinstance(statement, ast.Expr)
        and isinstance(statement.value, ast.Constant)
        and isinstance(statement.value.value, str)
    )


def _submodule_imported(statement: ast.stmt) -> str | None:
    """The name in ``from . import <name>``, the only kind of statement the skipped tail may hold."""
    if (
        isinstance(statement, ast.ImportFrom)
        and statement.level == 1
        and statement.module is None
        and len(statement.names) == 1
        and statement.names[0].asname is None
        and statement.names[0].name != "*"
    ):
        return statement.names[0].name
    return None


def _submodules_on_disk(search_locations: Sequence[str]) -> frozenset[str]:
    """Names importable as submodules: packages (directories) and ``.py`` files in the package."""
    names: set[str] = set()
    for location in search_locations:
        try:
            entries = list(os.scandir(location))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir() and entry.name.isidentifier():
                names.add(entry.name)
            elif entry.name.endswith(".py") and entry.name[:-3].isidentifier():
                names.add(entry.name[:-3])
    return frozenset(names)


def _read_layout(source: str, filename: str, search_locations: Sequence[str]) -> _Layout | str:
    """The header to run and the submodules to defer, or why this package must import normally."""
    body = ast.parse(source, filename=filename).body
    publish_at = [index for index, statement in enumerate(body) if _is_publish_call(statement)]
    if len(publish_at) != 1:
        return f"expected one top-level publication.publish(), found {len(publish_at)}"
    header, tail = body[: publish_at[0] + 1], body[publish_at[0] + 1 :]
    for statement in header[:-1]:
        if not _is_allowed_in_header(statement):
            return f"unexpected {type(statement).__name__} on line {statement.lineno} before publish()"
    if not tail:
        return "nothing after publish() to defer"
    deferred: list[str] = []
    for statement in tail:
        name = _submodule_imported(statement)
        if name is None:
            return f"unexpected {type(statement).__name__} on line {statement.lineno} after publish()"
        deferred.append(name)
    missing = set(deferred) - _submodules_on_disk(search_locations)
    if missing:
        return f"deferred imports name no submodule on disk: {sorted(missing)[:5]}"
    code = compile(ast.Module(body=header, type_ignores=[]), filename, "exec", dont_inherit=True)
    return _Layout(header=code, submodules=frozenset(deferred))


def _lazy_module_getattr(package: str, submodules: frozenset[str]) -> Callable[[str], ModuleType]:
    """PEP 562 ``__getattr__``: reading a deferred submodule as an attribute imports it (once)."""

    def __getattr__(name: str) -> ModuleType:
        if name in submodules:
            # import_module binds the submodule on the package, so this runs once per name.
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__


class _HeaderOnlyLoader(importlib.machinery.SourceFileLoader):
    """Runs the package header instead of the whole ``__init__.py``; otherwise the stock file loader.

    Subclassing the stock loader keeps what jsii and ``importlib.resources`` rely on
    (file name, resource reader, ``is_package``) exactly as before.
    """

    def __init__(self, fullname: str, path: str, layout: _Layout) -> None:
        super().__init__(fullname, path)
        self._layout = layout

    def get_code(self, fullname: str) -> CodeType:
        return self._layout.header

    def exec_module(self, module: ModuleType) -> None:
        super().exec_module(module)
        # publication.publish() swapped sys.modules[name] for a new module holding only __all__;
        # that public module is what importers get, so it is the one that needs __getattr__.
        public = sys.modules.get(module.__name__, module)
        submodules = self._layout.submodules
        public.__getattr__ = _lazy_module_getattr(module.__name__, submodules)  # type: ignore[method-assign]
        public.__dir__ = lambda: sorted(set(vars(public)) | submodules)  # type: ignore[method-assign]


class _LazyPackageFinder(importlib.abc.MetaPathFinder):
    """Finds the registered packages with the other finders, then swaps in the header-only loader."""

    def __init__(self, packages: Iterable[str]) -> None:
        self.packages = frozenset(packages)

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in self.packages:
            return None
        spec = None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        if spec is None:
            return None  # not installed: let the import fail the usual way
        try:
            lazy = self._header_only(spec)
        except Exception as error:  # any surprise in a package we only read means: import it normally
            _log.debug("fast_synth: importing %s normally: %r", fullname, error)
            return spec
        return lazy

    @staticmethod
    def _header_only(spec: importlib.machinery.ModuleSpec) -> importlib.machinery.ModuleSpec:
        """The same spec with the header-only loader, or the unchanged spec if the layout isn't ours."""
        loader = spec.loader
        locations = spec.submodule_search_locations
        if type(loader) is not importlib.machinery.SourceFileLoader or locations is None or spec.origin is None:
            _log.debug("fast_synth: importing %s normally: not a source package (%r)", spec.name, loader)
            return spec
        source = loader.get_source(spec.name)
        if source is None:
            _log.debug("fast_synth: importing %s normally: no source", spec.name)
            return spec
        layout = _read_layout(source, spec.origin, list(locations))
        if isinstance(layout, str):
            _log.debug("fast_synth: importing %s normally: %s", spec.name, layout)
            return spec
        spec.loader = _HeaderOnlyLoader(spec.name, spec.origin, layout)
        _log.debug("fast_synth: %s loads %d submodules on demand", spec.name, len(layout.submodules))
        return spec


_state: dict[str, bool] = {"disabled_gc": False, "froze": False}


def _installed_finders() -> list[_LazyPackageFinder]:
    return [finder for finder in sys.meta_path if isinstance(finder, _LazyPackageFinder)]


def enable(packages: Iterable[str] = DEFAULT_LAZY_PACKAGES) -> bool:
    """Turn the fast path on, unless the environment switched it off; returns whether it is on.

    Call it before anything imports cdktf or a provider: a package imported before this
    keeps its eager import, and GC work already done stays done. Calling it again
    replaces the set of lazily imported packages.
    """
    if not optimizations_requested():
        _log.debug("fast_synth: %s switches the fast path off", ENV_VAR)
        return False
    for finder in _installed_finders():
        sys.meta_path.remove(finder)
    sys.meta_path.insert(0, _LazyPackageFinder(packages))
    if gc.isenabled():
        gc.disable()
        _state["disabled_gc"] = True
    lazy_jsii_index.install()  # lever 4: on any surprise the kernel gets the original tarball
    return True


def after_synth() -> None:
    """Freeze the heap so the interpreter's final collections skip it; call after ``app.synth()``.

    Does nothing when the environment switched the fast path off, so "off" stays stock.
    Freezing only changes which objects later collections look at, never their values.
    """
    if optimizations_requested():
        gc.freeze()
        _state["froze"] = True


def disable() -> None:
    """Undo :func:`enable` for imports from now on: remove the finder, give jsii's kernel back its own
    ``load``, turn GC back on if we turned it off.

    Packages already imported stay as they were loaded. Mostly for tests and for embedding
    synthesis in a longer-lived process.
    """
    for finder in _installed_finders():
        sys.meta_path.remove(finder)
    lazy_jsii_index.uninstall()
    if _state["disabled_gc"]:
        gc.enable()
        _state["disabled_gc"] = False
    if _state["froze"]:
        gc.unfreeze()
        _state["froze"] = False
