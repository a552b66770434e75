"""The deployment package: only handler code, and a hash that changes exactly when the code does."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from payment_constructs.lambda_package import HANDLERS_DIR, build_package, lambda_code_sha256


@pytest.fixture
def handlers_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "handlers"
    shutil.copytree(HANDLERS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def entries(package: bytes) -> list[str]:
    return sorted(zipfile.ZipFile(io.BytesIO(package)).namelist())


def test_the_package_holds_the_handlers_package_and_nothing_else(handlers_copy):
    (handlers_copy / "__pycache__").mkdir()
    (handlers_copy / "__pycache__" / "validation.cpython-311.pyc").write_bytes(b"\0")
    (handlers_copy / "test_validation.py").write_text("def test(): ...\n")
    (handlers_copy / ".hidden.py").write_text("")
    (handlers_copy / "notes.txt").write_text("not code")
    names = entries(build_package(handlers_copy))
    assert names == sorted(f"handlers/{p.name}" for p in HANDLERS_DIR.glob("*.py"))
    assert {"handlers/__init__.py", "handlers/validation.py", "handlers/processing.py"} <= set(names)


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
