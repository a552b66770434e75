"""The suite's synths of the app: the test settings, and how to synthesize any other configuration in this process.

    python -m tests.session_synths DEST

synthesizes each configuration of CONFIGURATIONS into DEST/<name>/cdktf.out the way main.py does (fast path
included), all in one process, and records in DEST/served.json which tarballs the jsii kernel was served (the lazy
index, synth_speed/lazy_jsii_index.py). tests/background.py runs it once per session beside the tests and keeps its
output by the synth inputs, so every worker reads the same synths and an unchanged tree synthesizes none.
"""

from __future__ import annotations

import contextlib
import gc
import json
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import cdk_engine
from cdktf_out.tree import SynthesizedApp, load
from payment_settings.settings import Settings
from synth_speed import fast_synth

# Not the defaults, so a test can tell a value that came from settings from one that was hard-coded.
TEST_ENVIRONMENT = {
    "PAYMENT_ENVIRONMENT": "qa",
    "PAYMENT_AWS_REGION": "eu-west-1",
    "PAYMENT_LOG_RETENTION_DAYS": "400",
    "PAYMENT_RESERVED_CONCURRENCY": "7",
    "PAYMENT_KMS_PROPAGATION_WAIT": "45s",
    "PAYMENT_KEY_DELETION_WINDOW_DAYS": "10",
    "PAYMENT_AWS_ACCOUNT_ID": "444455556666",  # required outside dev: the provider's allowed_account_ids
    # Two operators (one with a path), so every review and JSON test also holds the grants' policies.
    "PAYMENT_OPERATOR_ROLE_ARNS": "arn:aws:iam::444455556666:role/payments-operator,"
                                  "arn:aws:iam::444455556666:role/audit/payments-auditor",
}
# The configurations every session reads, each over the test settings: the test settings (`synthesized`), the opt-in
# AWS Config recorder (`recorder_synthesized`), a dev synth without reserved concurrency (`dev_synthesized`) and the
# s3 state backend (`s3_backend_synthesized`). A test that needs another configuration synthesizes it itself
# (`synthesize`).
CONFIGURATIONS = {
    "test": {},
    "recorder": {"PAYMENT_CONFIG_RECORDER": "true"},
    "dev": {"PAYMENT_ENVIRONMENT": "dev", "PAYMENT_RESERVED_CONCURRENCY": "0"},
    "s3_backend": {"PAYMENT_STATE_BACKEND": "s3", "PAYMENT_STATE_BUCKET": "acme-terraform-state",
                   "PAYMENT_STATE_REGION": "eu-central-1"},
}
SERVED = "served.json"


def settings_from(overrides: Mapping[str, str], base: Mapping[str, str] = TEST_ENVIRONMENT) -> Settings:
    return Settings.from_environment({**base, **overrides})


@contextlib.contextmanager
def fast_path() -> Iterator[None]:
    """The fast path on, as main.py switches it on before cdktf and the providers load (an AWS provider loaded
    without it costs seconds), with the garbage collector as it was afterwards: the rest of the suite (Hypothesis
    above all) makes garbage a collector should see."""
    gc_was_enabled = gc.isenabled()
    fast_synth.enable()
    try:
        yield
    finally:
        fast_synth.after_synth()
        if gc_was_enabled:
            gc.enable()


def synthesize(settings: Settings, outdir: Path, steps: Sequence[Any] | None = None) -> SynthesizedApp:
    """Synthesize as main.py does, fast path included (tests/synth_speed proves it changes nothing in the output;
    PAYMENT_SYNTH_OPTIMIZATIONS=off runs the suite on stock imports). `steps`: another step list than the app's."""
    with fast_path():
        from cdktf import App

        from payment_constructs.workflow_app import add_workflow_stacks
        from payment_constructs.workflow_steps import WORKFLOW_STEPS

        app = App(outdir=str(outdir))
        add_workflow_stacks(app, settings, steps=WORKFLOW_STEPS if steps is None else steps)
        app.synth()
    return load(outdir)


def outdir_of(dest: Path, configuration: str) -> Path:
    return dest / configuration / "cdktf.out"


def main(dest: Path) -> int:
    cdk_engine.use_chosen_or_exit()
    for name, overrides in CONFIGURATIONS.items():
        outdir_of(dest, name).parent.mkdir(parents=True, exist_ok=True)
        synthesize(settings_from(overrides), outdir_of(dest, name))
    from synth_speed import lazy_jsii_index

    (dest / SERVED).write_text(json.dumps(lazy_jsii_index.served, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
