"""A request as AWS's enforcement code sees it: who asks, for what, on which resource, and the request context."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

_IAM_ARN = re.compile(r"^arn:[\w-]+:(?:iam|sts)::(?P<account>\d{12}):(?P<rest>.+)$")
_ACCOUNT_ID = re.compile(r"^\d{12}$")


class Decision(Enum):
    ALLOWED = "allowed"
    IMPLICIT_DENY = "implicitly denied"
    EXPLICIT_DENY = "explicitly denied"


@dataclass(frozen=True)
class Principal:
    """Who sends the request.

    kind is the Principal element's key that names such a principal ("AWS", "Service", "Federated",
    "CanonicalUser"), or "*" for an anonymous (unauthenticated) caller; name is its ARN, service name or id.
    """

    kind: str
    name: str

    @property
    def account(self) -> str | None:
        """The account of an IAM identity (root, user, role, role session); None for everyone else."""
        if self.kind != "AWS":
            return None
        if _ACCOUNT_ID.match(self.name):
            return self.name
        match = _IAM_ARN.match(self.name)
        return match.group("account") if match else None

    @property
    def is_account_root(self) -> bool:
        match = _IAM_ARN.match(self.name) if self.kind == "AWS" else None
        return bool(match and match.group("rest") == "root")

    def layers(self) -> tuple[str, ...]:
        """The ARNs that name this identity, narrowest first: a role session, its role, its account root.

        NotPrincipal must list each of them to exempt the identity ("AWS JSON policy elements: NotPrincipal": AWS
        might validate the account first, then the role, then the session).
        """
        match = _IAM_ARN.match(self.name) if self.kind == "AWS" else None
        if match is None:
            return (self.name,)
        partition = self.name.split(":")[1]
        root = f"arn:{partition}:iam::{match.group('account')}:root"
        session = re.match(r"^assumed-role/(?P<role>[^/]+)/", match.group("rest"))
        if session:
            return self.name, f"arn:{partition}:iam::{match.group('account')}:role/{session.group('role')}", root
        return (self.name,) if self.name == root else (self.name, root)

    def __str__(self) -> str:
        return "anonymous (*)" if self.kind == "*" else self.name


ANONYMOUS = Principal("*", "*")


@dataclass(frozen=True)
class Request:
    """One call, as evaluated: `context` maps condition keys (any case) to their values in the request.

    A single-valued key has one value; a multivalued key (kms:EncryptionContextKeys) any number. identity_allows says
    whether the caller's own IAM policies allow the call, which decides for an IAM identity only when a resource
    policy names its account rather than the identity itself ("Default key policy": the account principal delegates
    to IAM policies).
    """

    principal: Principal
    action: str
    resource: str
    context: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    identity_allows: bool = False

    def values(self, key: str) -> tuple[str, ...] | None:
        """The request's values of a condition key, or None when the key is not in the request context."""
        wanted = key.lower()
        for name, values in self.context.items():
            if name.lower() == wanted:
                return values
        return None
