"""A wait between a KMS key's policy and anything that relies on it.

KMS is eventually consistent: a new or changed key policy takes seconds (AWS documents up to five minutes for a log
group association, "Encrypt log data in CloudWatch Logs using AWS KMS") to take effect everywhere, and CreateLogGroup
raced ahead of it in the post-mortem's deployment.
"""

from __future__ import annotations

from cdktf import Fn
from cdktf_cdktf_provider_aws.kms_key import KmsKey
from cdktf_cdktf_provider_time.sleep import Sleep
from constructs import Construct

from encrypted_logs.props import check_wait


class PropagatedKey(Construct):
    """A time_sleep (child ``wait``) whose triggers carry the key ARN and a digest of the key policy as applied.

    Dependents read the ARN *through* the sleep's triggers, so Terraform cannot give them the ARN before the wait
    has run (hashicorp/time, time_sleep: "pass values through triggers so dependents wait"), and a policy change
    re-runs the wait. The stack needs a ``TimeProvider``.
    """

    def __init__(self, scope: Construct, construct_id: str, key: KmsKey, create_duration: str) -> None:
        check_wait("PropagatedKey.create_duration", create_duration)
        super().__init__(scope, construct_id)
        self.sleep = Sleep(
            self,
            "wait",
            create_duration=create_duration,
            # The digest hashes the policy attribute Terraform applied, not a Python string: a JSON literal inside
            # Fn.sha256 cannot be synthesized, and the attribute is also what AWS actually holds.
            triggers={"key_arn": key.arn, "policy_sha256": Fn.sha256(key.policy)},
        )

    @property
    def key_arn(self) -> str:
        """The key's ARN, available only once the wait is over."""
        return Fn.lookup(self.sleep.triggers, "key_arn")
