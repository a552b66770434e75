"""The synthesized workflow, created in moto, and a way to run one payment through it.

Step Functions executions are interpreted for real (moto's port of
LocalStack's interpreter, switched on by ``execute_state_machine``); Lambda
invocations go to the packaged handlers in-process (local_run.lambda_router);
the ledger is moto's DynamoDB.
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager, redirect_stderr
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.exceptions import ClientError
from moto import mock_aws

from local_run.interpolation import resolve_text, resolve_value
from local_run.lambda_router import LambdaRouter, route_lambda_in_process
from local_run.outcome import ExecutionOutcome, outcome_from_history
from local_run.retry_waits import ScaledRetryWaits, scaled_retry_waits
from local_run.signals import Monitoring
from local_run.stack import StackError, SynthesizedFunction, WorkflowStack

MOTO_ACCOUNT_ID = "123456789012"
# Step Functions would end a hung execution itself (TimeoutSeconds); this only
# guards against the interpreter itself hanging.
_EXECUTION_DEADLINE_SECONDS = 120.0
_POLL_SECONDS = 0.005
_EXECUTION_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
# The service's own words on a refused resource, cut: moto's ASL parser lists every token it expected.
_REFUSAL_MESSAGE_CHARACTERS = 200
_TRUSTED_BY_LAMBDA_AND_STATES = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": ["lambda.amazonaws.com", "states.amazonaws.com"]},
                "Action": "sts:AssumeRole",
            }
        ],
    }
)
# Data sources the stack may reference from the definition, with moto's values.
_DATA_SOURCE_ATTRIBUTES = {
    "aws_partition": {"partition": "aws", "dns_suffix": "amazonaws.com", "id": "aws"},
    "aws_caller_identity": {"account_id": MOTO_ACCOUNT_ID},
}


@dataclass
class LocalWorkflow:
    """The created resources and the clients that talk to them."""

    stack: WorkflowStack
    state_machine_arn: str
    definition: dict[str, Any]
    function_names: Mapping[str, str]  # Terraform resource id -> deployed function name
    table_name: str
    router: LambdaRouter
    retry_waits: ScaledRetryWaits
    stepfunctions: Any
    lambda_client: Any
    dynamodb: Any

    def run(self, payment: Any, *, label: str = "payment") -> ExecutionOutcome:
        """Start one execution with ``payment`` as input and wait for it to end."""
        logged_before = len(self.router.function_logs)
        execution_arn = self.stepfunctions.start_execution(
            stateMachineArn=self.state_machine_arn,
            name=_execution_name(label),
            input=json.dumps(payment),
        )["executionArn"]
        description = self._wait_for_end(execution_arn)
        events = self._history(execution_arn)
        return outcome_from_history(description, events, self.router.function_logs[logged_before:])

    def pages(self, outcome: ExecutionOutcome, monitoring: Monitoring | None = None) -> tuple[str, ...]:
        """The synthesized alarms this execution would set off (local_run.signals); `monitoring`: other alarms and
        filters than the stack's, to show what a change to them would do."""
        monitoring = monitoring or self.stack.monitoring
        function_addresses = {name: f"aws_lambda_function.{rid}" for rid, name in self.function_names.items()}
        seen = monitoring.observe(
            state_machine=f"aws_sfn_state_machine.{self.stack.state_machine.resource_id}",
            status=outcome.status,
            history=outcome.history,
            function_logs=[(function_addresses[log.function_name], log) for log in outcome.function_logs],
        )
        return monitoring.pages(seen)

    def ledger_items(self) -> list[dict[str, Any]]:
        paginator = self.dynamodb.get_paginator("scan")
        pages = paginator.paginate(TableName=self.table_name, ConsistentRead=True)
        return [item for page in pages for item in page["Items"]]

    def function_name(self, handler_module: str) -> str:
        """The deployed name of the function whose handler lives in ``handler_module``."""
        for spec in self.stack.functions:
            if spec.handler.rpartition(".")[0] == handler_module:
                return self.function_names[spec.resource_id]
        raise KeyError(f"no function with a handler in {handler_module}")

    def _wait_for_end(self, execution_arn: str) -> dict[str, Any]:
        deadline = time.monotonic() + _EXECUTION_DEADLINE_SECONDS
        while True:
            description = self.stepfunctions.describe_execution(executionArn=execution_arn)
            if description["status"] != "RUNNING":
                return description
            if time.monotonic() > deadline:
                raise TimeoutError(f"execution {execution_arn} still running after {_EXECUTION_DEADLINE_SECONDS} s")
            time.sleep(_POLL_SECONDS)

    def _history(self, execution_arn: str) -> list[dict[str, Any]]:
        paginator = self.stepfunctions.get_paginator("get_execution_history")
        return [event for page in paginator.paginate(executionArn=execution_arn) for event in page["events"]]


@contextmanager
def local_workflow(stack: WorkflowStack, *, retry_wait_scale: float = 0.0) -> Iterator[LocalWorkflow]:
    """Create the stack's table, functions and state machine in a fresh moto, for the block.

    Fresh only as the outermost ``mock_aws`` of the process: moto shares one state between nested blocks, so a
    second workflow opened inside another collides on the same names.
    """
    with ExitStack() as resources:
        resources.enter_context(mock_aws(config={"stepfunctions": {"execute_state_machine": True}}))
        router = resources.enter_context(route_lambda_in_process())
        waits = resources.enter_context(scaled_retry_waits(retry_wait_scale))
        yield _deploy(stack, router, waits)


