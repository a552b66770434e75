"""Fast path for CDKTF-Python synthesis: same Terraform JSON, a fraction of the time and memory.

A stock synth of a small app with the prebuilt AWS provider spends almost all of its time
on work whose results the synthesized JSON never sees. This module removes most of that
work, on the Python side and in jsii's Node kernel (the output stays byte-identical, which
``tests/synth_speed/test_synth_identity.py`` checks against a stock synth); call :func:`enable`
before anything imports cdktf or a provider, and :func:`after_synth` right after
``app.synth()``::

    from synth_speed import fast_synth

    fast_synth.enable()  # before cdktf / provider imports
    ...
    app.synth()
    fast_synth.after_synth()

Switch it off with ``PAYMENT_SYNTH_OPTIMIZATIONS=off`` (``0`` and ``false`` work too, in
any case): then :func:`enable` installs nothing (no import finder, no jsii kernel hook) and
leaves the garbage collector alone, and the program runs exactly as stock CDKTF.

The levers, and why each one cannot change what is synthesized
----------------------------------------------------------------

1. **Provider submodules load on demand.** ``cdktf_cdktf_provider_aws/__init__.py`` ends
   with 2,212 ``from . import <resource>`` lines, so ``import cdktf_cdktf_provider_aws.kms_key``
   first builds the Python classes of every AWS resource (typing generics, class creation,
   and one ``importlib.metadata.version('typeguard')`` lookup per submodule). A
   ``sys.meta_path`` finder makes the import of the *package* execute only the header of
   its ``__init__.py``: everything up to and including ``publication.publish()``. That
   header still imports ``._jsii``, which loads the full jsii assembly into the Node
   kernel, so every type the kernel knows about is unchanged; the skipped tail only
   creates Python classes for resources the app never instantiates. Submodules still
   import normally (``import cdktf_cdktf_provider_aws.kms_key``), and a module-level
   ``__getattr__`` imports one when it is read as an attribute
   (``from cdktf_cdktf_provider_aws import kms_key``). ``from <package> import *`` still
   imports them all, because ``__all__`` lists them.

   The finder only rewrites a package whose ``__init__.py`` has exactly the layout the
   jsii code generator writes, checked on its syntax tree (never by byte offsets): one
   top-level ``publication.publish()``, before it only a docstring, imports, assignments and
   plain function definitions, and after it nothing but ``from . import <name>`` lines
   naming submodules that exist on disk. Any other layout, an unreadable source, or a
   loader other than the plain source-file loader, and the finder steps aside (with a
   debug log on this module's logger): the package then imports exactly as without this
   module, eagerly and with no error.

   Caveat: if the Node side ever hands Python an object whose class lives in a submodule
   that was never imported, jsii raises ``ValueError: Unknown type: <fqn>``. It never
   produces different output silently. Objects created from Python are registered when
   they are created, so synthesis is not affected; only reading JS-created provider objects
   back into Python (e.g. walking another library's constructs) could hit this. The fix
   is to import that submodule.

   CDK Terrain's providers (``PAYMENT_CDK_ENGINE=cdktn``, :mod:`cdk_engine`) need no such lever: their
   ``__init__.py`` already imports submodules on demand and tells jsii which submodule holds each type (so the
   caveat above does not apply to them). The finder is registered for CDKTF's package names only; under CDK
   Terrain those names are import aliases, which the finder leaves alone (a debug log, no warning).

2. **No cyclic garbage collection while the program runs.** Importing provider classes
   creates millions of long-lived objects and no garbage cycles worth collecting, so
   Python's generational collector spends seconds re-walking live objects. Collection
   only frees unreachable cycles; it never changes the value of a reachable object, so
   it cannot change the JSON. Reference counting still frees everything that is not part
   of a cycle.

3. **Freeze the heap after synthesis** (:func:`after_synth`). ``gc.freeze()`` moves every
   tracked object to the permanent generation, so the collections the interpreter runs
   at shutdown skip them. It runs after ``app.synth()`` has written every file.

4. **The Node kernel requires provider JavaScript on demand**
   (:mod:`synth_speed.lazy_jsii_index`). Even with lever 1, ``._jsii`` loads the
   AWS assembly, and jsii's Node kernel ``require``s the provider's ``lib/index.js``, which
   eagerly ``require``s 2,212 modules (about 224 MB of JavaScript, about 490 MB of Node
   heap). :func:`enable` wraps ``jsii._kernel.Kernel.load`` so that, for
   ``@cdktf/provider-aws``, the kernel gets a derived tarball: the original with a
   ``lib/index.js`` whose exports are getters that ``require`` a namespace on first read,
   plus the kernel's own runtime index files, built once by the index builder jsii embeds
   (without them the kernel re-parses the 131 MB ``.jsii`` on every run). The kernel finds
   a type only by walking ``closure[namespace][Type]``, so a getter hands it the very object
   the eager export would have: the types it knows, and the JSON, are unchanged. The derived
   tarball is built on first use (about 6 s, with a one-off tree peak of about 820 MB while
   jsii's builder parses the ``.jsii``) and cached in ``.tools/lazy-jsii/`` (or
   ``$PAYMENT_LAZY_JSII_CACHE``), keyed by the original's sha256, the jsii runtime version
   and a format version.

   CDK Terrain's ``@cdktn/provider-aws`` gets the same treatment; its ``index.js`` exports each namespace through
   TypeScript's ``__importStar`` helper, which the lazy index keeps verbatim and applies on first read.

   Risks, and what limits them: the index rewrite accepts only the lines the generator
   writes (anything else raises, see :func:`lazy_jsii_index.lazy_index`), and any failure to
   derive (unknown layout, a required module missing, node failing, I/O errors, jsii's
   internals moved) logs a warning and the kernel loads the original tarball: stock, never
   an error. The kernel itself validates the runtime index and parses the full ``.jsii``
   if its format changed. What is *not* caught: a derived tarball corrupted after it was
   cached would make the kernel's load fail (delete ``.tools/lazy-jsii`` to rebuild). Each
   derived tarball is also a new entry (about 430 MB extracted) in jsii's own package cache
   (``~/.cache/aws/jsii/package-cache``; jsii's default TTL drops entries unused for 30 days). With
   ``JSII_RUNTIME_PACKAGE_CACHE=disabled`` the kernel ignores runtime indexes: the lazy
   ``index.js`` still saves the JavaScript, but the ``.jsii`` is parsed every run.

What each lever saves, in time and memory, is measured by ``bench/run.py`` and recorded in
``bench/results.md`` (the only place figures are kept, so they cannot disagree).

With levers 1 and 4 working, levers 2 and 3 save little (the heap is small); they are kept
as insurance for when a provider falls back to its eager import, where they alone halve
the time. We do *not* end the process with ``os._exit``: it cut the 0.14 s between
``app.synth()`` returning and the process ending to 0.01 s, a saving lost in run-to-run
noise, and it would skip ``atexit`` handlers (jsii's orderly stop of its Node process)
and the flushing of buffered output.

What was investigated and left alone
------------------------------------

* Node options: ``NODE_OPTIONS=--max-semi-space-size=64`` made no measurable difference,
  and Node 20 has no on-disk compile cache (``NODE_COMPILE_CACHE`` needs Node 22). Skipping
  the assembly load is not safe: the kernel must know the provider's types to create its
  resources (lever 4 defers the JavaScript, never the assembly).
* Every generated module runs ``importlib.metadata.version('typeguard')`` at import. The
  stock AWS import makes 2,217 such calls: 1.4-1.8 s of its time with GC on, 0.6-0.9 s
  with GC off. Lazy import makes one per submodule actually used (about ten for a small
  app), so lever 1 removes that cost without touching typeguard or importlib.
* Parsing the AWS package's ``__init__.py`` to find its header costs about 40 ms, once per
  process.
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
