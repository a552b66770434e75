"""One payment Lambda: its role, its function, and the pre-created log group it writes to."""

from __future__ import annotations

from dataclasses import dataclass, field

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.lambda_function import (
    LambdaFunction,
    LambdaFunctionEnvironment,
    LambdaFunctionLoggingConfig,
    LambdaFunctionTracingConfig,
)
from constructs import Construct

from payment_constructs.iam import ServiceRole, Statement, allow
from payment_constructs.lambda_package import HandlersPackage

LAMBDA_RUNTIME = "python3.13"
LAMBDA_PRINCIPAL = "lambda.amazonaws.com"
# X-Ray's write APIs take no resource ARN; "*" is the only resource they accept.
XRAY_WRITE_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]


@dataclass(frozen=True)
class FunctionSpec:
    name: str
    handler: str
    description: str
    timeout_seconds: int
    memory_mb: int
    reserved_concurrency: int
    environment: dict[str, str] = field(default_factory=dict)
    extra_statements: list[Statement] = field(default_factory=list)


class PaymentFunction(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        spec: FunctionSpec,
        package: HandlersPackage,
        data_key_arn: str,
        log_group: CloudwatchLogGroup,
        role_name: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.role = ServiceRole(
            self,
            "execution",
            name=role_name,
            service=LAMBDA_PRINCIPAL,
            statements=[
                # Only its own group: the function cannot create groups (none would be encrypted) or write elsewhere.
                allow("WriteOwnLogGroup", ["logs:CreateLogStream", "logs:PutLogEvents"], [f"{log_group.arn}:*"]),
                allow("WriteTraces", XRAY_WRITE_ACTIONS, "*"),
                # Lambda decrypts the environment with the execution role's permissions when the function starts.
                allow("DecryptEnvironment", ["kms:Decrypt"], [data_key_arn]),
                *spec.extra_statements,
            ],
        )
        self.function = LambdaFunction(
            self,
            "function",
            function_name=spec.name,
            description=spec.description,
            role=self.role.arn,
            runtime=LAMBDA_RUNTIME,
            architectures=["arm64"],
            handler=spec.handler,
            filename=package.filename,
            source_code_hash=package.source_code_hash,
            timeout=spec.timeout_seconds,
            memory_size=spec.memory_mb,
            # 0 = draw from the account's unreserved pool (see settings: a new account cannot reserve any).
            reserved_concurrent_executions=spec.reserved_concurrency or None,
            environment=LambdaFunctionEnvironment(variables=spec.environment),
            kms_key_arn=data_key_arn,  # the environment names the ledger and limits: payment configuration
            # Lambda writes to /aws/lambda/<name> and creates that group itself (unencrypted, kept forever) on the
            # first invoke if it does not exist yet; Terraform's create then fails with ResourceAlreadyExists. So
            # the group is ours, named here, and the function waits for it.
            logging_config=LambdaFunctionLoggingConfig(
                log_format="JSON", log_group=log_group.name, application_log_level="INFO", system_log_level="WARN"
            ),
            tracing_config=LambdaFunctionTracingConfig(mode="Active"),
            depends_on=[log_group, self.role.policy],
        )

    @property
    def arn(self) -> str:
        return self.function.arn

    @property
    def name(self) -> str:
        return self.function.function_name
