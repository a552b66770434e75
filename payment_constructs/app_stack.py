"""The app stack: the workflow itself, in its own state, reading the key only from the encryption stack's state."""

from __future__ import annotations

from pathlib import Path

from cdktf import App, TerraformOutput, TerraformStack
from constructs import Construct

from payment_constructs.alerts_topic import AlertsTopic
from payment_constructs.aws_context import AwsContext
from payment_constructs.dashboard import WorkflowDashboard
from payment_constructs.iam import allow
from payment_constructs.key_check import UNUSABLE_ALERTS_KEY_MESSAGE, checked_key
from payment_constructs.lambda_package import handlers_package
from payment_constructs.ledger_table import LedgerTable, ledger_key_use
from payment_constructs.log_encryption_monitor import LogEncryptionMonitor
from payment_constructs.log_groups import EncryptedLogGroups
from payment_constructs.naming import Names, alarm_resource, event_rule_resource
from payment_constructs.payment_function import FunctionSpec, PaymentFunction
from payment_constructs.providers import aws_provider
from payment_constructs.settings import Settings
from payment_constructs.stack_contract import ALERTS_KEY_ARN_OUTPUT, DATA_KEY_ARN_OUTPUT, LOGS_KEY_ARN_OUTPUT
from payment_constructs.state_backend import read_state_of, use_backend
from payment_constructs.state_machine import PaymentStateMachine
from payment_constructs.workflow_alarms import MonitoredFunction, WorkflowAlarms
from payment_constructs.workflow_definition import PAYMENT_VALIDATION_ERROR

# Validation is CPU-light string work: 256 MB (Lambda scales CPU with memory) keeps a cold start under a second.
# Processing waits on DynamoDB, with the SDK's own retries for throttling: a longer timeout, the same memory.
VALIDATION_TIMEOUT_SECONDS = 10
PROCESSING_TIMEOUT_SECONDS = 20
FUNCTION_MEMORY_MB = 256


