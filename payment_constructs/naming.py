"""Every resource name of the workflow, in one place.

The key policy names the log groups it serves, and the app stack creates them: if each built its own f-string the two
could drift apart and CreateLogGroup would fail exactly as in the post-mortem. Both stacks call these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

PROJECT = "payment-workflow"


@dataclass(frozen=True)
class Names:
    environment: str

    def function(self, step: str) -> str:
        """The Lambda function of one workflow step ("validation", "processing", ...)."""
        return f"lambda-payment-{step}-{self.environment}"

    def function_log_group(self, step: str) -> str:
        return lambda_log_group(self.function(step))

    @property
    def state_machine(self) -> str:
        return f"sfn-payment-workflow-{self.environment}"

    @property
    def state_machine_log_group(self) -> str:
        # Step Functions log delivery goes through CloudWatch vended logs; a /aws/vendedlogs/ prefix keeps the
        # log-group resource policy it writes under its 5,120-character limit.
        return f"/aws/vendedlogs/states/{self.state_machine}"

    def log_groups(self, steps: Iterable[str]) -> tuple[str, ...]:
        """The encrypted log groups of a workflow of these steps: each step's function's, in order, then the state
        machine's. Which steps exist is the step list's business (workflow_steps.py), not naming's."""
        return (*(self.function_log_group(step) for step in steps), self.state_machine_log_group)

    @property
    def ledger_table(self) -> str:
        return f"payment-ledger-{self.environment}"

    @property
    def logs_key_alias(self) -> str:
        return f"alias/{PROJECT}-logs-{self.environment}"

    @property
    def data_key_alias(self) -> str:
        return f"alias/{PROJECT}-data-{self.environment}"

    @property
    def alerts_key_alias(self) -> str:
        return f"alias/{PROJECT}-alerts-{self.environment}"

    @property
    def alerts_topic(self) -> str:
        return f"{PROJECT}-alerts-{self.environment}"

    @property
    def alarm_prefix(self) -> str:
        """Every alarm of this environment starts with it: the alerts key and topic admit exactly these alarms."""
        return f"{PROJECT}-{self.environment}-"

    def alarm(self, what: str) -> str:
        return f"{self.alarm_prefix}{what}"

    @property
    def dashboard(self) -> str:
        return f"{PROJECT}-{self.environment}"

    @property
    def log_encryption_rule(self) -> str:
        """The AWS Config rule that checks the workflow's log groups are encrypted with the logs key."""
        return f"{PROJECT}-log-groups-encrypted-{self.environment}"

    @property
    def compliance_event_rule(self) -> str:
        """The EventBridge rule that forwards that Config rule's compliance changes to the alerts topic."""
        return f"{PROJECT}-log-encryption-compliance-{self.environment}"

    @property
    def config_recorder(self) -> str:
        """The AWS Config recorder and delivery channel, made only when settings ask (one per account and region)."""
        return f"{PROJECT}-{self.environment}"

    @property
    def config_bucket_prefix(self) -> str:
        # Terraform's bucket_prefix takes at most 37 characters (it appends a unique suffix): "pw-config-" + 20 + "-".
        return f"pw-config-{self.environment}-"

    @property
    def metric_namespace(self) -> str:
        """Where the workflow's own metrics (from its logs) live, one namespace per environment."""
        return f"PaymentWorkflow/{self.environment}"

    def state_bucket(self, account: str, region: str) -> str:
        """The bucket `make bootstrap-state` creates when the settings name none: unique per environment, account
        and region (bucket names are global). At most 14 + 20 + 12 + 14 + 2 = 62 characters, under S3's 63."""
        return f"payment-state-{self.environment}-{account}-{region}"

    @property
    def operator_policy(self) -> str:
        """The inline policy this environment attaches to each operator role (roles hold policies of several)."""
        return f"{PROJECT}-operator-{self.environment}"

    def role(self, owner: str) -> str:
        """The IAM role of one function or of the state machine, named after its owner."""
        return f"{owner}-role"


def lambda_log_group(function_name: str) -> str:
    """Lambda writes to /aws/lambda/<function name> unless told otherwise; we create exactly that group."""
    return f"/aws/lambda/{function_name}"


def state_machine_resource(state_machine: str) -> str:
    return f"stateMachine:{state_machine}"


def executions_resource(state_machine: str) -> str:
    """Every execution of one state machine: executions are named execution:<state machine>:<execution>."""
    return f"execution:{state_machine}:*"


def role_name(role_arn: str) -> str:
    """The name of a role from its ARN (arn:aws:iam::<account>:role/<path>/<name>): the last part of its path."""
    return role_arn.rsplit("/", 1)[-1]


def alarm_resource(alarm: str) -> str:
    """A CloudWatch alarm's ARN resource, as aws:SourceArn names it when the alarm publishes."""
    return f"alarm:{alarm}"


def event_rule_resource(rule: str) -> str:
    """An EventBridge rule on the default bus, as aws:SourceArn names it when the rule publishes."""
    return f"rule/{rule}"
