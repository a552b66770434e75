"""Route moto's Lambda Invoke to the function's handler, in this process.

moto runs Lambda code in Docker, which is not available here. Its Step
Functions interpreter invokes a function through an ordinary boto3 Lambda
client, so patching the one place where moto's Lambda backend answers Invoke
(``LambdaBackend.invoke``) covers both the interpreter and any direct call,
and keeps the rest of the path real: the HTTP response, the
``X-Amz-Function-Error`` header, boto3's parsing of it and the interpreter's
mapping of ``errorType`` to the Step Functions error name.

The function's configuration is read from moto on every call (handler, zip,
environment), so ``update_function_code`` and ``update_function_configuration``
take effect as on AWS; a new zip gets a fresh sandbox, i.e. a cold start.
"""

from __future__ import annotations

import inspect
import json
import logging
import threading
import traceback
import uuid
from collections import defaultdict, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from unittest import mock

from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.core.exceptions import JsonRESTError

from local_run.handler_sandbox import HandlerSandbox
from local_run.signals import FunctionLog

# What moto's LambdaBackend.invoke took when this was written (moto 5.2.5). If a
# moto upgrade changes it, fail at patch time rather than on the first payment.
_EXPECTED_SIGNATURE = ("self", "function_name", "qualifier", "body", "headers", "response_headers")


class LambdaServiceError(JsonRESTError):
    """An error of the Lambda service itself (not the function), such as throttling.

    Step Functions names these ``Lambda.<code>``; injecting one lets a test
    exercise the state machine's Retry without a real throttle.
    """

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(code, message)
        self.code = status


@dataclass(frozen=True)
class LambdaContext:
    """The attributes of the Python runtime's context object that handlers commonly read."""

    function_name: str
    function_version: str
    invoked_function_arn: str
    memory_limit_in_mb: int
    aws_request_id: str
    log_group_name: str
    log_stream_name: str
    timeout_seconds: int

    def get_remaining_time_in_millis(self) -> int:
        # Timeouts are not enforced locally; report the configured budget.
        return self.timeout_seconds * 1000


@dataclass
class LambdaRouter:
    """Sandboxes per function version, plus service errors queued to be returned instead of a call."""

    _sandboxes: dict[tuple[str, str], HandlerSandbox] = field(default_factory=dict)
    _faults: dict[str, deque[LambdaServiceError]] = field(default_factory=lambda: defaultdict(deque))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    invocations: list[str] = field(default_factory=list)
    function_logs: list[FunctionLog] = field(default_factory=list)  # one per invocation that ran the handler

    def fail_next_invocations(self, function_name: str, code: str, *, times: int = 1, status: int = 429) -> None:
        """Answer the next ``times`` invocations of ``function_name`` with a Lambda service error."""
        with self._lock:
            for _ in range(times):
                self._faults[function_name].append(LambdaServiceError(code, f"injected {code}", status))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def invoke(self, function: LambdaFunction, body: str | bytes, response_headers: dict[str, str]) -> bytes:
        with self._lock:
            self.invocations.append(function.function_name)
            faults = self._faults.get(function.function_name)
            if faults:
                raise faults.popleft()
            sandbox = self._sandbox(function)
        event = json.loads(body) if body else {}
        context = _context(function)
        records: list[dict[str, Any]] = []
        try:
            with _lambda_json_logs(records, context.aws_request_id):
                result = sandbox.call(event, context, _runtime_environment(function))
        except Exception as error:  # the runtime reports any exception to the caller
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = error_payload(error, context.aws_request_id)
            self._logged(function, [*records, runtime_error_record(payload)], failed=True)
            return _json_bytes(payload)
        try:
            answer = _json_bytes(result)
        except (TypeError, ValueError) as error:
            response_headers["x-amz-function-error"] = "Unhandled"
            payload = {"errorType": "Runtime.MarshalError", "errorMessage": f"Unable to marshal response: {error}"}
            self._logged(function, [*records, runtime_error_record(payload)], failed=True)
            return _json_bytes(payload)
        self._logged(function, records, failed=False)
        return answer

    def _logged(self, function: LambdaFunction, records: list[dict[str, Any]], *, failed: bool) -> None:
        with self._lock:
            self.function_logs.append(FunctionLog(function.function_name, tuple(records), failed))

    def close(self) -> None:
        # A snapshot: after Ctrl-C a worker thread may still be adding a sandbox while the run closes.
        for sandbox in list(self._sandboxes.values()):
            sandbox.close()
        self._sandboxes.clear()

    def _sandbox(self, function: LambdaFunction) -> HandlerSandbox:
        key = (function.function_arn, function.code_sha_256)
        if key not in self._sandboxes:
            self._sandboxes[key] = HandlerSandbox(function.code_bytes, function.handler)
        return self._sandboxes[key]


