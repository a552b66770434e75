"""Each stack keeps its own state, and the app stack reads the encryption stack's from where it is written."""

from __future__ import annotations

import os

from payment_settings.settings import LocalBackendSettings


def resolved(stack, path: str) -> str:
    """Where Terraform, running in the stack's folder as cdktf deploy does, finds a relative path."""
    return os.path.normpath(os.path.join(stack.working_dir, path))


def test_the_two_stacks_keep_separate_state_files(encryption_stack, app_stack):
    assert encryption_stack.backend[0] == app_stack.backend[0] == "local"
    assert resolved(encryption_stack, encryption_stack.backend[1]["path"]) != resolved(
        app_stack, app_stack.backend[1]["path"]
    )


def test_state_files_live_outside_cdktf_out_in_the_configured_folder(encryption_stack, app_stack, settings):
    assert isinstance(settings.backend, LocalBackendSettings)
    for stack in (encryption_stack, app_stack):
        path = resolved(stack, stack.backend[1]["path"])
        assert path == str(settings.backend.state_dir / "qa" / f"{stack.name}.tfstate")


def test_the_app_stack_reads_the_encryption_state_from_the_file_the_encryption_stack_writes(
    encryption_stack, app_stack
):
    remote = app_stack.named_data("terraform_remote_state")["encryption"]
    assert remote["backend"] == "local"
    assert resolved(app_stack, remote["config"]["path"]) == resolved(
        encryption_stack, encryption_stack.backend[1]["path"]
    )


def test_local_state_paths_are_relative_so_the_json_is_the_same_on_every_checkout(encryption_stack, app_stack):
    for stack in (encryption_stack, app_stack):
        assert not os.path.isabs(stack.backend[1]["path"])


def test_the_app_stack_is_deployed_after_the_encryption_stack(synthesized):
    import json

    manifest = json.loads((synthesized.outdir / "manifest.json").read_text())
    assert manifest["stacks"]["app"]["dependencies"] == ["encryption"]
    assert manifest["stacks"]["encryption"]["dependencies"] == []


def test_the_s3_backend_keeps_one_locked_encrypted_key_per_stack_and_environment(s3_backend_synthesized):
    encryption, app = s3_backend_synthesized.stack("encryption"), s3_backend_synthesized.stack("app")
    for stack in (encryption, app):
        kind, config = stack.backend
        assert kind == "s3"
        assert config == {
            "bucket": "acme-terraform-state",
            "key": f"payment-workflow/qa/{stack.name}.tfstate",
            "region": "eu-central-1",
            "encrypt": True,
            "use_lockfile": True,
        }
    remote = app.named_data("terraform_remote_state")["encryption"]
    assert remote["backend"] == "s3"
    assert remote["config"]["bucket"] == "acme-terraform-state"
    assert remote["config"]["key"] == "payment-workflow/qa/encryption.tfstate"
    assert remote["config"]["region"] == "eu-central-1"
