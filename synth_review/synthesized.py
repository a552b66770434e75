"""The synthesized app as Terraform will see it: cdktf.out's manifest and each stack's cdk.tf.json.

Every check and every line of the review reads from here, never from the Python constructs, so the review shows
what will be deployed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"


class ReviewInputError(Exception):
    """cdktf.out is missing or unreadable; the message is the one line a person needs to act."""


@dataclass(frozen=True)
class Block:
    """One resource or data source: its Terraform address and its synthesized body."""

    address: str  # "aws_kms_key.logs_key_514BF2D1" or "data.aws_region.region_1A2B"
    type: str
    name: str
    body: dict[str, Any]

    @property
    def is_data(self) -> bool:
        return self.address.startswith("data.")


@dataclass(frozen=True)
class Stack:
    name: str
    document: dict[str, Any]
    working_dir: Path
    dependencies: tuple[str, ...]

    def resources(self, resource_type: str | None = None) -> list[Block]:
        return list(self._blocks("resource", "", resource_type))

    def data_sources(self, data_type: str | None = None) -> list[Block]:
        return list(self._blocks("data", "data.", data_type))

    def blocks(self) -> list[Block]:
        return self.resources() + self.data_sources()

    def outputs(self) -> dict[str, dict[str, Any]]:
        return self.document.get("output", {})

    @property
    def backend(self) -> tuple[str, dict[str, Any]]:
        backends = self.document.get("terraform", {}).get("backend", {})
        if not backends:
            return "local", {"path": "terraform.tfstate"}  # Terraform's default when no backend is configured
        ((kind, config),) = backends.items()
        return kind, config

    def _blocks(self, section: str, prefix: str, wanted: str | None) -> Iterator[Block]:
        for block_type, named in sorted(self.document.get(section, {}).items()):
            if wanted is not None and block_type != wanted:
                continue
            for name, body in sorted(named.items()):
                yield Block(f"{prefix}{block_type}.{name}", block_type, name, body)


@dataclass(frozen=True)
class SynthesizedApp:
    outdir: Path
    stacks: tuple[Stack, ...]

    def stack(self, name: str) -> Stack:
        (found,) = [s for s in self.stacks if s.name == name]
        return found


def load(outdir: Path) -> SynthesizedApp:
    """Every stack the manifest lists, in deploy order; ReviewInputError before anything is half-read."""
    manifest_path = outdir / MANIFEST
    if not outdir.is_dir():
        raise ReviewInputError(f"{outdir} does not exist or is not a folder; run `make synth` first")
    manifest = _json(manifest_path, f"{outdir} has no {MANIFEST}; run `make synth` first")
    entries = manifest.get("stacks") if isinstance(manifest, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise ReviewInputError(f"{manifest_path} lists no stacks; run `make synth` again")
    stacks = []
    for name, entry in entries.items():
        document_path = outdir / entry.get("synthesizedStackPath", f"stacks/{name}/cdk.tf.json")
        document = _json(document_path, f"{document_path} is missing: the synth did not finish; run `make synth` again")
        working_dir = outdir / entry.get("workingDirectory", f"stacks/{name}")
        stacks.append(Stack(name, document, working_dir, tuple(entry.get("dependencies", []))))
    return SynthesizedApp(outdir, tuple(_deploy_order(stacks)))


def _json(path: Path, missing: str) -> Any:
    if not path.is_file():
        raise ReviewInputError(missing)
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ReviewInputError(f"{path} is not valid JSON ({error}); run `make synth` again") from None


def _deploy_order(stacks: list[Stack]) -> list[Stack]:
    """Dependencies first, so the review reads top to bottom in the order cdktf deploys."""
    ordered: list[Stack] = []
    remaining = sorted(stacks, key=lambda s: s.name)
    while remaining:
        done = {s.name for s in ordered}
        ready = [s for s in remaining if set(s.dependencies) <= done] or remaining[:1]  # a cycle: keep going
        ordered.append(ready[0])
        remaining.remove(ready[0])
    return ordered
