"""Reading the workflow's resources out of the synthesized app stack."""

from __future__ import annotations

from pathlib import Path

import pytest

from cdktf_out.tree import Stack, SynthesizedTreeError
from local_run.stack import StackError, WorkflowStack, read_stack


def test_both_functions_are_read_with_their_handler_and_an_existing_package(workflow_stack: WorkflowStack) -> None:
    handlers = {spec.handler for spec in workflow_stack.functions}

    assert handlers == {"handlers.validation.handler", "handlers.processing.handler"}
    assert all(spec.zip_path.is_file() for spec in workflow_stack.functions)


def test_the_ledger_tables_key_schema_is_read(workflow_stack: WorkflowStack) -> None:
    assert workflow_stack.table.hash_key == "payment_id"
    assert ("payment_id", "S") in workflow_stack.table.attributes


def test_the_region_is_the_aws_providers(workflow_stack: WorkflowStack) -> None:
    assert workflow_stack.region == "eu-west-1"  # tests/conftest.py's PAYMENT_AWS_REGION


def _stack(document: dict[str, object]) -> Stack:
    return Stack("app", document, Path("/stack"), ())


def _document(function: dict[str, object]) -> dict[str, object]:
    return {
        "resource": {
            "aws_sfn_state_machine": {"sm": {"name": "sm", "definition": "{}"}},
            "aws_dynamodb_table": {"t": {"name": "t", "hash_key": "k", "attribute": [{"name": "k", "type": "S"}]}},
            "aws_lambda_function": {"f": {"function_name": "f", "handler": "m.h", **function}},
        }
    }


def test_a_package_path_under_path_module_is_found_in_the_stack_folder() -> None:
    stack = read_stack(_stack(_document({"filename": "${path.module}/assets/a.zip"})))

    assert stack.functions[0].zip_path == Path("/stack/assets/a.zip")


def test_a_function_without_a_zip_package_is_refused() -> None:
    with pytest.raises(StackError, match="only zip packages run locally"):
        read_stack(_stack(_document({"image_uri": "repo:tag"})))


def test_a_stack_without_a_state_machine_is_refused() -> None:
    document = _document({"filename": "a.zip"})
    del document["resource"]["aws_sfn_state_machine"]  # type: ignore[index]

    with pytest.raises(SynthesizedTreeError, match="expected exactly one aws_sfn_state_machine"):
        read_stack(_stack(document))
