"""The parts of the synthesized app stack a local run needs, read from Terraform JSON.

The tree is read by cdktf_out/tree.py (the one reader of cdktf.out), which finds the app stack where the
manifest puts it; this module picks out what moto can emulate.

Values are kept as synthesized (interpolations included); resolving them is
the emulator's job, once it knows the ARNs and names of what it created.
Everything else in the stack (log groups, IAM, KMS) has no local counterpart
and is ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cdktf_out.expressions import UnresolvedInterpolationError, has_interpolation, render
from cdktf_out.tree import MANIFEST, Stack, SynthesizedTreeError, load
from local_run.signals import Monitoring

DEFAULT_REGION = "us-east-1"
STATE_MACHINE = "aws_sfn_state_machine"


class StackError(SynthesizedTreeError):
    """The synthesized stack lacks something the local run needs."""


@dataclass(frozen=True)
class SynthesizedFunction:
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
    functions: tuple[SynthesizedFunction, ...]
    table: TableSpec
    data_sources: Mapping[str, tuple[str, ...]]
    monitoring: Monitoring  # the stack's alarms and metric filters
    source: Path | None = None  # the cdk.tf.json it was read from


def read_app_stack(outdir: Path) -> WorkflowStack:
    """The stack of the synthesized tree in ``outdir`` that holds the state machine; SynthesizedTreeError, one line,
    when the tree or that stack is missing, unreadable or lacks what a local run needs."""
    app = load(outdir)
    holding = [stack for stack in app.stacks if stack.named(STATE_MACHINE)]
    if len(holding) != 1:
        listed = ", ".join(stack.name for stack in app.stacks)
        found = f"{len(holding)} do" if holding else "none does"
        raise StackError(f"{outdir / MANIFEST} lists the stacks {listed}: one must hold the {STATE_MACHINE} to run, "
                         f"{found}")
    return read_stack(holding[0])


def read_stack(stack: Stack) -> WorkflowStack:
    """The workflow's resources in ``stack``, with asset paths resolved from its working directory."""
    return WorkflowStack(
        region=_provider_region(stack.document),
        state_machine=_state_machine(stack),
        functions=tuple(
            _function(resource_id, body, stack.working_dir)
            for resource_id, body in sorted(stack.named("aws_lambda_function").items())
        ),
        table=_table(stack),
        data_sources={data_type: tuple(sorted(items)) for data_type, items in stack.document.get("data", {}).items()},
        monitoring=Monitoring.from_document(stack.document),
        source=stack.path,
    )


def _state_machine(stack: Stack) -> StateMachineSpec:
    resource_id, body = stack.only(STATE_MACHINE)
    definition = body.get("definition")
    if not isinstance(definition, str):
        raise StackError(f"aws_sfn_state_machine.{resource_id} has no definition string")
    return StateMachineSpec(resource_id, body["name"], body.get("type", "STANDARD"), definition)


def _function(resource_id: str, body: Mapping[str, Any], working_dir: Path) -> SynthesizedFunction:
    filename = body.get("filename")
    if not isinstance(filename, str):
        raise StackError(f"aws_lambda_function.{resource_id} has no zip filename (only zip packages run locally)")
    return SynthesizedFunction(
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


def _table(stack: Stack) -> TableSpec:
    resource_id, body = stack.only("aws_dynamodb_table")
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
    # `${path.module}` in an attribute means the stack's own folder, where Terraform runs.
    try:
        return working_dir / render(filename, {"path.module": str(working_dir)})
    except UnresolvedInterpolationError:
        raise StackError(f"cannot locate the Lambda package {filename!r} locally") from None


def _provider_region(document: Mapping[str, Any]) -> str:
    providers = _single_block(document.get("provider", {}).get("aws"))
    region = providers.get("region")
    # An interpolated region (a variable) has no local value; moto's default is as good as any.
    return region if isinstance(region, str) and not has_interpolation(region) else DEFAULT_REGION
