"""Header-only import of registered packages, and the fall back to a normal import."""

from __future__ import annotations

import importlib
import importlib.machinery
import logging
import sys
from collections.abc import Callable
from types import ModuleType

import pytest

PackageMaker = Callable[..., str]

# The header the jsii code generator writes into a provider package's __init__.py, trimmed to its shape.
GENERATED_HEADER = '''\
r"""A provider package as jsii-pacmak generates it."""
from pkgutil import extend_path
__path__ = extend_path(__path__, __name__)

import typing

import publication

TYPEGUARD_MAJOR_VERSION = 2

def check_type(argname: str, value: object, expected_type: typing.Any) -> typing.Any:
    return None

__all__ = [{names}]

publication.publish()
'''


def generated_layout(submodules: tuple[str, ...] = ("alpha", "beta")) -> str:
    """The full __init__.py of a generated provider package: header, then one import per submodule."""
    return GENERATED_HEADER + "".join(f"from . import {submodule}\n" for submodule in submodules)


def imported(name: str) -> bool:
    return name in sys.modules


class TestGeneratedLayoutLoadsLazily:
    def test_importing_the_package_imports_no_submodule(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable((name,))

        package = importlib.import_module(name)

        assert package.__all__ == ["alpha", "beta"]
        assert not imported(f"{name}.alpha")
        assert not imported(f"{name}.beta")

    def test_the_package_is_the_published_module_and_keeps_its_path(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable((name,))

        package = importlib.import_module(name)

        assert sys.modules[name] is package
        assert package._private is sys.modules[f"{name}._private"]  # publication.publish() ran
        assert package.__path__

    def test_import_statement_of_a_submodule_loads_only_that_one(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable((name,))

        alpha = importlib.import_module(f"{name}.alpha")

        assert alpha.WHO == "alpha"
        assert not imported(f"{name}.beta")

    def test_attribute_access_imports_the_submodule(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable((name,))
        package = importlib.import_module(name)

        assert package.beta.WHO == "beta"
        assert package.beta is sys.modules[f"{name}.beta"]
        assert not imported(f"{name}.alpha")

    def test_from_package_import_submodule_works(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable((name,))

        namespace: dict[str, object] = {}
        exec(f"from {name} import alpha", namespace)

        assert namespace["alpha"] is sys.modules[f"{name}.alpha"]

    def test_star_import_still_imports_every_listed_submodule(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable((name,))

        namespace: dict[str, object] = {}
        exec(f"from {name} import *", namespace)

        assert {"alpha", "beta"} <= set(namespace)

    def test_unknown_attribute_is_an_attribute_error(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable((name,))
        package = importlib.import_module(name)

        with pytest.raises(AttributeError, match="no_such_thing"):
            package.no_such_thing  # noqa: B018

    def test_dir_lists_submodules_not_yet_imported(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable((name,))

        assert {"alpha", "beta"} <= set(dir(importlib.import_module(name)))

    def test_unregistered_packages_import_as_usual(
        self, fast_synth_module: ModuleType, make_package: PackageMaker
    ) -> None:
        name = make_package(generated_layout())
        fast_synth_module.enable(("some_other_package",))

        importlib.import_module(name)

        assert imported(f"{name}.alpha")
        assert imported(f"{name}.beta")


PUBLISH = "publication.publish()\n"

UNEXPECTED_LAYOUTS = {
    "no publish() marker": generated_layout().replace(PUBLISH, ""),
    "publish() twice": generated_layout().replace(PUBLISH, PUBLISH + PUBLISH),
    "a class before publish()": generated_layout().replace(PUBLISH, "class Extra:\n    pass\n\n" + PUBLISH),
    "top-level code before publish()": generated_layout().replace(PUBLISH, "if True:\n    X = 1\n" + PUBLISH),
    "its own module __getattr__": generated_layout().replace(
        PUBLISH, "def __getattr__(name):\n    raise AttributeError(name)\n\n" + PUBLISH
    ),
    "a statement after the submodule imports": generated_layout() + "SIDE_EFFECT = True\n",
    "an aliased submodule import": generated_layout().replace("from . import beta", "from . import beta as b"),
    "nothing after publish()": GENERATED_HEADER,
}


@pytest.mark.parametrize("source", UNEXPECTED_LAYOUTS.values(), ids=UNEXPECTED_LAYOUTS.keys())
def test_unexpected_layout_falls_back_to_a_normal_import_without_error(
    fast_synth_module: ModuleType, make_package: PackageMaker, caplog: pytest.LogCaptureFixture, source: str
) -> None:
    name = make_package(source)
    fast_synth_module.enable((name,))

    with caplog.at_level(logging.DEBUG, logger=fast_synth_module.__name__):
        package = importlib.import_module(name)

    assert type(package.__spec__.loader) is importlib.machinery.SourceFileLoader
    assert imported(f"{name}.alpha") == ("from . import alpha" in source)  # eager, as without fast_synth
    assert any(name in record.getMessage() and "normally" in record.getMessage() for record in caplog.records)
    assert not [record for record in caplog.records if record.levelno > logging.DEBUG]


def test_a_deferred_name_with_no_submodule_on_disk_falls_back(
    fast_synth_module: ModuleType, make_package: PackageMaker
) -> None:
    name = make_package(generated_layout(("alpha", "beta")) + "from . import gamma\n")
    fast_synth_module.enable((name,))

    # The normal import fails on the missing submodule exactly as it would without fast_synth.
    with pytest.raises(ImportError, match="gamma"):
        importlib.import_module(name)


def test_a_package_that_is_not_installed_fails_to_import_as_usual(fast_synth_module: ModuleType) -> None:
    fast_synth_module.enable(("no_such_provider_package",))

    with pytest.raises(ModuleNotFoundError):
        importlib.import_module("no_such_provider_package")
