"""Where each stack keeps its Terraform state, and how the app stack reads the encryption stack's.

Both the backend and the remote-state reader come from `state_location`, so the reader can never look somewhere the
writer does not write.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cdktf import (
    App,
    DataTerraformRemoteStateLocal,
    DataTerraformRemoteStateS3,
    LocalBackend,
    S3Backend,
    TerraformRemoteState,
    TerraformStack,
)
from constructs import Construct

from payment_settings.settings import (
    DEFAULT_STATE_DIR,
    PROJECT_ROOT,
    LocalBackendSettings,
    S3BackendSettings,
    Settings,
)


@dataclass(frozen=True)
class LocalStateFile:
    path: str


@dataclass(frozen=True)
class S3StateObject:
    bucket: str
    key: str
    region: str


def state_location(settings: Settings, stack_name: str, outdir: str) -> LocalStateFile | S3StateObject:
    """The state of one stack in one environment.

    Terraform resolves a relative local path from the folder it runs in, cdktf.out/stacks/<stack>/; every stack's
    folder sits at the same depth, so a path relative to it reaches the same file from any stack, and the synthesized
    JSON stays free of this machine's absolute paths.
    """
    backend = settings.backend
    if isinstance(backend, S3BackendSettings):
        key = f"{backend.key_prefix}/{settings.environment}/{stack_name}.tfstate"
        return S3StateObject(bucket=backend.bucket, key=key, region=backend.region)
    assert isinstance(backend, LocalBackendSettings)
    return local_state_file(backend.state_dir, settings.environment, stack_name, outdir)


def local_state_file(state_dir: Path, environment: str, stack_name: str, outdir: str) -> LocalStateFile:
    """<state_dir>/<environment>/<stack>.tfstate, written relative to the stack's working folder."""
    state_file = state_dir / environment / f"{stack_name}.tfstate"
    working_dir = os.path.join(os.path.abspath(outdir), "stacks", stack_name)
    return LocalStateFile(path=os.path.relpath(state_file, working_dir))


def use_backend(stack: TerraformStack, settings: Settings) -> None:
    """Give the stack its own state (never shared with the other stack, so each deploys and rolls back alone)."""
    location = state_location(settings, stack.node.id, App.of(stack).outdir)
    if isinstance(location, S3StateObject):
        S3Backend(stack, bucket=location.bucket, key=location.key, region=location.region, encrypt=True)
        # Terraform >= 1.10 locks S3 state with a lock object instead of DynamoDB; cdktf 0.21's S3Backend predates
        # the argument, so it is set on the synthesized block.
        stack.add_override("terraform.backend.s3.use_lockfile", True)
    else:
        LocalBackend(stack, path=location.path)


def use_local_backend(stack: TerraformStack, settings: Settings) -> None:
    """A local state file for a stack that cannot keep its state in S3 (the state bucket's own stack): in the local
    backend's folder, or the default folder when the environment keeps its state in S3."""
    backend = settings.backend
    state_dir = backend.state_dir if isinstance(backend, LocalBackendSettings) else PROJECT_ROOT / DEFAULT_STATE_DIR
    location = local_state_file(state_dir, settings.environment, stack.node.id, App.of(stack).outdir)
    LocalBackend(stack, path=location.path)


def read_state_of(scope: Construct, construct_id: str, settings: Settings, stack_name: str) -> TerraformRemoteState:
    """A terraform_remote_state reader of another stack's outputs, pointed where that stack's backend writes."""
    location = state_location(settings, stack_name, App.of(scope).outdir)
    if isinstance(location, S3StateObject):
        return DataTerraformRemoteStateS3(
            scope, construct_id, bucket=location.bucket, key=location.key, region=location.region
        )
    return DataTerraformRemoteStateLocal(scope, construct_id, path=location.path)
