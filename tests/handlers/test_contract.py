"""handlers/contract.py: the one place the handlers and the infrastructure agree on names."""

from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import sys
from pathlib import Path

import pytest

import handlers
from handlers.contract import LEDGER_KEY, RoutedError

CONTRACT = Path(handlers.__file__).parent / "contract.py"


def exception_classes_of_the_handlers() -> set[str]:
    found = set()
    for module_info in pkgutil.iter_modules(handlers.__path__):
        module = importlib.import_module(f"handlers.{module_info.name}")
        found |= {
            name for name, value in vars(module).items()
            if isinstance(value, type) and issubclass(value, Exception) and value.__module__ == module.__name__
        }
    return found


@pytest.mark.parametrize("error", list(RoutedError))
def test_every_routed_error_is_the_name_of_an_exception_class_a_handler_defines(error):
    # Lambda reports errorType as the class name; a Catch naming anything else never matches.
    assert error.value in exception_classes_of_the_handlers()


def test_the_state_machine_names_exactly_the_contracts_errors(app_stack):
    _, machine = app_stack.only("aws_sfn_state_machine")
    states = json.loads(machine["definition"])["States"]
    named = {e for s in states.values() for c in s.get("Catch", []) for e in c["ErrorEquals"]}
    named |= {s["Error"] for s in states.values() if "Error" in s}
    assert named - {"States.ALL"} == {e.value for e in RoutedError}


def test_the_ledger_table_is_keyed_as_the_processing_handler_writes(app_stack):
    _, table = app_stack.only("aws_dynamodb_table")
    assert table["hash_key"] == LEDGER_KEY
    assert table["attribute"] == [{"name": LEDGER_KEY, "type": "S"}]


def test_the_contract_imports_nothing_but_the_standard_library():
    """It ships in the Lambda package (stdlib and boto3 only) and is imported by the constructs before cdktf loads."""
    tree = ast.parse(CONTRACT.read_text())
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}