@contextmanager
def _creating(where: str) -> Iterator[None]:
    """Turn the service refusing a synthesized resource (an invalid definition, say) into one StackError line.

    moto's ASL parser (ANTLR) also prints each complaint to stderr as it goes; the exception says it once.
    """
    try:
        with redirect_stderr(io.StringIO()):
            yield
    except ClientError as error:
        details = error.response.get("Error", {})
        said = " ".join(f"{details.get('Code') or ''} {details.get('Message') or error}".split())
        if len(said) > _REFUSAL_MESSAGE_CHARACTERS:
            said = said[:_REFUSAL_MESSAGE_CHARACTERS] + "…"
        raise StackError(f"{where} was refused: {said}") from None


def _deploy(stack: WorkflowStack, router: LambdaRouter, waits: ScaledRetryWaits) -> LocalWorkflow:
    session = boto3.session.Session(region_name=stack.region)
    iam, dynamodb = session.client("iam"), session.client("dynamodb")
    lambda_client, stepfunctions = session.client("lambda"), session.client("stepfunctions")
    role_arn = iam.create_role(RoleName="local-run-workflow", AssumeRolePolicyDocument=_TRUSTED_BY_LAMBDA_AND_STATES)[
        "Role"
    ]["Arn"]
    references = _data_source_references(stack)

    table_name = _create_table(dynamodb, stack, references)
    function_names: dict[str, str] = {}
    for spec in stack.functions:
        name, arn = _create_function(lambda_client, spec, role_arn, references)
        function_names[spec.resource_id] = name
        prefix = f"aws_lambda_function.{spec.resource_id}"
        references |= {f"{prefix}.arn": arn, f"{prefix}.function_name": name, f"{prefix}.qualified_arn": arn}

    machine = stack.state_machine
    definition_text = resolve_text(machine.definition, references, where=f"aws_sfn_state_machine.{machine.resource_id}")
    with _creating(f"aws_sfn_state_machine.{machine.resource_id}"):
        state_machine_arn = stepfunctions.create_state_machine(
            name=machine.name, definition=definition_text, roleArn=role_arn, type=machine.type
        )["stateMachineArn"]
    return LocalWorkflow(
        stack=stack,
        state_machine_arn=state_machine_arn,
        definition=json.loads(definition_text),
        function_names=function_names,
        table_name=table_name,
        router=router,
        retry_waits=waits,
        stepfunctions=stepfunctions,
        lambda_client=lambda_client,
        dynamodb=dynamodb,
    )


def _data_source_references(stack: WorkflowStack) -> dict[str, str]:
    references: dict[str, str] = {}
    for data_type, ids in stack.data_sources.items():
        attributes = dict(_DATA_SOURCE_ATTRIBUTES.get(data_type, {}))
        if data_type == "aws_region":
            attributes = {"name": stack.region, "region": stack.region, "id": stack.region}
        for data_id in ids:
            references |= {f"data.{data_type}.{data_id}.{attribute}": value for attribute, value in attributes.items()}
    return references


def _create_table(dynamodb: Any, stack: WorkflowStack, references: dict[str, str]) -> str:
    table = stack.table
    name = resolve_text(table.name, references, where=f"aws_dynamodb_table.{table.resource_id}.name")
    key_schema = [{"AttributeName": table.hash_key, "KeyType": "HASH"}]
    if table.range_key:
        key_schema.append({"AttributeName": table.range_key, "KeyType": "RANGE"})
    with _creating(f"aws_dynamodb_table.{table.resource_id}"):
        dynamodb.create_table(
            TableName=name,
            KeySchema=key_schema,
            AttributeDefinitions=[{"AttributeName": attr, "AttributeType": kind} for attr, kind in table.attributes],
            BillingMode="PAY_PER_REQUEST",
        )
    arn = dynamodb.describe_table(TableName=name)["Table"]["TableArn"]
    prefix = f"aws_dynamodb_table.{table.resource_id}"
    references |= {f"{prefix}.name": name, f"{prefix}.id": name, f"{prefix}.arn": arn}
    return name


def _create_function(
    lambda_client: Any, spec: SynthesizedFunction, role_arn: str, references: Mapping[str, str]
) -> tuple[str, str]:
    where = f"aws_lambda_function.{spec.resource_id}"
    name = resolve_text(spec.function_name, references, where=f"{where}.function_name")
    environment = resolve_value(dict(spec.environment), references, where=f"{where}.environment")
    with _creating(where):
        created = lambda_client.create_function(
            FunctionName=name,
            Runtime=spec.runtime,
            Role=role_arn,
            Handler=spec.handler,
            Code={"ZipFile": spec.zip_path.read_bytes()},
            Environment={"Variables": environment},
            Timeout=spec.timeout,
            MemorySize=spec.memory_size,
        )
    return name, created["FunctionArn"]


def _execution_name(label: str) -> str:
    # Names must be unique per state machine (a reused name is ExecutionAlreadyExists
    # on AWS) and at most 80 characters of a restricted alphabet.
    safe = _EXECUTION_NAME_UNSAFE.sub("-", label)[:47]
    return f"{safe}-{uuid.uuid4().hex}"