def error_payload(error: BaseException, request_id: str) -> dict[str, Any]:
    """The body the AWS Python runtime returns for an unhandled exception.

    ``errorType`` is the exception's class name: it becomes the Step Functions
    error name that Retry and Catch match.
    """
    return {
        "errorMessage": str(error),
        "errorType": type(error).__name__,
        "requestId": request_id,
        "stackTrace": traceback.format_list(traceback.extract_tb(error.__traceback__)),
    }


# The function's application_log_level (payment_function.py sets INFO): the runtime sets the root logger to it.
APPLICATION_LOG_LEVEL = logging.INFO
_LOG_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


def lambda_json_record(record: logging.LogRecord, request_id: str) -> dict[str, Any]:
    """A log record as Lambda's JSON log format writes it: timestamp, level, message, logger, requestId, and each
    `extra` field as a key of its own (Lambda developer guide, "Configuring JSON and plain text log formats")."""
    return {
        "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
        "level": record.levelname,
        "message": record.getMessage(),
        "logger": record.name,
        "requestId": request_id,
        **{k: v for k, v in vars(record).items() if k not in _LOG_RECORD_ATTRIBUTES},
    }


def runtime_error_record(payload: dict[str, Any]) -> dict[str, Any]:
    """What the Python runtime logs, in JSON format, for an unhandled error: the error payload at level ERROR
    (aws-lambda-python-runtime-interface-client, bootstrap.log_error)."""
    return {"timestamp": datetime.now(UTC).isoformat(timespec="milliseconds"), "level": "ERROR", **payload}


class _Collect(logging.Handler):
    def __init__(self, records: list[dict[str, Any]], request_id: str) -> None:
        super().__init__(APPLICATION_LOG_LEVEL)
        self._records = records
        self._request_id = request_id

    def emit(self, record: logging.LogRecord) -> None:
        self._records.append(lambda_json_record(record, self._request_id))


@contextmanager
def _lambda_json_logs(records: list[dict[str, Any]], request_id: str) -> Iterator[None]:
    """Collect what the handler logs during one invocation, as the runtime would write it to the log group."""
    root = logging.getLogger()
    collect = _Collect(records, request_id)
    level = root.level
    root.addHandler(collect)
    root.setLevel(min(level, APPLICATION_LOG_LEVEL) if level else APPLICATION_LOG_LEVEL)
    try:
        yield
    finally:
        root.removeHandler(collect)
        root.setLevel(level)


@contextmanager
def route_lambda_in_process() -> Iterator[LambdaRouter]:
    """Patch moto's Lambda Invoke for the duration; use inside ``mock_aws``."""
    _check_moto_signature()
    router = LambdaRouter()

    # Named as moto names them (`self` included), so a route opened inside another (a local run started while a
    # test's workflow is deployed) passes the signature check and routes to its own router until it closes.
    def invoke(
        self: LambdaBackend,
        function_name: str,
        qualifier: str | None,
        body: Any,
        headers: Any,
        response_headers: dict[str, str],
    ) -> bytes:
        function = self.get_function(function_name, qualifier)
        payload = router.invoke(function, body, response_headers)
        response_headers["Content-Length"] = str(len(payload))
        return payload

    try:
        with mock.patch.object(LambdaBackend, "invoke", invoke):
            yield router
    finally:
        router.close()


def _check_moto_signature() -> None:
    parameters = tuple(inspect.signature(LambdaBackend.invoke).parameters)
    if parameters != _EXPECTED_SIGNATURE:
        raise RuntimeError(
            f"moto's LambdaBackend.invoke{parameters} no longer matches {_EXPECTED_SIGNATURE}; "
            "local_run.lambda_router needs updating for this moto version"
        )


def _context(function: LambdaFunction) -> LambdaContext:
    return LambdaContext(
        function_name=function.function_name,
        function_version="$LATEST",
        invoked_function_arn=function.function_arn,
        memory_limit_in_mb=int(function.memory_size),
        aws_request_id=str(uuid.uuid4()),
        log_group_name=f"/aws/lambda/{function.function_name}",
        log_stream_name="local-run",
        timeout_seconds=int(function.timeout),
    )


def _runtime_environment(function: LambdaFunction) -> dict[str, str]:
    # The reserved variables the Lambda runtime sets, then the function's own.
    return {
        "AWS_REGION": function.region,
        "AWS_DEFAULT_REGION": function.region,
        "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_size),
        "AWS_EXECUTION_ENV": f"AWS_Lambda_{function.run_time}",
        **function.environment_vars,
    }


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, allow_nan=False).encode("utf-8")
