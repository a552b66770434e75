"""A Lambda function's packaged code, imported in isolation, as one warm container holds it.

The code is imported from the zip that would be deployed, not from the
working tree, so a file missing from the package fails here as it would on
AWS. It is imported from the zip itself (zipimport), not from a copy
extracted file by file: the package holds the handlers' vendored libraries,
hundreds of files, and a sandbox is created by whichever worker thread
invokes the function first, where a slow extraction raced an interrupted
run's clean-up. The zip's top-level packages (``handlers``) may also be imported by the
caller from the working tree (the handler tests do), so while a sandbox runs
it swaps its own modules into ``sys.modules`` under those names and puts
everything back afterwards. Modules stay loaded between invocations, like a
warm container: module-level caches (the ledger client) live as long as the
sandbox, and a new sandbox is a cold start.

Everything here mutates process-global state (``sys.modules``, ``sys.path``,
``os.environ``), so invocations are serialized by one lock.
"""

from __future__ import annotations

import importlib
import io
import os
import sys
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

_PROCESS_STATE = threading.Lock()


class HandlerSandbox:
    """One function version's code: its zip and the modules imported from it."""

    def __init__(self, code: bytes, handler: str) -> None:
        module_name, _, function_name = handler.rpartition(".")
        if not module_name:
            raise ValueError(f"handler {handler!r} is not of the form module.function")
        self._module_name = module_name
        self._function_name = function_name
        self._directory = tempfile.TemporaryDirectory(prefix="local-run-lambda-")
        self.root = Path(self._directory.name) / "package.zip"  # on sys.path, as Lambda's /var/task is
        self.root.write_bytes(code)
        with zipfile.ZipFile(io.BytesIO(code)) as archive:
            self._top_level = _top_level_names(archive.namelist())
        self._modules: dict[str, ModuleType] = {}

    def call(self, event: Any, context: Any, environment: Mapping[str, str]) -> Any:
        """Run the handler on ``event`` with ``environment`` set, as the Lambda runtime would."""
        with _PROCESS_STATE, self._installed(), _environment(environment):
            handler = self._load_handler()
            return handler(event, context)

    def close(self) -> None:
        self._modules.clear()
        self._directory.cleanup()

    def _load_handler(self) -> Callable[[Any, Any], Any]:
        module = importlib.import_module(self._module_name)
        handler = getattr(module, self._function_name, None)
        if not callable(handler):
            raise AttributeError(f"handler {self._function_name!r} missing in module {self._module_name!r}")
        return handler

    def _owns(self, module_name: str) -> bool:
        return module_name.partition(".")[0] in self._top_level

    @contextmanager
    def _installed(self) -> Iterator[None]:
        displaced = {name: module for name, module in sys.modules.items() if self._owns(name)}
        for name in displaced:
            del sys.modules[name]
        sys.modules.update(self._modules)
        sys.path.insert(0, str(self.root))
        importlib.invalidate_caches()
        try:
            yield
        finally:
            sys.path.remove(str(self.root))
            self._modules = {name: module for name, module in sys.modules.items() if self._owns(name)}
            for name in self._modules:
                del sys.modules[name]
            sys.modules.update(displaced)


@contextmanager
def _environment(variables: Mapping[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _top_level_names(paths: list[str]) -> frozenset[str]:
    names = {PurePosixPath(path).parts[0] for path in paths}
    names = {name.removesuffix(".py") for name in names}
    return frozenset(name for name in names if name.isidentifier())
