"""The key stack and its users in separate stacks, each with its own state: the documented way, made the easy way.

The key stack publishes each key's ARN as an output, only after the key's wait (``LogGroupsKey``, ``TopicKey``). A
user stack reads that output through ``terraform_remote_state`` and checks the key before using it, so a user stack
planned before the key stack is deployed, or with the key disabled, fails its plan with one clear message.
"""

from __future__ import annotations

import os

from cdktf import App, DataTerraformRemoteStateLocal, LocalBackend, TerraformRemoteState, TerraformStack
from constructs import Construct

from encrypted_logs.key_check import UNUSABLE_KEY_MESSAGE, checked_key


def local_state_path(stack_id: str, state_dir: str, outdir: str) -> str:
    """<state_dir>/<stack_id>.tfstate, written relative to the folder Terraform runs the stack in
    (<outdir>/stacks/<stack_id>/): every stack's folder sits at the same depth, so one relative path reaches the same
    file from any stack, and the synthesized JSON stays free of this machine's absolute paths."""
    working_dir = os.path.join(os.path.abspath(outdir), "stacks", stack_id)
    return os.path.relpath(os.path.join(os.path.abspath(state_dir), f"{stack_id}.tfstate"), working_dir)


def use_local_state(stack: TerraformStack, state_dir: str) -> None:
    """Give the stack its own local state file in ``state_dir``."""
    LocalBackend(stack, path=local_state_path(stack.node.id, state_dir, App.of(stack).outdir))


def read_local_state(scope: Construct, construct_id: str, stack_id: str, state_dir: str) -> TerraformRemoteState:
    """A reader of the outputs of the stack whose state ``use_local_state`` put in ``state_dir``."""
    path = local_state_path(stack_id, state_dir, App.of(scope).outdir)
    return DataTerraformRemoteStateLocal(scope, construct_id, path=path)


class KeyFromStack(Construct):
    """A key published by the key stack: its ARN read from the stack's output, and the check that it is usable.

    Children: ``check`` (a data aws_kms_key with a postcondition). Give ``check`` as ``wait_for`` to whatever
    encrypts with the key (``EncryptedLogGroups``), and ``arn`` as its key.
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        state: TerraformRemoteState,
        output_name: str,
        unusable_message: str = UNUSABLE_KEY_MESSAGE,
    ) -> None:
        super().__init__(scope, construct_id)
        # The output is the key stack's wait's trigger, so the ARN arrives only after the policy has propagated.
        self.arn: str = state.get_string(output_name)
        self.check = checked_key(self, "check", self.arn, unusable_message)
