"""Benchmark-only entry point: N environments' stack pairs in one App, to see how synth grows with the app."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cdk_engine
from payment_settings.settings import Settings
from synth_speed import fast_synth

cdk_engine.use_chosen_or_exit()

count = int(sys.argv[1])
environments = [f"bench{i}" for i in range(1, count + 1)]
# Outside dev an account is required; the benchmark synthesizes, it never deploys (AWS's documentation account).
settings = [Settings.from_environment({"PAYMENT_AWS_ACCOUNT_ID": "111122223333", **os.environ,
                                       "PAYMENT_ENVIRONMENT": env}) for env in environments]
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
fast_synth.enable()

from cdktf import App  # noqa: E402

from payment_constructs.workflow_app import add_workflow_stacks  # noqa: E402

app = App()
for env, env_settings in zip(environments, settings, strict=True):
    add_workflow_stacks(app, env_settings, encryption_id=f"encryption-{env}", app_id=f"app-{env}")
app.synth()
fast_synth.after_synth()
