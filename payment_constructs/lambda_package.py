"""The Lambda deployment package: the `handlers` package and nothing else, zipped reproducibly.

cdktf's own ARCHIVE assets zip the folder's files at the archive root with their modification times, so a fresh
checkout (new mtimes) yields a new zip and every deploy would replace the functions for no change. We zip the
files ourselves with fixed timestamps and order, so the package and its hash change exactly when the code does.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from cdktf import AssetType, TerraformAsset
from constructs import Construct

from payment_constructs.settings import PROJECT_ROOT

HANDLERS_DIR = PROJECT_ROOT / "handlers"
PACKAGE_NAME = "handlers"  # Lambda imports it as `handlers.<module>`, exactly as the tests do from the repo root
_FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can record
_FILE_MODE = 0o644 << 16


def handler_sources(handlers_dir: Path = HANDLERS_DIR) -> list[Path]:
    """The modules Lambda runs: *.py of the package, without tests, caches or anything hidden."""
    return sorted(
        path for path in handlers_dir.rglob("*.py")
        if not any(part.startswith((".", "test", "__pycache__")) for part in path.relative_to(handlers_dir).parts)
    )


def build_package(handlers_dir: Path = HANDLERS_DIR) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for source in handler_sources(handlers_dir):
            entry = zipfile.ZipInfo(f"{PACKAGE_NAME}/{source.relative_to(handlers_dir).as_posix()}", _FIXED_TIMESTAMP)
            entry.external_attr = _FILE_MODE
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, source.read_bytes())
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
