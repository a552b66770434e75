"""The synthesized app as Terraform will see it: cdktf.out's manifest and each stack's cdk.tf.json.

`load` finds each stack where the manifest says it is, and refuses a tree that is missing or half-written in one line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cdktf_out.expressions import single_reference, whole_expression

MANIFEST = "manifest.json"


class SynthesizedTreeError(Exception):
    """cdktf.out is missing or unreadable, or lacks what a reader needs; the message is the one line a person needs
    to act."""


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
    path: Path | None = None  # the cdk.tf.json it was read from

    def resources(self, resource_type: str | None = None) -> list[Block]:
        return list(self._blocks("resource", "", resource_type))

    def data_sources(self, data_type: str | None = None) -> list[Block]:
        return list(self._blocks("data", "data.", data_type))

    def blocks(self) -> list[Block]:
        return self.resources() + self.data_sources()

    def outputs(self) -> dict[str, dict[str, Any]]:
        return self.document.get("output", {})

    def output(self, name: str) -> dict[str, Any]:
        return self.outputs()[name]

    def named(self, resource_type: str) -> dict[str, dict[str, Any]]:
        """The resources of one type by Terraform name: {"ledger_table_BE9C0D06": {...}}."""
        return self.document.get("resource", {}).get(resource_type, {})

    def named_data(self, data_type: str) -> dict[str, dict[str, Any]]:
        """The data sources of one type by Terraform name."""
        return self.document.get("data", {}).get(data_type, {})

    def only(self, resource_type: str) -> tuple[str, dict[str, Any]]:
        """The single resource of a type, with its Terraform name; SynthesizedTreeError if there are none or several."""
        found = self.named(resource_type)
        if len(found) != 1:
            raise SynthesizedTreeError(
                f"expected exactly one {resource_type} in the {self.name} stack, found {sorted(found) or 'none'}"
            )
        return next(iter(found.items()))

    def key_by_alias(self, alias: str) -> tuple[str, dict[str, Any]]:
        """The aws_kms_key an alias points at, with its Terraform name."""
        (target,) = [a["target_key_id"] for a in self.named("aws_kms_alias").values() if a["name"] == alias]
        key_name = _address_of(target).split(".")[1]
        return key_name, self.named("aws_kms_key")[key_name]

    def sleep_for_key(self, key_name: str) -> tuple[str, dict[str, Any]]:
        """The time_sleep whose triggers carry this key's ARN."""
        (found,) = [
            (name, sleep) for name, sleep in self.named("time_sleep").items()
            if sleep.get("triggers", {}).get("key_arn") == f"${{aws_kms_key.{key_name}.arn}}"
        ]
        return found

    def role_policy(self, role_arn: str) -> tuple[str, dict[str, Any]]:
        """The inline policy of the role a `${aws_iam_role.<name>.arn}` reference names: its Terraform name and the
        parsed policy document."""
        role_name = _address_of(role_arn).split(".")[1]
        (found,) = [
            (name, json.loads(policy["policy"])) for name, policy in self.named("aws_iam_role_policy").items()
            if whole_expression(policy["role"]) == f"aws_iam_role.{role_name}.id"  # not a role named literally
        ]
        return found

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
        found = [s for s in self.stacks if s.name == name]
        if not found:
            listed = ", ".join(s.name for s in self.stacks)
            raise SynthesizedTreeError(f"{self.outdir / MANIFEST} lists no stack {name!r} (it lists {listed})")
        return found[0]

    def producer_of(self, consumer: Stack, reader: Block) -> Stack | None:
        """The stack whose backend writes the state a terraform_remote_state block of `consumer` reads."""
        wanted = _state_location(reader.body.get("backend", "local"), reader.body.get("config", {}), consumer)
        for stack in self.stacks:
            kind, config = stack.backend
            if stack is not consumer and _state_location(kind, config, stack) == wanted:
                return stack
        return None


def _state_location(kind: str, config: dict[str, Any], stack: Stack) -> tuple[str, ...]:
    """Where a backend keeps state, comparable across stacks: a local path is resolved from the stack's folder."""
    if kind == "local":
        return ("local", os.path.normpath(os.path.join(os.path.abspath(stack.working_dir), config.get("path", ""))))
    return (kind, *(f"{k}={config[k]}" for k in sorted(config) if k in {"bucket", "key", "region", "prefix"}))


def load(outdir: Path) -> SynthesizedApp:
    """Every stack the manifest lists, in deploy order; SynthesizedTreeError before anything is half-read."""
    manifest_path = outdir / MANIFEST
    if not outdir.is_dir():
        raise SynthesizedTreeError(f"{outdir} does not exist or is not a folder; run `make synth` first")
    manifest = _json(manifest_path, f"{outdir} has no {MANIFEST}; run `make synth` first")
    entries = manifest.get("stacks") if isinstance(manifest, dict) else None
    if not isinstance(entries, dict) or not entries:
        raise SynthesizedTreeError(f"{manifest_path} lists no stacks; run `make synth` again")
    stacks = []
    for name, entry in entries.items():
        if not isinstance(entry, dict):
            raise SynthesizedTreeError(f"{manifest_path}: stack {name!r} is not an object; run `make synth` again")
        document_path = outdir / entry.get("synthesizedStackPath", f"stacks/{name}/cdk.tf.json")
        document = _json(document_path, f"{document_path} is missing: the synth did not finish; run `make synth` again")
        if not isinstance(document, dict):
            raise SynthesizedTreeError(f"{document_path} is not a Terraform JSON object; run `make synth` again")
        working_dir = outdir / entry.get("workingDirectory", f"stacks/{name}")
        stacks.append(Stack(name, document, working_dir, tuple(entry.get("dependencies", [])), document_path))
    return SynthesizedApp(outdir, tuple(_deploy_order(stacks)))


def _json(path: Path, missing: str) -> Any:
    if not path.is_file():
        raise SynthesizedTreeError(missing)
    try:
        return json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise SynthesizedTreeError(f"{path} is not valid JSON ({error}); run `make synth` again") from None


def _address_of(expression: str) -> str:
    reference = single_reference(expression)
    if reference is None:
        raise SynthesizedTreeError(f"{expression!r} is not a single Terraform reference")
    return reference.address


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
