"""The app stack: the workflow itself, in its own state, reading the key only from the encryption stack's state."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from cdktf import App, TerraformOutput, TerraformStack
from constructs import Construct

from payment_constructs.alerts_topic import AlertsTopic
from payment_constructs.aws_context import AwsContext
from payment_constructs.config_recorder import ConfigRecorder
from payment_constructs.dashboard import WorkflowDashboard
from payment_constructs.iam import ExistingRole
from payment_constructs.key_check import UNUSABLE_ALERTS_KEY_MESSAGE, checked_key
from payment_constructs.lambda_package import handlers_package
from payment_constructs.ledger_table import LedgerTable
from payment_constructs.log_encryption_monitor import LogEncryptionMonitor
from payment_constructs.log_groups import EncryptedLogGroups
from payment_constructs.naming import Names, alarm_resource, event_rule_resource, role_name
from payment_constructs.payment_function import FunctionSpec, PaymentFunction, SharedResources
from payment_constructs.providers import aws_provider
from payment_constructs.stack_contract import ALERTS_KEY_ARN_OUTPUT, DATA_KEY_ARN_OUTPUT, LOGS_KEY_ARN_OUTPUT
from payment_constructs.state_backend import read_state_of, use_backend
from payment_constructs.state_machine import PaymentStateMachine
from payment_constructs.workflow_alarms import WorkflowAlarms
from payment_constructs.workflow_steps import WORKFLOW_STEPS, workflow_log_groups
from payment_settings.settings import Settings


class AppStack(TerraformStack):
    def __init__(
        self,
        scope: Construct,
        stack_id: str,
        settings: Settings,
        encryption_stack: str,
        steps: Sequence[FunctionSpec] = WORKFLOW_STEPS,
    ) -> None:
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
        shared = SharedResources(
            settings=settings,
            names=names,
            ctx=ctx,
            package=handlers_package(self, "handlers_package", Path(App.of(self).outdir) / "lambda-packages"),
            data_key_arn=data_key_arn,
            log_groups=self.log_groups,
            ledger=self.ledger,
        )
        # The workflow's functions, in the order the state machine runs them.
        self.steps = tuple(PaymentFunction(self, spec, shared) for spec in steps)
        self.state_machine = PaymentStateMachine(
            self,
            "workflow",
            name=names.state_machine,
            role_name=names.role(names.state_machine),
            ctx=ctx,
            steps=self.steps,
            log_group=self.log_groups.group("state_machine", names.state_machine_log_group),
            data_key_arn=data_key_arn,
        )
        for arn in settings.operator_role_arns:
            operator = ExistingRole(self, f"operator_{role_name(arn)}", arn=arn, policy_name=names.operator_policy)
            self.state_machine.grant_start_execution(operator)
            self.state_machine.grant_read_executions(operator)
        self._monitoring(settings, names, ctx, encryption.get_string(ALERTS_KEY_ARN_OUTPUT), logs_key_arn)
        self._outputs()

    def _monitoring(self, settings: Settings, names: Names, ctx: AwsContext, alerts_key: str, logs_key: str) -> None:
        """Alarms, the log-encryption compliance rule and the dashboard, all reaching people through one topic."""
        # Read through the alerts key's own wait and checked like the others: the topic cannot be created before
        # the key policy that lets CloudWatch and EventBridge use it has had time to propagate.
        alerts_key_arn = checked_key(self, "alerts_key_check", alerts_key, UNUSABLE_ALERTS_KEY_MESSAGE).arn
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
            state_machine=self.state_machine,
            steps=self.steps,
            ledger=self.ledger,
        )
        recorder = (
            ConfigRecorder(self, "config", ctx=ctx, name=names.config_recorder,
                           bucket_prefix=names.config_bucket_prefix, logs_key_arn=logs_key)
            if settings.config_recorder else None
        )
        LogEncryptionMonitor(
            self,
            "log_encryption",
            config_rule_name=names.log_encryption_rule,
            event_rule_name=names.compliance_event_rule,
            logs_key_arn=logs_key,
            log_groups=workflow_log_groups(names, [step.spec for step in self.steps]),
            topic_arn=self.alerts.arn,
            after=[recorder.status] if recorder else None,
        )
        self.dashboard = WorkflowDashboard(
            self,
            "dashboard",
            name=names.dashboard,
            region=ctx.region,
            alarms=self.alarms,
            state_machine=self.state_machine,
            functions=self.steps,
            ledger=self.ledger,
        )

    def _outputs(self) -> None:
        """What an operator needs after deploy: what to start, and where to look."""
        TerraformOutput(self, "state_machine_arn", value=self.state_machine.arn)
        TerraformOutput(self, "ledger_table_name", value=self.ledger.name)
        TerraformOutput(self, "state_machine_log_group", value=self.state_machine.log_group.name)
        for step in self.steps:
            TerraformOutput(self, f"{step.spec.step}_function_name", value=step.name)
            TerraformOutput(self, f"{step.spec.step}_log_group", value=step.log_group.name)
        TerraformOutput(self, "alerts_topic_arn", value=self.alerts.arn,
                        description="Every alarm and log-encryption compliance change publishes here")
        TerraformOutput(self, "dashboard_name", value=self.dashboard.dashboard.dashboard_name)
