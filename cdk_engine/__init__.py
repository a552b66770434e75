"""Which CDK engine synthesizes the app: CDKTF (the default) or its community continuation, CDK Terrain.

The one place the engine is chosen. ``PAYMENT_CDK_ENGINE`` is read and validated here, and :func:`use` makes the
chosen engine the one behind every ``from cdktf import ...`` and ``from cdktf_cdktf_provider_aws.<x> import ...``
in the project. Construct files keep those readable, typed imports and never ask which engine runs:

* ``cdktf`` (default): nothing is installed; the imports load CDKTF and its prebuilt providers, exactly as
  before this module existed.
* ``cdktn``: an import alias (:mod:`cdk_engine.aliases`) answers each import of ``cdktf``, ``cdktf_cdktf_provider_aws``
  or ``cdktf_cdktf_provider_time`` (and their submodules) with the CDK Terrain module of the same submodule name.
  Both names then hold the same module object, so jsii types and ``isinstance`` agree whichever name was used.

Why an alias rather than a wrapper module or an ``if engine`` in each construct: the submodule and class names of the
two engines' packages are the same (CDK Terrain forked CDKTF and regenerated the providers), so the only
difference is the top-level package name; an alias keeps every import checkable by a type checker and an IDE against
the default engine, and leaves the default path untouched.

This module imports neither engine, so validating the choice costs nothing before jsii starts.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from cdk_engine import aliases, versions

__all__ = ["DEFAULT", "ENGINES", "ENV_VAR", "Engine", "EngineError", "chosen", "use", "use_chosen_or_exit"]

ENV_VAR = "PAYMENT_CDK_ENGINE"
DEFAULT = "cdktf"
EXIT_BAD_SETTING = 2


@dataclass(frozen=True)
class Engine:
    """A CDK engine: its name, what it is, and which of its modules answer the project's ``cdktf`` imports."""

    name: str
    label: str  # what it is called
    package: str  # its Python package, as Pipfile.lock pins it
    note: str = ""
    aliases: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Top-level package the project imports -> the engine's package of the same role (empty: none needed)."""

    @property
    def description(self) -> str:
        """What it is and the version the lock pins ("CDKTF 0.21.0; the default"), read only when asked."""
        return f"{self.label} {versions.locked(self.package)}" + (f"; {self.note}" if self.note else "")

    def packages(self) -> tuple[str, ...]:
        """The Python packages this engine loads, under their real names."""
        return tuple(self.aliases.values()) or ("cdktf", "cdktf_cdktf_provider_aws", "cdktf_cdktf_provider_time")


ENGINES: Mapping[str, Engine] = MappingProxyType({
    "cdktf": Engine("cdktf", "CDKTF", "cdktf", "the default"),
    "cdktn": Engine(
        "cdktn",
        "CDK Terrain",
        "cdktn",
        aliases=MappingProxyType({
            "cdktf": "cdktn",
            "cdktf_cdktf_provider_aws": "cdktn_provider_aws",
            "cdktf_cdktf_provider_time": "cdktn_provider_time",
        }),
    ),
})


class EngineError(ValueError):
    """The engine setting is invalid or the engine cannot be used; the message is one line a person can act on."""


def chosen(environ: Mapping[str, str] | None = None) -> Engine:
    """The engine ``PAYMENT_CDK_ENGINE`` names (``cdktf`` when unset), or :class:`EngineError`."""
    env = os.environ if environ is None else environ
    raw = env.get(ENV_VAR, DEFAULT)
    if raw not in ENGINES:
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        allowed = " or ".join(f"{engine.name} ({engine.description})" for engine in ENGINES.values())
        raise EngineError(f"{ENV_VAR}={shown!r} is not a CDK engine; use {allowed}")
    return ENGINES[raw]


def use(engine: Engine) -> None:
    """Make ``engine`` the one behind the project's ``cdktf`` imports; call it before anything imports cdktf.

    Raises :class:`EngineError` when the engine is not installed, or when another engine's modules were already
    imported under the names it needs (a process synthesizes with one engine).
    """
    missing = [package for package in engine.packages() if importlib.util.find_spec(package) is None]
    if missing:
        raise EngineError(
            f"{ENV_VAR}={engine.name!r}: {', '.join(missing)} not installed in this Python; "
            "`make synth` installs it (or `pipenv sync --categories cdktn`)"
        )
    try:
        aliases.install(engine.aliases)
    except ValueError as error:
        raise EngineError(f"{ENV_VAR}={engine.name!r}: {error}; choose the engine before importing cdktf") from None


def use_chosen_or_exit() -> Engine:
    """What an entry point calls first: the chosen engine in use, or one ``error:`` line and exit status 2."""
    try:
        engine = chosen()
        use(engine)
    except EngineError as error:
        print(f"error: {error}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_SETTING) from None
    return engine
