"""Synthesizes the state bucket of one environment: `make bootstrap-state ENV=<name>` creates it once, in a stack with
its own local state, then prints the settings that point the environment's stacks at it."""

from __future__ import annotations

import os
from pathlib import Path

import cdk_engine
from payment_settings.environment_gate import environment_or_exit
from payment_settings.settings_gate import loaded_settings_or_exit
from payment_settings.state_bucket_settings import state_bucket_or_exit
from synth_speed import fast_synth

cdk_engine.use_chosen_or_exit()
loaded = loaded_settings_or_exit()  # the same environment file and rules as main.py
bucket = state_bucket_or_exit(loaded.settings)
environment_or_exit()
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
fast_synth.enable()

from cdktf import App  # noqa: E402

from payment_constructs.stack_contract import STATE_BUCKET_STACK  # noqa: E402
from payment_constructs.state_bucket import StateBucketStack  # noqa: E402

app = App()
StateBucketStack(app, STATE_BUCKET_STACK, loaded.settings, bucket)
app.synth()
loaded.record(Path(app.outdir))
fast_synth.after_synth()
