"""Synthesizes the payment workflow: the encryption stack, then the app stack that depends on it."""

from __future__ import annotations

import os
from pathlib import Path

import cdk_engine
from payment_settings.environment_gate import environment_or_exit
from payment_settings.settings_gate import loaded_settings_or_exit
from synth_speed import fast_synth

cdk_engine.use_chosen_or_exit()  # PAYMENT_CDK_ENGINE: which engine the `cdktf` imports below load
loaded = loaded_settings_or_exit()  # validated before jsii starts: bad input never becomes a Node stack trace
environment_or_exit()
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
fast_synth.enable()  # before cdktf and the providers load; PAYMENT_SYNTH_OPTIMIZATIONS=off restores stock behaviour

from cdktf import App  # noqa: E402  (loading cdktf starts the jsii kernel; only worth it with valid settings)

from payment_constructs.workflow_app import add_workflow_stacks  # noqa: E402

app = App()
add_workflow_stacks(app, loaded.settings)
app.synth()
loaded.record(Path(app.outdir))  # settings.json: what was used, and from where
fast_synth.after_synth()
