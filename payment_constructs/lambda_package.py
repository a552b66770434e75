"""The Lambda deployment package: the `handlers` package and the locked libraries it imports, zipped reproducibly.

cdktf's own ARCHIVE assets zip the folder's files at the archive root with their modification times, so a fresh
checkout (new mtimes) yields a new zip and every deploy would replace the functions for no change. We zip the
files ourselves with fixed timestamps and order, so the package and its hash change exactly when the code does.

The libraries (VENDORED) are copied from the distributions Pipfile.lock installed into this environment, each file
checked against the hash pip recorded for it, so the zip holds exactly the locked wheels' files: the same copy the
tests and the local run import. Bytecode caches and installer records (which differ from machine to machine) are
left out; each library's licence and metadata go in.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackagePath, distribution
from pathlib import Path
from typing import Final

from cdktf import AssetType, TerraformAsset
from constructs import Construct

from payment_settings.settings import PROJECT_ROOT

HANDLERS_DIR = PROJECT_ROOT / "handlers"
PACKAGE_NAME = "handlers"  # Lambda imports it as `handlers.<module>`, exactly as the tests do from the repo root
_FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can record
_FILE_MODE = 0o644 << 16
# The distributions the handlers import (handlers/card_values.py), by their name in Pipfile.lock.
VENDORED: Final = ("phonenumberslite", "python-stdnum")
# What a wheel's .dist-info holds that is the same on every machine (INSTALLER, REQUESTED and RECORD are not).
_WHEEL_METADATA: Final = ("METADATA", "WHEEL", "top_level.txt")


class VendoredFileChangedError(RuntimeError):
    """An installed file of a vendored library differs from what its installer recorded: not the locked copy."""


def handler_sources(handlers_dir: Path = HANDLERS_DIR) -> list[Path]:
    """The modules Lambda runs: *.py of the package, without tests, caches or anything hidden."""
    return sorted(
        path for path in handlers_dir.rglob("*.py")
        if not any(part.startswith((".", "test", "__pycache__")) for part in path.relative_to(handlers_dir).parts)
    )


def vendored_files(name: str) -> Iterator[tuple[str, bytes]]:
    """(path in the zip, content) of every file of an installed distribution's packages, licence and metadata."""
    installed = distribution(name)
    packages = tuple(installed.read_text("top_level.txt").split())
    for file in sorted(installed.files or (), key=str):
        parts = file.parts
        in_package = parts[0] in packages and "__pycache__" not in parts
        is_metadata = parts[0].endswith(".dist-info") and (parts[1:] in ((n,) for n in _WHEEL_METADATA)
                                                            or parts[1] == "licenses")
        if in_package or is_metadata:
            yield file.as_posix(), _recorded_content(file)


def _recorded_content(file: PackagePath) -> bytes:
    content = file.read_binary()
    if file.hash is not None:
        digest = base64.urlsafe_b64encode(hashlib.new(file.hash.mode, content).digest()).rstrip(b"=").decode()
        if digest != file.hash.value:
            raise VendoredFileChangedError(f"{file.locate()} differs from its installed record: reinstall it "
                                           "(make deps after removing .venv/.synced)")
    return content


def handler_files(handlers_dir: Path = HANDLERS_DIR) -> tuple[tuple[str, bytes], ...]:
    """(path in the zip, content) of the handlers' own modules."""
    return tuple((f"{PACKAGE_NAME}/{source.relative_to(handlers_dir).as_posix()}", source.read_bytes())
                 for source in handler_sources(handlers_dir))


def build_package(handlers_dir: Path = HANDLERS_DIR) -> bytes:
    return _zipped(handler_files(handlers_dir))


@functools.cache
def _zipped(handlers: tuple[tuple[str, bytes], ...]) -> bytes:
    # Cached by content: compressing the libraries' 4.5 MB costs a quarter of a second, and one process (the tests)
    # synthesizes several times with the same handlers.
    buffer = io.BytesIO()
    vendored = (file for name in VENDORED for file in vendored_files(name))
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path, content in (*handlers, *vendored):
            entry = zipfile.ZipInfo(path, _FIXED_TIMESTAMP)
            entry.external_attr = _FILE_MODE
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    return buffer.getvalue()


def lambda_code_sha256(package: bytes) -> str:
    """Base64 SHA-256 of the zip: the form Lambda reports as CodeSha256 and source_code_hash expects."""
    return base64.b64encode(hashlib.sha256(package).digest()).decode()


@dataclass(frozen=True)
class HandlersPackage:
    filename: str
    source_code_hash: str


def handlers_package(scope: Construct, construct_id: str, build_dir: Path) -> HandlersPackage:
    """Write the zip under build_dir and register it as a file asset, which cdktf copies beside the stack."""
    package = build_package()
    code_hash = lambda_code_sha256(package)
    build_dir.mkdir(parents=True, exist_ok=True)
    zip_path = build_dir / "handlers.zip"
    zip_path.write_bytes(package)
    asset = TerraformAsset(scope, construct_id, path=str(zip_path), type=AssetType.FILE)
    return HandlersPackage(filename=asset.path, source_code_hash=code_hash)
