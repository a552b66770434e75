"""Do two synthesized trees, one per engine, describe the same infrastructure? Only the listed differences may differ.

    python -m cdk_engine.compare CDKTF_OUTDIR CDKTN_OUTDIR

Exit 0: the trees hold the same files and the same values, apart from exactly the differences ``allowed()`` lists (each
of which must be there, with exactly the listed values: a stale list fails too). Exit 1: the first other
difference, as its file and the path of the value (``stacks/app/cdk.tf.json: resource.aws_kms_key.logs.policy``).
Exit 2: a tree is missing or a document is not JSON. JSON is compared parsed, so layout (CDK Terrain writes an
empty array of the manifest as ``[]``, CDKTF as ``[\\n      ]``) is not a difference; every other file byte for byte.
Both trees must be synthesized at the same depth (e.g. ``cdktf.out`` and ``cdktn.out`` side by side): the local
backend's state path is written relative to the stack's folder.
"""

from __future__ import annotations

import fnmatch
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cdk_engine import versions

__all__ = ["Allowed", "allowed", "first_difference", "tree_difference"]

# Files that say how a tree was made, not what it describes (make synth's freshness stamp and note).
IGNORED = (".synth-inputs.sha256", ".synth-inputs.pending")

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Allowed:
    """One value that may differ between the engines: where, what each engine writes there, and why."""

    files: str
    path: Path_
    cdktf: Any
    cdktn: Any
    why: str


_STACKS = "stacks/*/cdk.tf.json"
_PROVIDERS = ("terraform", "required_providers")


def allowed() -> tuple[Allowed, ...]:
    """The differences, with each engine's versions read from Pipfile.lock and its installed provider bindings."""
    engines = (versions.locked("cdktf"), versions.locked("cdktn"))
    aws = (versions.provider_release("cdktf_cdktf_provider_aws", "aws"),
           versions.provider_release("cdktn_provider_aws", "aws"))
    time = (versions.provider_release("cdktf_cdktf_provider_time", "time"),
            versions.provider_release("cdktn_provider_time", "time"))
    return (
        Allowed("manifest.json", ("version",), *engines, "the engine's own version"),
        Allowed(_STACKS, ("//", "metadata", "version"), *engines, "the engine's own version"),
        Allowed(_STACKS, (*_PROVIDERS, "aws", "source"), "aws", "hashicorp/aws",
                "the same provider: Terraform reads a bare name as hashicorp/<name>"),
        Allowed(_STACKS, (*_PROVIDERS, "aws", "version"), *aws,
                "the hashicorp/aws release each engine's prebuilt bindings are generated from"),
        Allowed("stacks/encryption/cdk.tf.json", (*_PROVIDERS, "time", "version"), *time,
                "the hashicorp/time release each engine's prebuilt bindings are generated from"),
    )


def _dotted(path: Path_) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the whole document)"


def first_difference(left: Any, right: Any, path: Path_ = ()) -> str | None:
    """The path of the first value that differs (keys in sorted order, list items in order), or None."""
    if isinstance(left, dict) and isinstance(right, dict):
        for key in sorted(left.keys() | right.keys()):
            if key not in left or key not in right:
                side = "cdktf" if key in left else "cdktn"
                return f"{_dotted((*path, key))} (only in the {side} tree)"
            found = first_difference(left[key], right[key], (*path, key))
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list):
        for index, (a, b) in enumerate(zip(left, right, strict=False)):
            found = first_difference(a, b, (*path, index))
            if found:
                return found
        if len(left) != len(right):
            return f"{_dotted(path)} ({len(left)} items against {len(right)})"
        return None
    if type(left) is not type(right) or left != right:
        return f"{_dotted(path)}: {_short(left)} against {_short(right)}"
    return None


def _short(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _lookup(document: Any, path: Path_) -> Any:
    for part in path:
        document = document[part]
    return document


def _replace(document: Any, path: Path_, value: Any) -> None:
    _lookup(document, path[:-1])[path[-1]] = value


def _files(root: Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() and p.name not in IGNORED}


def _document_difference(name: str, cdktf: Any, cdktn: Any, allowed: tuple[Allowed, ...]) -> str | None:
    for entry in allowed:
        if not fnmatch.fnmatch(name, entry.files):
            continue
        try:
            seen = (_lookup(cdktf, entry.path), _lookup(cdktn, entry.path))
        except (KeyError, IndexError, TypeError):
            return f"{name}: {_dotted(entry.path)} is an allowed difference but is missing"
        if seen != (entry.cdktf, entry.cdktn):
            return (f"{name}: {_dotted(entry.path)} is {_short(seen[0])} against {_short(seen[1])}; "
                    f"the allowed difference is {_short(entry.cdktf)} against {_short(entry.cdktn)}")
        _replace(cdktn, entry.path, entry.cdktf)
    found = first_difference(cdktf, cdktn)
    return f"{name}: {found}" if found else None


def tree_difference(cdktf_out: Path, cdktn_out: Path, differences: tuple[Allowed, ...] | None = None) -> str | None:
    """The first difference between the trees that `differences` (default: ``allowed()``) does not list, or None;
    ValueError on bad JSON."""
    differences = allowed() if differences is None else differences
    left, right = _files(cdktf_out), _files(cdktn_out)
    if left != right:
        name = sorted(left ^ right)[0]
        return f"{name} (only in the {'cdktf' if name in left else 'cdktn'} tree)"
    for name in sorted(left):
        a, b = (cdktf_out / name).read_bytes(), (cdktn_out / name).read_bytes()
        if name.endswith(".json"):
            found = _document_difference(name, _parse(a, cdktf_out / name), _parse(b, cdktn_out / name), differences)
        else:
            found = None if a == b else f"{name} (the bytes differ)"
        if found:
            return found
    return None


def _parse(data: bytes, path: Path) -> Any:
    try:
        return json.loads(data)
    except ValueError:
        raise ValueError(f"{path} is not valid JSON") from None


def _arguments(argv: list[str]) -> Iterator[Path]:
    for raw in argv:
        path = Path(raw)
        if not (path / "manifest.json").is_file():
            raise ValueError(f"{raw} holds no manifest.json; synthesize into it first")
        yield path


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m cdk_engine.compare CDKTF_OUTDIR CDKTN_OUTDIR", file=sys.stderr)
        return 2
    try:
        cdktf_out, cdktn_out = _arguments(argv)
        found = tree_difference(cdktf_out, cdktn_out)
    except (ValueError, OSError, LookupError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if found:
        print(f"differs: {found}")
        return 1
    print(f"same infrastructure: {cdktf_out} and {cdktn_out} differ only in the {len(allowed())} allowed values")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
