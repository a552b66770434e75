"""IAM roles with inline policies, written as Python data."""

from __future__ import annotations

from typing import Any

from cdktf_cdktf_provider_aws.iam_role import IamRole
from cdktf_cdktf_provider_aws.iam_role_policy import IamRolePolicy
from constructs import Construct

from encrypted_logs.policy import Statement, policy_json
from payment_constructs.naming import role_name

__all__ = ["ExistingRole", "ServiceRole", "Statement", "allow", "policy_json"]


def allow(
    sid: str, actions: list[str], resources: list[str] | str, condition: dict[str, Any] | None = None
) -> Statement:
    statement: Statement = {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
    if condition:
        statement["Condition"] = condition
    return statement


class ExistingRole(Construct):
    """A role of the account that this app does not create (an operator's), given what grants add to it.

    Grants land in one inline policy of this environment's name, which lives and dies with the stack: the rest of the
    role, and its other policies, stay its owner's. The manner of AWS CDK's `Grant.addToPrincipal` on an imported
    role.
    """

    def __init__(self, scope: Construct, construct_id: str, *, arn: str, policy_name: str) -> None:
        super().__init__(scope, construct_id)
        self.arn = arn
        self.name = role_name(arn)
        self._statements: list[Statement] = []
        self.policy = IamRolePolicy(self, "policy", name=policy_name, role=self.name, policy=policy_json([]))

    def add_to_policy(self, statement: Statement) -> None:
        """Add a statement, once: two grants may need the same one (both use of the data key)."""
        if statement not in self._statements:
            self._statements.append(statement)
            self.policy.policy = policy_json(self._statements)


class ServiceRole(Construct):
    """A role one AWS service may assume, with one inline policy: the permissions live and die with the role."""

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        service: str,
        statements: list[Statement],
        trust_conditions: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(scope, construct_id)
        trust: Statement = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
        if trust_conditions:
            trust["Condition"] = trust_conditions
        self.role = IamRole(self, "role", name=name, assume_role_policy=policy_json([trust]))
        self.policy = IamRolePolicy(
            self, "policy", name=f"{name}-policy", role=self.role.id, policy=policy_json(statements)
        )

    @property
    def arn(self) -> str:
        return self.role.arn
