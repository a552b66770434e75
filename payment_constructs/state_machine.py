"""The Step Functions state machine over the workflow's steps, its role, and its logging into the encrypted
vended-logs group."""

from __future__ import annotations

import json
from collections.abc import Sequence

from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup
from cdktf_cdktf_provider_aws.sfn_state_machine import (
    SfnStateMachine,
    SfnStateMachineEncryptionConfiguration,
    SfnStateMachineLoggingConfiguration,
    SfnStateMachineTracingConfiguration,
)
from constructs import Construct

from payment_constructs.aws_context import AwsContext
from payment_constructs.iam import ExistingRole, ServiceRole, Statement, allow
from payment_constructs.metrics import STATES, Metric
from payment_constructs.naming import executions_resource, state_machine_resource
from payment_constructs.payment_function import PaymentFunction
from payment_constructs.workflow_definition import payment_workflow

STATES_PRINCIPAL = "states.amazonaws.com"
# Step Functions delivers logs through CloudWatch Logs' vended-log APIs, which take no resource ARN: "*" is required
# (Step Functions developer guide, "IAM policies for logging to CloudWatch Logs").
LOG_DELIVERY_ACTIONS = [
    "logs:CreateLogDelivery",
    "logs:GetLogDelivery",
    "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies",
    "logs:DescribeLogGroups",
]
# X-Ray's APIs take no resource ARN either.
XRAY_ACTIONS = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"]


class PaymentStateMachine(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        role_name: str,
        ctx: AwsContext,
        steps: Sequence[PaymentFunction],
        log_group: CloudwatchLogGroup,
        data_key_arn: str,
    ) -> None:
        super().__init__(scope, construct_id)
        self.log_group = log_group
        state_machine_arn = ctx.arn("states", state_machine_resource(name))
        self._name_arn = state_machine_arn
        self._executions_arn = ctx.arn("states", executions_resource(name))
        self._data_key_arn = data_key_arn
        self._states_endpoint = f"states.{ctx.region}.{ctx.dns_suffix}"
        logs_arn_pattern = ctx.arn("logs", "*")
        self.role = ServiceRole(
            self,
            "execution",
            name=role_name,
            service=STATES_PRINCIPAL,
            statements=[
                allow("InvokePaymentFunctions", ["lambda:InvokeFunction"], [step.arn for step in steps]),
                allow("DeliverExecutionLogs", LOG_DELIVERY_ACTIONS, "*"),
                allow("WriteTraces", XRAY_ACTIONS, "*"),
                # Step Functions encrypts execution data with the data key, naming the state machine as context.
                allow(
                    "EncryptExecutionData",
                    ["kms:Decrypt", "kms:GenerateDataKey"],
                    [data_key_arn],
                    {"StringEquals": {"kms:EncryptionContext:aws:states:stateMachineArn": state_machine_arn}},
                ),
                # With logging on, log delivery asks for data keys in the role's name, with the logs ARN as context.
                allow(
                    "EncryptDeliveredLogs",
                    ["kms:GenerateDataKey"],
                    [data_key_arn],
                    {"StringEquals": {"kms:EncryptionContext:SourceArn": logs_arn_pattern}},
                ),
            ],
            # Confused-deputy guard: only this account's state machine of this name may use the role.
            trust_conditions={
                "StringEquals": {"aws:SourceAccount": ctx.account_id},
                "ArnLike": {"aws:SourceArn": state_machine_arn},
            },
        )
        self.state_machine = SfnStateMachine(
            self,
            "state_machine",
            name=name,
            type="STANDARD",  # exactly-once state transitions and 90 days of execution history: a payment is no stream
            role_arn=self.role.arn,
            definition=json.dumps(payment_workflow(ctx.partition, steps), indent=2),
            logging_configuration=SfnStateMachineLoggingConfiguration(
                # Log delivery wants the group's ARN with ':*' (the log streams), not the bare group ARN.
                log_destination=f"{log_group.arn}:*",
                level="ALL",
                # Execution data is the payment: account ids and payment tokens. The ledger keeps it encrypted and
                # access-controlled; logs are read far more widely, so they get events and errors, never the data.
                include_execution_data=False,
            ),
            tracing_configuration=SfnStateMachineTracingConfiguration(enabled=True),
            encryption_configuration=SfnStateMachineEncryptionConfiguration(
                type="CUSTOMER_MANAGED_KMS_KEY",
                kms_key_id=data_key_arn,
                kms_data_key_reuse_period_seconds=300,  # the default: one GenerateDataKey per 5 minutes, not per state
            ),
            # CreateStateMachine checks that the role may deliver logs; the policy must exist before it.
            depends_on=[self.role.policy, log_group],
        )

    @property
    def arn(self) -> str:
        return self.state_machine.arn

    def metric(self, name: str) -> Metric:
        """One of Step Functions' execution metrics for this state machine (ExecutionsFailed, ...)."""
        return Metric(STATES, name, {"StateMachineArn": self.arn})

    def grant_start_execution(self, role: ExistingRole) -> None:
        """Let `role` start executions of this state machine (their input is encrypted with the data key)."""
        role.add_to_policy(allow("StartPaymentExecutions", ["states:StartExecution"], [self._name_arn]))
        role.add_to_policy(self._data_key_through_step_functions())

    def grant_read_executions(self, role: ExistingRole) -> None:
        """Let `role` see this state machine's executions and their history (decrypted with the data key)."""
        role.add_to_policy(allow("ReadPaymentExecutions", ["states:DescribeExecution", "states:GetExecutionHistory"],
                                 [self._executions_arn]))
        role.add_to_policy(self._data_key_through_step_functions())

    def _data_key_through_step_functions(self) -> Statement:
        # Step Functions developer guide, "Data at rest encryption in Step Functions": callers need the key through
        # Step Functions in this region, which names the state machine's ARN as aws:states:stateMachineArn context.
        return allow(
            "UseDataKeyThroughPaymentWorkflow",
            ["kms:Decrypt", "kms:GenerateDataKey"],
            [self._data_key_arn],
            {"StringEquals": {"kms:ViaService": self._states_endpoint,
                              "kms:EncryptionContext:aws:states:stateMachineArn": self._name_arn}},
        )
