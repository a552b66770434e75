"""The deployment package: handler code and the locked libraries it imports, and a hash that changes exactly when the
code does."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from importlib.metadata import distribution
from pathlib import Path

import pytest

from payment_constructs.lambda_package import (
    HANDLERS_DIR,
    VENDORED,
    VendoredFileChangedError,
    build_package,
    lambda_code_sha256,
    vendored_files,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def handlers_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "handlers"
    shutil.copytree(HANDLERS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def entries(package: bytes) -> list[str]:
    return sorted(zipfile.ZipFile(io.BytesIO(package)).namelist())


def test_the_package_holds_the_handlers_package_and_the_vendored_libraries_and_nothing_else(handlers_copy):
    (handlers_copy / "__pycache__").mkdir()
    (handlers_copy / "__pycache__" / "validation.cpython-311.pyc").write_bytes(b"\0")
    (handlers_copy / "test_validation.py").write_text("def test(): ...\n")
    (handlers_copy / ".hidden.py").write_text("")
    (handlers_copy / "notes.txt").write_text("not code")
    names = entries(build_package(handlers_copy))
    handlers = sorted(name for name in names if name.startswith("handlers/"))
    assert handlers == sorted(f"handlers/{p.name}" for p in HANDLERS_DIR.glob("*.py"))
    assert {"handlers/__init__.py", "handlers/validation.py", "handlers/processing.py"} <= set(names)
    libraries = {name.split("/")[0] for name in names} - {"handlers"}
    assert libraries == {"phonenumbers", "stdnum", "phonenumberslite-9.0.42.dist-info", "python_stdnum-2.2.dist-info"}
    assert not [name for name in names if "__pycache__" in name or name.endswith((".pyc", "/RECORD", "/INSTALLER"))]


def test_each_vendored_library_is_the_version_pipfile_lock_pins_with_its_licence():
    locked = json.loads((ROOT / "Pipfile.lock").read_text())["default"]
    for name in VENDORED:
        assert f"=={distribution(name).version}" == locked[name]["version"], name
        assert any("/licenses/" in path for path, _ in vendored_files(name)), name


def test_a_vendored_file_changed_after_its_install_is_refused(monkeypatch):
    installed = distribution("python-stdnum")
    original = type(installed.files[0]).read_binary
    monkeypatch.setattr(type(installed.files[0]), "read_binary", lambda file: original(file) + b"# edited\n")
    with pytest.raises(VendoredFileChangedError, match="differs from its installed record"):
        list(vendored_files("python-stdnum"))


def test_the_packaged_validation_handler_imports_its_libraries_from_the_package_on_first_use(tmp_path):
    # A clean interpreter (-I -S: no site-packages, no working directory) with only the package on its path (the zip
    # itself, as the local run imports it): a library missing from the zip fails here as it would on AWS. Imported on
    # first use, so a cold start of a payment that needs neither library pays for neither.
    package = tmp_path / "package.zip"
    package.write_bytes(build_package())
    probe = ("import sys; sys.path.insert(0, sys.argv[1]); from handlers import validation; "
             "print(sorted({'phonenumbers', 'stdnum'} & set(sys.modules))); "
             "print(validation.contains_card_number('+49 1519 4580739, DE89 3704 0044 0532 0130 00')); "
             "print(sys.modules['phonenumbers'].__file__, sys.modules['stdnum'].__file__)")
    shown = subprocess.run([sys.executable, "-I", "-S", "-c", probe, str(package)], capture_output=True, text=True,
                           check=True).stdout.split()
    libraries = [str(package / name / "__init__.py") for name in ("phonenumbers", "stdnum")]
    assert shown == ["[]", "False", *libraries]


def test_the_hash_does_not_change_when_only_file_times_change(handlers_copy):
    before = lambda_code_sha256(build_package(handlers_copy))
    for source in handlers_copy.glob("*.py"):
        os.utime(source, (0, 1_000_000_000))
    assert lambda_code_sha256(build_package(handlers_copy)) == before


def test_the_hash_changes_when_the_code_changes(handlers_copy):
    before = lambda_code_sha256(build_package(handlers_copy))
    validation = handlers_copy / "validation.py"
    validation.write_text(validation.read_text() + "\n# a change\n")
    assert lambda_code_sha256(build_package(handlers_copy)) != before


def test_both_functions_deploy_the_synthesized_package_with_its_hash(app_stack):
    functions = list(app_stack.named("aws_lambda_function").values())
    package = (app_stack.working_dir / functions[0]["filename"]).read_bytes()
    for function in functions:
        assert (app_stack.working_dir / function["filename"]).read_bytes() == package
        assert function["source_code_hash"] == lambda_code_sha256(package)
    assert package == build_package()
