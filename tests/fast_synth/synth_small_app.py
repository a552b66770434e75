"""A small CDKTF app for the identity test: ``python synth_small_app.py OUTDIR``.

Synthesizes two stacks with the AWS and time providers into OUTDIR, with or without
the fast path depending on PAYMENT_SYNTH_OPTIMIZATIONS, then prints one JSON line saying
whether the fast path was on and how many AWS provider submodules were imported, so the
test can tell that the "on" run really took the lazy path.
"""

from __future__ import annotations

import json
import sys

from payment_constructs import fast_synth

optimized = fast_synth.enable()

import jsii  # noqa: E402  (everything below must load after enable())
from cdktf import App, Aspects, IAspect, TerraformStack  # noqa: E402
from cdktf_cdktf_provider_aws.cloudwatch_log_group import CloudwatchLogGroup  # noqa: E402
from cdktf_cdktf_provider_aws.data_aws_caller_identity import DataAwsCallerIdentity  # noqa: E402
from cdktf_cdktf_provider_aws.kms_key import KmsKey  # noqa: E402
from cdktf_cdktf_provider_aws.provider import AwsProvider  # noqa: E402
from cdktf_cdktf_provider_time.provider import TimeProvider  # noqa: E402
from cdktf_cdktf_provider_time.sleep import Sleep  # noqa: E402
from constructs import Construct, IConstruct  # noqa: E402


@jsii.implements(IAspect)
class ProtectKeys:
    """Node calls back into Python for every construct: exercises type resolution across the bridge."""

    def visit(self, node: IConstruct) -> None:
        if isinstance(node, KmsKey):
            node.add_override("lifecycle.prevent_destroy", True)


class KeyStack(TerraformStack):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        TimeProvider(self, "time")
        caller = DataAwsCallerIdentity(self, "caller")
        self.key = KmsKey(self, "logs", description=f"logs key of {caller.account_id}", enable_key_rotation=True)
        Sleep(self, "propagation", create_duration="30s", depends_on=[self.key])


class LogStack(TerraformStack):
    def __init__(self, scope: Construct, id: str, key: KmsKey) -> None:
        super().__init__(scope, id)
        AwsProvider(self, "aws", region="eu-west-1")
        CloudwatchLogGroup(self, "workflow", name="/payments/workflow", kms_key_id=key.arn, retention_in_days=30)


app = App(outdir=sys.argv[1])
keys = KeyStack(app, "keys")
LogStack(app, "logs", keys.key)  # a cross-stack reference: outputs and remote state made on the Node side
Aspects.of(keys).add(ProtectKeys())  # cdktf applies aspects per stack, not from the App down
app.synth()
fast_synth.after_synth()

aws_submodules = [name for name in sys.modules if name.startswith("cdktf_cdktf_provider_aws.")]
print(json.dumps({"optimized": optimized, "aws_submodules_imported": len(aws_submodules)}))
