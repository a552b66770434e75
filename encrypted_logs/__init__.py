"""encrypted_logs: KMS keys for CloudWatch Logs log groups and SNS topics, with the policy, the wait and the check
that the post-mortem's deployment lacked, for CDKTF apps (and CDK Terrain through an import alias).

Names are loaded on first use (PEP 562), so ``import encrypted_logs.limits`` costs no provider import.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "AwsContext": "encrypted_logs.aws_context",
    "CustomerManagedKey": "encrypted_logs.customer_key",
    "EncryptedLogGroups": "encrypted_logs.log_groups",
    "EncryptedLogGroupsProps": "encrypted_logs.props",
    "EncryptedTopic": "encrypted_logs.topic",
    "KeyFromStack": "encrypted_logs.cross_stack",
    "KeyProps": "encrypted_logs.props",
    "LogGroupsKey": "encrypted_logs.patterns",
    "LogGroupsKeyProps": "encrypted_logs.props",
    "PropagatedKey": "encrypted_logs.propagation",
    "PropsError": "encrypted_logs.errors",
    "TopicKey": "encrypted_logs.patterns",
    "TopicKeyProps": "encrypted_logs.props",
    "TopicPublisher": "encrypted_logs.props",
    "checked_key": "encrypted_logs.key_check",
    "read_local_state": "encrypted_logs.cross_stack",
    "use_local_state": "encrypted_logs.cross_stack",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'encrypted_logs' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
