"""Lambda Invoke on moto, routed to the function's packaged handler in this process."""

from __future__ import annotations

import io
import json
import sys
import uuid
import zipfile
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.awslambda.models import LambdaBackend

from local_run.emulator import LocalWorkflow
from local_run.lambda_router import route_lambda_in_process

PROBE_SOURCE = """
import os

class ProbeFailure(Exception):
    pass

def handler(event, context):
    if event.get("fail"):
        raise ProbeFailure("asked to fail")
    if event.get("unserializable"):
        return {"value": object()}
    return {"echo": event, "setting": os.environ.get("PROBE_SETTING"), "file": __file__,
            "function": context.function_name}
"""


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


# The package is called "handlers" on purpose: the working tree's handlers package is importable too, and the
# zip's must win inside the function without replacing the working tree's outside it.
PROBE_ZIP = _zip({"handlers/__init__.py": "", "handlers/probe.py": PROBE_SOURCE})


@pytest.fixture
def lambda_client(workflow: LocalWorkflow) -> Any:
    # No client-side retries, so an injected service error is seen exactly once.
    return boto3.client("lambda", region_name=workflow.stack.region, config=Config(retries={"total_max_attempts": 1}))


@pytest.fixture
def probe(workflow: LocalWorkflow, lambda_client: Any) -> str:
    name = f"probe-{uuid.uuid4().hex[:12]}"
    role = workflow.lambda_client.get_function(FunctionName=workflow.function_name("handlers.validation"))
    lambda_client.create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=role["Configuration"]["Role"],
        Handler="handlers.probe.handler",
        Code={"ZipFile": PROBE_ZIP},
        Environment={"Variables": {"PROBE_SETTING": "from-function-config"}},
    )
    return name


def _invoke(client: Any, name: str, event: Any) -> tuple[dict[str, Any], Any]:
    response = client.invoke(FunctionName=name, Payload=json.dumps(event).encode())
    return response, json.loads(response["Payload"].read())


def test_the_handlers_return_value_is_the_invocation_payload(lambda_client: Any, probe: str) -> None:
    response, payload = _invoke(lambda_client, probe, {"amount": "1.00"})

    assert "FunctionError" not in response
    assert payload["echo"] == {"amount": "1.00"}
    assert payload["function"] == probe


def test_an_exception_is_returned_as_lambdas_unhandled_error_payload_named_after_its_class(
    lambda_client: Any, probe: str
) -> None:
    response, payload = _invoke(lambda_client, probe, {"fail": True})

    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "ProbeFailure"
    assert payload["errorMessage"] == "asked to fail"
    assert isinstance(payload["stackTrace"], list)
    assert any("probe.py" in line for line in payload["stackTrace"])


def test_an_unserializable_result_is_a_marshal_error(lambda_client: Any, probe: str) -> None:
    response, payload = _invoke(lambda_client, probe, {"unserializable": True})

    assert response["FunctionError"] == "Unhandled"
    assert payload["errorType"] == "Runtime.MarshalError"


def test_the_functions_environment_is_set_during_the_call_and_restored_after(
    lambda_client: Any, probe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROBE_SETTING", "from-the-shell")

    _, payload = _invoke(lambda_client, probe, {})

    assert payload["setting"] == "from-function-config"
    assert __import__("os").environ["PROBE_SETTING"] == "from-the-shell"


def test_the_code_comes_from_the_deployed_zip_not_the_working_tree(lambda_client: Any, probe: str) -> None:
    import handlers

    _, payload = _invoke(lambda_client, probe, {})

    assert not payload["file"].startswith(str(__import__("pathlib").Path(handlers.__file__).parent))
    assert sys.modules["handlers"] is handlers
    assert "handlers.probe" not in sys.modules


def test_new_code_is_used_from_the_next_invocation(lambda_client: Any, probe: str) -> None:
    new_source = PROBE_SOURCE.replace('"echo": event', '"echo": "v2"')
    lambda_client.update_function_code(
        FunctionName=probe, ZipFile=_zip({"handlers/__init__.py": "", "handlers/probe.py": new_source})
    )

    _, payload = _invoke(lambda_client, probe, {})

    assert payload["echo"] == "v2"


def test_an_injected_service_error_answers_the_next_invocation_only(
    workflow: LocalWorkflow, lambda_client: Any, probe: str
) -> None:
    workflow.router.fail_next_invocations(probe, "TooManyRequestsException")

    with pytest.raises(ClientError) as raised:
        _invoke(lambda_client, probe, {})
    _, payload = _invoke(lambda_client, probe, {})

    assert raised.value.response["Error"]["Code"] == "TooManyRequestsException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert payload["echo"] == {}


def test_a_route_opened_inside_another_answers_until_it_closes_then_gives_the_outer_one_back() -> None:
    # A local run started in-process while a test's workflow is deployed opens a second route inside the first.
    moto_invoke = LambdaBackend.invoke
    with route_lambda_in_process():
        outer = LambdaBackend.invoke
        with route_lambda_in_process():
            assert LambdaBackend.invoke not in (outer, moto_invoke)
        assert LambdaBackend.invoke is outer
    assert LambdaBackend.invoke is moto_invoke
