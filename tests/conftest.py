"""Session fixtures: the whole app is synthesized once, the way `cdktf synth` does, into a temporary outdir.

cdktf is imported inside the fixtures, not at module level, so the handler tests never pay for loading it.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pytest

from payment_constructs import fast_synth
from payment_constructs.naming import Names
from payment_constructs.settings import Settings
from tests import background_synth
from tests.synthesized import SynthesizedApp

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

# Not the defaults, so a test can tell a value that came from settings from one that was hard-coded.
TEST_ENVIRONMENT = {
    "PAYMENT_ENVIRONMENT": "qa",
    "PAYMENT_AWS_REGION": "eu-west-1",
    "PAYMENT_LOG_RETENTION_DAYS": "400",
    "PAYMENT_RESERVED_CONCURRENCY": "7",
    "PAYMENT_KMS_PROPAGATION_WAIT": "45s",
    "PAYMENT_KEY_DELETION_WINDOW_DAYS": "10",
}


BACKGROUND_SYNTHS = pytest.StashKey[dict[str, background_synth.BackgroundSynth]]()
IDENTITY_TESTS = "tests/test_synth_identity.py"


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the whole-app synths the identity tests compare, if they are selected, before any test runs."""
    if not any(item.nodeid.startswith(IDENTITY_TESTS) for item in session.items):
        return
    base = Path(tempfile.mkdtemp(prefix="background-synth-"))
    session.config.stash[BACKGROUND_SYNTHS] = {
        "stock": background_synth.start("stock", base, optimizations=False, via_cli=False),
        "fast": background_synth.start("fast", base, optimizations=True, via_cli=False),
        "cli": background_synth.start("cli", base, optimizations=True, via_cli=True),
    }


def pytest_sessionfinish(session: pytest.Session) -> None:
    for synth in session.config.stash.get(BACKGROUND_SYNTHS, {}).values():
        if synth.process.poll() is None:
            synth.process.kill()
        shutil.rmtree(synth.outdir.parent.parent, ignore_errors=True)


@pytest.fixture(scope="session")
def background_synths(request: pytest.FixtureRequest) -> dict[str, background_synth.BackgroundSynth]:
    return request.config.stash[BACKGROUND_SYNTHS]


def synthesize(settings: Settings, outdir: Path) -> SynthesizedApp:
    """Synthesize as main.py does, fast path included (tests/fast_synth proves it changes nothing in the output;
    PAYMENT_SYNTH_OPTIMIZATIONS=off runs the suite on stock imports)."""
    gc_was_enabled = gc.isenabled()
    fast_synth.enable()
    try:
        from cdktf import App

        from payment_constructs.workflow_app import add_workflow_stacks

        app = App(outdir=str(outdir))
        add_workflow_stacks(app, settings)
        app.synth()
    finally:
        fast_synth.after_synth()
        if gc_was_enabled:
            gc.enable()  # the rest of the suite (hypothesis above all) makes garbage a collector should see
    return SynthesizedApp(outdir)


def settings_from(overrides: Mapping[str, str], base: Mapping[str, str] = TEST_ENVIRONMENT) -> Settings:
    return Settings.from_environment({**base, **overrides})


@pytest.fixture(scope="session")
def settings() -> Settings:
    return settings_from({})


@pytest.fixture(scope="session")
def names(settings: Settings) -> Names:
    return Names(settings.environment)


@pytest.fixture(scope="session")
def synthesized(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> SynthesizedApp:
    return synthesize(settings, tmp_path_factory.mktemp("cdktf.out"))


@pytest.fixture(scope="session")
def encryption_stack(synthesized: SynthesizedApp):
    return synthesized.stack("encryption")


@pytest.fixture(scope="session")
def app_stack(synthesized: SynthesizedApp):
    return synthesized.stack("app")
