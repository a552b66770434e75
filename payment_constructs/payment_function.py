"""One step of the payment workflow: its Lambda function, its role, and the pre-created log group it writes to."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionEnvironment,
    LambdaFunctionLoggingConfig,
    LambdaFunctionTracingConfig,
)
from constructs import Construct

from payment_constructs.aws_context import AwsContext
from payment_constructs.iam import ServiceRole, Statement, allow
from payment_constructs.lambda_package import HandlersPackage
from payment_constructs.ledger_table import LedgerTable
from payment_constructs.log_groups import EncryptedLogGroups
from payment_constructs.metrics import LAMBDA, Metric
from payment_constructs.naming import Names
from payment_settings.settings import ENVIRONMENT_MAX_LENGTH, Settings

LAMBDA_RUNTIME = "python3.13"
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"
# X-Ray's write APIs take no resource ARN; "*" is the only resource they accept.
XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]


# Lambda scales CPU with memory; 256 MB keeps a cold start of these small handlers under a second.
FUNCTION_MEMORY_MB = 256
# IAM role names are at most 64 characters; "lambda-payment-<step>-<environment>-role" must fit with the longest
# environment name settings allow.
MAX_STEP_LENGTH = 64 - len(Names("").role(Names("").function(""))) - ENVIRONMENT_MAX_LENGTH
_STEP = re.compile(r"[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*")


@dataclass(frozen=True)
class SharedResources:
    """What the app stack builds once for every payment function; each spec picks what its function needs."""

    settings: Settings
    names: Names
    ctx: AwsContext
    package: HandlersPackage
    data_key_arn: str
    log_groups: EncryptedLogGroups
    ledger: LedgerTable


def _no_environment(_: SharedResources) -> dict[str, str]:
    return {}


def _no_statements(_: SharedResources) -> list[Statement]:
    return []


@dataclass(frozen=True)
class FunctionSpec:
    """One step of the workflow: a Lambda function and the Task state that invokes it."""

    step: str  # names the function, its role, its log group, its construct and its outputs
    state: str  # the Task state that invokes it
    handler: str
    description: str
    timeout_seconds: int
    # Error names (handlers/contract.py) the state routes to a state of its own; any other error ends the execution
    # in the workflow's processing-failure state.
    routes: tuple[tuple[str, str], ...] = ()
    environment: Callable[[SharedResources], dict[str, str]] = _no_environment
    statements: Callable[[SharedResources], list[Statement]] = _no_statements  # beyond logs, traces, environment
    memory_mb: int = FUNCTION_MEMORY_MB

    def __post_init__(self) -> None:
        if not (_STEP.fullmatch(self.step) and len(self.step) <= MAX_STEP_LENGTH):
            raise ValueError(
                f"step {self.step!r}: use a lower-case slug of at most {MAX_STEP_LENGTH} characters, so its role "
                "name stays within IAM's 64"
            )


class PaymentFunction(Construct):
    """A step's function with everything it owns: its role (and that role's name), its log group, its timeout."""

    def __init__(self, scope: Construct, spec: FunctionSpec, shared: SharedResources) -> None:
        super().__init__(scope, spec.step)
        self.spec = spec
        # What the state machine's definition reads of a step (workflow_definition.Task), and alarms of its function.
        self.state, self.routes, self.timeout_seconds = spec.state, spec.routes, spec.timeout_seconds
        names = shared.names
        self.role_name = names.role(names.function(spec.step))
        # Created under the shared log-groups construct, so every group has the same key, retention and wait.
        self.log_group: CloudwatchLogGroup = shared.log_groups.group(spec.step, names.function_log_group(spec.step))
        data_key_arn = shared.data_key_arn
        self.role = ServiceRole(
            self,
            "execution",
            name=self.role_name,
            service=LAMBDA_PRINCIPAL,
            statements=[
                # Only its own group: the function cannot create groups (none would be encrypted) or write elsewhere.
                allow("WriteOwnLogGroup", ["logs:CreateLogStream", "logs:PutLogEvents"], [f"{self.log_group.arn}:*"]),
                allow("WriteTraces", XRAY_WRITE_ACTIONS, "*"),
                # Lambda decrypts the environment with the execution role's permissions when the function starts.
                allow("DecryptEnvironment", ["kms:Decrypt"], [data_key_arn]),
                *spec.statements(shared),
            ],
        )
        self.function = LambdaFunction(
            self,
            "function",
            function_name=names.function(spec.step),
            description=spec.description,
            role=self.role.arn,
            runtime=LAMBDA_RUNTIME,
            architectures=["arm64"],
            handler=spec.handler,
            filename=shared.package.filename,
            source_code_hash=shared.package.source_code_hash,
            timeout=spec.timeout_seconds,
            memory_size=spec.memory_mb,
            # 0 = draw from the account's unreserved pool (see settings: a new account cannot reserve any).
            reserved_concurrent_executions=shared.settings.reserved_concurrency or None,
            environment=LambdaFunctionEnvironment(variables=spec.environment(shared)),
            kms_key_arn=data_key_arn,  # the environment names the ledger and limits: payment configuration
            # Lambda writes to /aws/lambda/<name> and creates that group itself (unencrypted, kept forever) on the
            # first invoke if it does not exist yet; Terraform's create then fails with ResourceAlreadyExists. So
            # the group is ours, named here, and the function waits for it.
            logging_config=LambdaFunctionLoggingConfig(
                log_format="JSON", log_group=self.log_group.name, application_log_level="INFO", system_log_level="WARN"
            ),
            tracing_config=LambdaFunctionTracingConfig(mode="Active"),
            depends_on=[self.log_group, self.role.policy],
        )

    @property
    def arn(self) -> str:
        return self.function.arn

    @property
    def name(self) -> str:
        return self.function.function_name

    def metric(self, name: str, statistic: str = "Sum") -> Metric:
        """One of Lambda's metrics for this function (Errors, Throttles, Duration, ...)."""
        return Metric(LAMBDA, name, {"FunctionName": self.name}, statistic)
