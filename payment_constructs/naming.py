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

    def role(self, owner: str) -> str:
        """The IAM role of one function or of the state machine, named after its owner."""
        return f"{owner}-role"


def lambda_log_group(function_name: str) -> str:
    """Lambda writes to /aws/lambda/<function name> unless told otherwise; we create exactly that group."""
    return f"/aws/lambda/{function_name}"


def regional_arn(partition: str, region: str, account: str, service: str, resource: str) -> str:
    return f"arn:{partition}:{service}:{region}:{account}:{resource}"


def log_group_resource(log_group: str) -> str:
    """A log group's ARN resource as KMS sees it in kms:EncryptionContext:aws:logs:arn: no trailing ':*'."""
    return f"log-group:{log_group}"


def state_machine_resource(state_machine: str) -> str:
    return f"stateMachine:{state_machine}"
