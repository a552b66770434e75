"""One place chooses the engine: the setting, the import alias that serves `cdktf` imports from CDK Terrain, and the
rule that no construct file asks which engine runs."""

from __future__ import annotations

import importlib
import re
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

import cdk_engine
from cdk_engine import aliases, versions

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    """A fake 'real' package with a submodule and a class, and a free alias name; the finder removed after."""
    real, alias = f"real_{uuid.uuid4().hex[:8]}", f"alias_{uuid.uuid4().hex[:8]}"
    (tmp_path / real / "kms_key").mkdir(parents=True)
    (tmp_path / real / "__init__.py").write_text("class App:\n    pass\n")
    (tmp_path / real / "kms_key" / "__init__.py").write_text("class KmsKey:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    previous = aliases.installed()
    yield real, alias
    aliases.uninstall()
    if previous:
        sys.meta_path.insert(0, previous)
    for name in [n for n in sys.modules if n.split(".")[0] in (real, alias)]:
        del sys.modules[name]


def install_beside_the_sessions(extra: dict[str, str]) -> None:
    """Add aliases to those the session's engine installed (PAYMENT_CDK_ENGINE=cdktn runs the suite on aliases)."""
    session = aliases.installed()
    aliases.install({**(session.aliases if session else {}), **extra})


def test_an_alias_is_the_real_module_not_a_copy(packages):
    real, alias = packages
    install_beside_the_sessions({alias: real})

    aliased = importlib.import_module(alias)

    assert aliased is importlib.import_module(real)
    assert aliased.__spec__.name == real  # the module keeps its own spec (resources, relative imports)


def test_a_submodule_imported_through_the_alias_is_the_real_submodule_and_its_classes_are_one_class(packages):
    real, alias = packages
    install_beside_the_sessions({alias: real})

    namespace: dict[str, object] = {}
    exec(f"from {alias}.kms_key import KmsKey", namespace)

    real_module = importlib.import_module(f"{real}.kms_key")
    assert namespace["KmsKey"] is real_module.KmsKey
    assert isinstance(namespace["KmsKey"](), real_module.KmsKey)
    assert sys.modules[f"{alias}.kms_key"] is real_module


def test_a_provider_release_is_read_from_the_package_installed_under_that_name_not_from_an_alias_of_it(
    packages, tmp_path
):
    # compare.allowed() reads CDKTF's binding by its real name in a process that may alias that name to CDK Terrain's.
    real, alias = packages
    for name, release in ((real, "6.0.0"), (alias, "5.0.0")):
        (tmp_path / name / "provider").mkdir(parents=True, exist_ok=True)
        (tmp_path / name / "provider" / "__init__.py").write_text(
            f'"""https://registry.terraform.io/providers/hashicorp/aws/{release}/docs"""\n')
    (tmp_path / alias / "__init__.py").write_text("")
    importlib.invalidate_caches()
    install_beside_the_sessions({alias: real})

    assert versions.provider_release(alias, "aws") == "5.0.0"
    importlib.import_module(alias)
    assert versions.provider_release.__wrapped__(alias, "aws") == "5.0.0"


def test_a_submodule_the_real_package_lacks_fails_as_a_missing_module(packages):
    real, alias = packages
    install_beside_the_sessions({alias: real})

    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(f"{alias}.no_such_resource")


def test_an_alias_already_imported_as_another_module_cannot_be_redirected(packages, monkeypatch):
    real, alias = packages
    monkeypatch.setitem(sys.modules, alias, importlib.import_module("json"))

    with pytest.raises(ValueError, match=alias):
        install_beside_the_sessions({alias: real})
    assert aliases.installed() is None or alias not in aliases.installed().aliases


def test_the_cdktn_engine_maps_each_package_the_project_imports():
    engine = cdk_engine.ENGINES["cdktn"]
    assert dict(engine.aliases) == {
        "cdktf": "cdktn",
        "cdktf_cdktf_provider_aws": "cdktn_provider_aws",
        "cdktf_cdktf_provider_time": "cdktn_provider_time",
    }


def test_every_submodule_the_constructs_import_exists_under_the_same_name_in_cdk_terrain():
    """The alias maps package names only: each `cdktf_cdktf_provider_*.x` the project imports must be a
    `cdktn_provider_*.x` (checked on disk, without importing either engine)."""
    imported = set()
    probe = ROOT / "tests" / "payment_constructs" / "state_probe_app.py"
    for path in [ROOT / "main.py", *(ROOT / "payment_constructs").glob("*.py"), probe]:
        imported |= set(re.findall(r"^\s*from (cdktf_cdktf_provider_\w+\.\w+) import", path.read_text(), re.M))
    assert imported, "the walk found no provider import"
    engine = cdk_engine.ENGINES["cdktn"]
    missing = [name for name in sorted(imported)
               if not submodule_on_disk(aliases.AliasFinder(engine.aliases).real_name(name))]
    assert missing == []


def submodule_on_disk(name: str) -> bool:
    """Whether package.sub is installed, read from the package's folder: find_spec("package.sub") would import the
    package, and a provider's import loads its whole jsii assembly (seconds)."""
    package, _, submodule = name.partition(".")
    spec = importlib.util.find_spec(package)
    return spec is not None and any((Path(folder) / submodule / "__init__.py").is_file() or
                                    (Path(folder) / f"{submodule}.py").is_file()
                                    for folder in spec.submodule_search_locations or ())


def test_no_construct_file_asks_which_engine_runs():
    """No construct imports the engine switch or reads its setting (settings.py may name it among the tool switches
    a shell may set in any environment: naming is not asking)."""
    forks = [path.name for path in (ROOT / "payment_constructs").glob("*.py")
             if re.search(r"cdktn|cdk_engine|environ\S*\W+PAYMENT_CDK_ENGINE", path.read_text())]
    assert forks == []


def test_an_engine_that_is_not_installed_is_one_line_saying_how_to_install_it(monkeypatch):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None if name == "cdktn" else real_find_spec(name))

    with pytest.raises(cdk_engine.EngineError) as error:
        cdk_engine.use(cdk_engine.ENGINES["cdktn"])

    assert str(error.value) == ("PAYMENT_CDK_ENGINE='cdktn': cdktn not installed in this Python; "
                                "`make synth` installs it (or `pipenv sync --categories cdktn`)")


def test_an_unknown_engine_stops_the_entry_points_with_one_line_and_exit_2(monkeypatch, capsys):
    """main.py, the state probe and the benchmark call this before anything imports cdktf."""
    monkeypatch.setenv(cdk_engine.ENV_VAR, "terrain")

    with pytest.raises(SystemExit) as stopped:
        cdk_engine.use_chosen_or_exit()

    assert stopped.value.code == 2
    assert capsys.readouterr().err == (
        f"error: PAYMENT_CDK_ENGINE='terrain' is not a CDK engine; use cdktf (CDKTF {versions.locked('cdktf')}; "
        f"the default) or cdktn (CDK Terrain {versions.locked('cdktn')})\n"
    )