class AppStack(TerraformStack):
    def __init__(self, scope: Construct, stack_id: str, settings: Settings, encryption_stack: str) -> None:
        super().__init__(scope, stack_id)
        use_backend(self, settings)
        aws_provider(self, settings)
        names = Names(settings.environment)
        ctx = AwsContext(self, "context")

        encryption = read_state_of(self, "encryption", settings, encryption_stack)
        # The encryption stack publishes both ARNs only through their propagation waits (see kms_propagation.py).
        logs_key_arn = encryption.get_string(LOGS_KEY_ARN_OUTPUT)
        logs_key = checked_key(self, "logs_key_check", logs_key_arn)
        # Everything that encrypts payment data names the checked key, so it cannot be created before the check.
        data_key_arn = checked_key(self, "data_key_check", encryption.get_string(DATA_KEY_ARN_OUTPUT)).arn

        self.log_groups = EncryptedLogGroups(
            self,
            "log_groups",
            names,
            kms_key_arn=logs_key_arn,
            retention_days=settings.log_retention_days,
            wait_for=[logs_key],  # a disabled or missing key fails the plan before any group is created
        )
        self.ledger = LedgerTable(
            self,
            "ledger",
            name=names.ledger_table,
            deletion_protection=settings.ledger_deletion_protection,
            kms_key_arn=data_key_arn,
        )

        package = handlers_package(self, "handlers_package", Path(App.of(self).outdir) / "lambda-packages")
        self.validation = PaymentFunction(
            self,
            "validation",
            spec=FunctionSpec(
                name=names.validation_function,
                handler="handlers.validation.handler",
                description="Validates and normalizes a payment; raises PaymentValidationError listing every problem",
                timeout_seconds=VALIDATION_TIMEOUT_SECONDS,
                memory_mb=FUNCTION_MEMORY_MB,
                reserved_concurrency=settings.reserved_concurrency,
                environment={"MAX_PAYMENT_AMOUNT": settings.max_payment_amount},
            ),
            package=package,
            data_key_arn=data_key_arn,
            log_group=self.log_groups.validation,
            role_name=names.role(names.validation_function),
        )
        self.processing = PaymentFunction(
            self,
            "processing",
            spec=FunctionSpec(
                name=names.processing_function,
                handler="handlers.processing.handler",
                description="Records a validated payment in the ledger exactly once and returns its receipt",
                timeout_seconds=PROCESSING_TIMEOUT_SECONDS,
                memory_mb=FUNCTION_MEMORY_MB,
                reserved_concurrency=settings.reserved_concurrency,
                environment={"LEDGER_TABLE": self.ledger.name},
                # The conditional PutItem and the consistent GetItem of a replay: nothing else, on this table only.
                extra_statements=[
                    allow("RecordPayment", ["dynamodb:PutItem", "dynamodb:GetItem"], [self.ledger.arn]),
                    ledger_key_use(ctx, data_key_arn),
                ],
            ),
            package=package,
            data_key_arn=data_key_arn,
            log_group=self.log_groups.processing,
            role_name=names.role(names.processing_function),
        )
        self.state_machine = PaymentStateMachine(
            self,
            "workflow",
            name=names.state_machine,
            role_name=names.role(names.state_machine),
            ctx=ctx,
            validation=self.validation,
            processing=self.processing,
            validation_timeout_seconds=VALIDATION_TIMEOUT_SECONDS,
            processing_timeout_seconds=PROCESSING_TIMEOUT_SECONDS,
            log_group=self.log_groups.state_machine,
            data_key_arn=data_key_arn,
        )
        self._monitoring(settings, names, ctx, encryption, logs_key_arn)
        self._outputs()

    def _monitoring(self, settings: Settings, names: Names, ctx: AwsContext, encryption, logs_key_arn: str) -> None:
        """Alarms, the compliance rule and the dashboard, all reaching people through one encrypted topic."""
        # Read through the alerts key's own wait and checked like the others: the topic cannot be created before
        # the key policy that lets CloudWatch and EventBridge use it has had time to propagate.
        alerts_key_arn = checked_key(
            self, "alerts_key_check", encryption.get_string(ALERTS_KEY_ARN_OUTPUT), UNUSABLE_ALERTS_KEY_MESSAGE
        ).arn
        self.alerts = AlertsTopic(
            self,
            "alerts",
            ctx=ctx,
            name=names.alerts_topic,
            kms_key_arn=alerts_key_arn,
            alarm_arn_pattern=ctx.arn("cloudwatch", alarm_resource(f"{names.alarm_prefix}*")),
            event_rule_arn=ctx.arn("events", event_rule_resource(names.compliance_event_rule)),
            email=settings.alert_email,
        )
        self.alarms = WorkflowAlarms(
            self,
            "alarms",
            names=names,
            topic_arn=self.alerts.arn,
            state_machine_arn=self.state_machine.arn,
            state_machine_log_group=self.log_groups.state_machine.name,
            functions=[
                MonitoredFunction("validation", self.validation.name, VALIDATION_TIMEOUT_SECONDS,
                                  self.log_groups.validation.name, expected_error=PAYMENT_VALIDATION_ERROR),
                MonitoredFunction("processing", self.processing.name, PROCESSING_TIMEOUT_SECONDS,
                                  self.log_groups.processing.name),
            ],
            conflict_log_group=self.log_groups.processing.name,
            ledger_table=self.ledger.name,
        )
        LogEncryptionMonitor(
            self,
            "log_encryption",
            config_rule_name=names.log_encryption_rule,
            event_rule_name=names.compliance_event_rule,
            logs_key_arn=logs_key_arn,
            log_groups=names.log_groups,
            topic_arn=self.alerts.arn,
        )
        self.dashboard = WorkflowDashboard(
            self,
            "dashboard",
            name=names.dashboard,
            region=ctx.region,
            alarms=self.alarms,
            state_machine_arn=self.state_machine.arn,
            function_names=[self.validation.name, self.processing.name],
            ledger_table=self.ledger.name,
        )

    def _outputs(self) -> None:
        """What an operator needs after deploy: what to start, and where to look."""
        TerraformOutput(self, "state_machine_arn", value=self.state_machine.arn)
        TerraformOutput(self, "validation_function_name", value=self.validation.name)
        TerraformOutput(self, "processing_function_name", value=self.processing.name)
        TerraformOutput(self, "ledger_table_name", value=self.ledger.name)
        TerraformOutput(self, "validation_log_group", value=self.log_groups.validation.name)
        TerraformOutput(self, "processing_log_group", value=self.log_groups.processing.name)
        TerraformOutput(self, "state_machine_log_group", value=self.log_groups.state_machine.name)
        TerraformOutput(self, "alerts_topic_arn", value=self.alerts.arn,
                        description="Every alarm and log-encryption compliance change publishes here")
        TerraformOutput(self, "dashboard_name", value=self.dashboard.dashboard.dashboard_name)
