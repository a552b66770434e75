"""The parts of the synthesized app stack a local run needs, read from Terraform JSON.

Values are kept as synthesized (interpolations included); resolving them is
the emulator's job, once it knows the ARNs and names of what it created.
Everything else in the stack (log groups, IAM, KMS) has no local counterpart
and is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from local_run.signals import Monitoring

STACK_FILE = Path("stacks") / "app" / "cdk.tf.json"
DEFAULT_REGION = "us-east-1"
# `${path.module}` in an attribute means the stack's own folder, where Terraform runs.
_MODULE_PATH = "${path.module}"


class StackError(ValueError):
    """The synthesized stack lacks something the local run needs."""


@dataclass(frozen=True)
class FunctionSpec:
    resource_id: str
    function_name: str
    handler: str
    runtime: str
    environment: Mapping[str, str]
    zip_path: Path
    timeout: int
    memory_size: int


@dataclass(frozen=True)
class TableSpec:
    resource_id: str
    name: str
    hash_key: str
    range_key: str | None
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class StateMachineSpec:
    resource_id: str
    name: str
    type: str
    definition: str


@dataclass(frozen=True)
class WorkflowStack:
    region: str
    state_machine: StateMachineSpec
    functions: tuple[FunctionSpec, ...]
    table: TableSpec
    data_sources: Mapping[str, tuple[str, ...]]
    monitoring: Monitoring  # the stack's alarms and metric filters


def read_stack_file(outdir: Path) -> WorkflowStack:
    """Read ``<outdir>/stacks/app/cdk.tf.json``; FileNotFoundError if it is not there."""
    path = outdir / STACK_FILE
    return read_stack(json.loads(path.read_text()), path.parent)


def read_stack(document: Mapping[str, Any], working_dir: Path) -> WorkflowStack:
    """The workflow's resources in ``document``, with asset paths resolved from ``working_dir``."""
    resources = document.get("resource", {})
    data = document.get("data", {})
    return WorkflowStack(
        region=_provider_region(document),
        state_machine=_state_machine(resources),
        functions=tuple(
            _function(resource_id, body, working_dir)
            for resource_id, body in sorted(resources.get("aws_lambda_function", {}).items())
        ),
        table=_table(resources),
        data_sources={data_type: tuple(sorted(items)) for data_type, items in data.items()},
        monitoring=Monitoring.from_document(document),
    )


def _only(resources: Mapping[str, Any], resource_type: str) -> tuple[str, Mapping[str, Any]]:
    found = resources.get(resource_type, {})
    if len(found) != 1:
        raise StackError(f"expected exactly one {resource_type} in the app stack, found {sorted(found) or 'none'}")
    return next(iter(found.items()))


def _state_machine(resources: Mapping[str, Any]) -> StateMachineSpec:
    resource_id, body = _only(resources, "aws_sfn_state_machine")
    definition = body.get("definition")
    if not isinstance(definition, str):
        raise StackError(f"aws_sfn_state_machine.{resource_id} has no definition string")
    return StateMachineSpec(resource_id, body["name"], body.get("type", "STANDARD"), definition)


def _function(resource_id: str, body: Mapping[str, Any], working_dir: Path) -> FunctionSpec:
    filename = body.get("filename")
    if not isinstance(filename, str):
        raise StackError(f"aws_lambda_function.{resource_id} has no zip filename (only zip packages run locally)")
    return FunctionSpec(
        resource_id=resource_id,
        function_name=body["function_name"],
        handler=body["handler"],
        runtime=body.get("runtime", ""),
        environment=_single_block(body.get("environment")).get("variables", {}),
        zip_path=_asset_path(filename, working_dir),
        # Terraform's own defaults, when the stack leaves them out.
        timeout=int(body.get("timeout", 3)),
        memory_size=int(body.get("memory_size", 128)),
    )


def _table(resources: Mapping[str, Any]) -> TableSpec:
    resource_id, body = _only(resources, "aws_dynamodb_table")
    attributes = body.get("attribute", [])
    if isinstance(attributes, Mapping):
        attributes = [attributes]
    return TableSpec(
        resource_id=resource_id,
        name=body["name"],
        hash_key=body["hash_key"],
        range_key=body.get("range_key"),
        attributes=tuple((attribute["name"], attribute["type"]) for attribute in attributes),
    )


def _single_block(block: Any) -> Mapping[str, Any]:
    # cdktf writes a nested block as an object; hand-written Terraform JSON may use a one-item list.
    if isinstance(block, list):
        return block[0] if block else {}
    return block or {}


def _asset_path(filename: str, working_dir: Path) -> Path:
    if filename.startswith(_MODULE_PATH):
        filename = filename[len(_MODULE_PATH) :].lstrip("/")
    if "${" in filename:
        raise StackError(f"cannot locate the Lambda package {filename!r} locally")
    return working_dir / filename


def _provider_region(document: Mapping[str, Any]) -> str:
    providers = _single_block(document.get("provider", {}).get("aws"))
    region = providers.get("region")
    # An interpolated region (a variable) has no local value; moto's default is as good as any.
    return region if isinstance(region, str) and "${" not in region else DEFAULT_REGION
