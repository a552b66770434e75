"""The versions the two engines pin, read where they are written, never repeated in code or prose.

Each engine's package is pinned in Pipfile.lock. The Terraform provider release a prebuilt binding was generated
from is written in the binding itself (its provider module's registry link), and it is the version the synthesized
JSON requires.
"""

from __future__ import annotations

import importlib.machinery
import json
import re
from functools import cache
from pathlib import Path

LOCK = Path(__file__).resolve().parent.parent / "Pipfile.lock"


@cache
def locked(package: str, lock: Path = LOCK) -> str:
    """The version Pipfile.lock pins for a package, in whichever category ("0.21.0")."""
    categories = json.loads(lock.read_text())
    for name, packages in categories.items():
        if name != "_meta" and package in packages:
            return str(packages[package]["version"]).removeprefix("==")
    raise LookupError(f"{lock.name} pins no package {package}")


@cache
def provider_release(binding: str, provider: str) -> str:
    """The hashicorp/<provider> release a prebuilt binding (an installed package) was generated from ("6.25.0")."""
    # The package installed under that name, found on sys.path alone: the import system may answer the name with an
    # alias of another engine's package (PAYMENT_CDK_ENGINE=cdktn), and only once something has imported it.
    spec = importlib.machinery.PathFinder.find_spec(binding)
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"{binding} is not installed")
    source = Path(next(iter(spec.submodule_search_locations))) / "provider" / "__init__.py"
    found = re.search(rf"registry\.terraform\.io/providers/hashicorp/{provider}/([^/\s]+)/docs", source.read_text())
    if found is None:
        raise LookupError(f"{source} names no hashicorp/{provider} release")
    return found.group(1)
